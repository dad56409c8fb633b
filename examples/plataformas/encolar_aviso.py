"""Encola un aviso en la cola default.

Uso: python encolar_aviso.py
"""

from rq import Queue

from avisos import avisar
from conexion import conectar


def main():
    cola = Queue(connection=conectar())
    trabajo = cola.enqueue(avisar, "ana")
    # Lo que guarda RQ es este nombre: el worker lo tendrá que importar.
    print(f"Encolado {trabajo.func_name}('ana')")


if __name__ == "__main__":
    main()
