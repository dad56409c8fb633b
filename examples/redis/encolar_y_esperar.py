"""Encola un trabajo que no puede fallar y espera, conectado, a ver cómo acaba.

Uso: python encolar_y_esperar.py   (con un `rq worker` en marcha en otra terminal)

Como un programa web que sigue conectado a Redis mientras el worker trabaja.
"""

import sys
import time

from rq import Queue

from conexion import conectar
from tareas import tarea_pesada_y_falible


def main():
    cola = Queue(connection=conectar())
    trabajo = cola.enqueue(tarea_pesada_y_falible, 1, fallar=False)
    fin = time.monotonic() + 30
    while trabajo.get_status() not in ("finished", "failed"):
        if time.monotonic() > fin:
            sys.exit("Error: nadie ha hecho el trabajo; ¿hay un `rq worker` en marcha?")
        time.sleep(0.05)
    print(f"El trabajo ha acabado: {trabajo.get_status().value}")
    if trabajo.get_status() == "failed":
        # Del informe de fallo, la última línea: el motivo.
        print(trabajo.latest_result().exc_string.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
