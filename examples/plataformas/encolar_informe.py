"""Encola un informe de ventas en la cola default.

Uso: python encolar_informe.py
"""

from rq import Queue

from conexion import conectar
from informes import resumen


def main():
    trabajo = Queue(connection=conectar()).enqueue(resumen, {"café": 12, "té": 5})
    print(f"Encolado {trabajo.func_name}")


if __name__ == "__main__":
    main()
