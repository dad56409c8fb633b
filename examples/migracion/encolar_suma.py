"""Encola trabajos.sumar(2, 3) en la cola default; funciona con RQ 1.11 y con RQ 3.0.

Uso: python encolar_suma.py
"""

from rq import Queue

from conexion import conectar


def main():
    trabajo = Queue(connection=conectar()).enqueue("trabajos.sumar", 2, 3)
    print(f"Encolado {trabajo.description}")


if __name__ == "__main__":
    main()
