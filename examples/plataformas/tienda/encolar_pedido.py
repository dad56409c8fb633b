"""Encola la confirmación de un pedido, con el nombre completo de la tarea.

Uso, desde la carpeta que contiene el paquete `tienda`:
    python -m tienda.encolar_pedido
"""

from rq import Queue

from conexion import conectar
from tienda.pedidos import confirmar


def main():
    trabajo = Queue(connection=conectar()).enqueue(confirmar, 17)
    print(f"Encolado {trabajo.func_name}(17)")


if __name__ == "__main__":
    main()
