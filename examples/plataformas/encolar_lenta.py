"""Encola la tarea del libro con 300 segundos de trabajo y un tiempo máximo de 1.

Uso: python encolar_lenta.py
"""

from rq import Queue

from conexion import conectar
from tareas import tarea_pesada_y_falible


def main():
    cola = Queue(connection=conectar())
    trabajo = cola.enqueue(tarea_pesada_y_falible, 300, fallar=False, job_timeout=1)
    print(f"Encolado {trabajo.description}, con un tiempo máximo de {trabajo.timeout} s")


if __name__ == "__main__":
    main()
