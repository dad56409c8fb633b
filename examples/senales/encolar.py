"""Encola la tarea del libro con un aviso si falla y, si se pide, con reintentos.

Uso: python encolar.py SEGUNDOS [--reintentos N]

La tarea lleva fallar=False: si el trabajo acaba fallando, no será culpa
suya, sino de lo que le pase a su worker.
"""

import sys

from rq import Callback, Queue, Retry

from avisos import al_fallar
from conexion import conectar
from tareas import tarea_pesada_y_falible

USO = "Uso: python encolar.py SEGUNDOS [--reintentos N]  (números enteros positivos)"


def leer_argumentos(argumentos):
    """(segundos, reintentos) o termina con el uso y código 2."""
    if len(argumentos) == 3 and argumentos[1] == "--reintentos":
        segundos, _, reintentos = argumentos
    elif len(argumentos) == 1:
        segundos, reintentos = argumentos[0], "0"
    else:
        segundos = reintentos = ""
    if not (segundos.isdigit() and reintentos.isdigit() and int(segundos) > 0):
        print(USO, file=sys.stderr)
        sys.exit(2)
    return int(segundos), int(reintentos)


def encolar(cola, segundos, reintentos=0):
    return cola.enqueue(
        tarea_pesada_y_falible,
        segundos,
        fallar=False,
        on_failure=Callback(al_fallar),
        retry=Retry(max=reintentos) if reintentos else None,
    )


def main(argumentos):
    segundos, reintentos = leer_argumentos(argumentos)
    trabajo = encolar(Queue(connection=conectar()), segundos, reintentos)
    print(f"Encolado {trabajo.description} con el id {trabajo.id}")


if __name__ == "__main__":
    main(sys.argv[1:])
