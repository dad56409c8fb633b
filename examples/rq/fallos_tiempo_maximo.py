"""Un trabajo que no cabe en su tiempo máximo, y otro normal detrás de él.

Uso: python fallos_tiempo_maximo.py

El primero pide cinco minutos de trabajo con un tiempo máximo de un
segundo: exagerado a propósito, para no tener que esperar. Los dos llevan
fallar=False: aquí solo puede cortarlos el tiempo máximo.
"""

import sys

from rq import Queue

from conexion import conectar
from tareas import tarea_pesada_y_falible


def main(argumentos):
    if argumentos:
        print("Uso: python fallos_tiempo_maximo.py  (no admite argumentos)", file=sys.stderr)
        sys.exit(2)
    cola = Queue(connection=conectar())
    largo = cola.enqueue(tarea_pesada_y_falible, 300, fallar=False, job_timeout=1)
    normal = cola.enqueue(tarea_pesada_y_falible, 3, fallar=False)
    for trabajo in (largo, normal):
        print(f"{trabajo.description}: tiempo máximo {trabajo.timeout} s")


if __name__ == "__main__":
    main(sys.argv[1:])
