"""El atajo que parece funcionar: importar la tarea como un módulo suelto.

Uso: python tienda/encolar_atajo.py
"""

from rq import Queue

from conexion import conectar
from pedidos import confirmar  # Funciona porque Python pone tienda/ en sys.path.


def main():
    trabajo = Queue(connection=conectar()).enqueue(confirmar, 17)
    print(f"Encolado {trabajo.func_name}(17)")


if __name__ == "__main__":
    main()
