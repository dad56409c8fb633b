"""Encola las cuatro funciones de calculos.py y dice con qué nombre queda cada una.

Uso: python encolar_calculos.py
"""

from rq import Queue

import calculos
from conexion import conectar


def main():
    cola = Queue(connection=conectar())
    for funcion, argumentos in [
        (calculos.doble, (21,)),
        (calculos.sumador(2), (40,)),
        (calculos.duplicar, (21,)),
        (calculos.sumar, (40, 2)),
    ]:
        trabajo = cola.enqueue(funcion, *argumentos)
        print(f"Encolado {trabajo.func_name}")


if __name__ == "__main__":
    main()
