"""Encola varias llamadas a la tarea del libro, sin reintentos.

Uso: python fallos_encolar.py [CUÁNTOS]

Cada trabajo dura entre 2 y 7 segundos y, de media, uno de cada cinco
falla: justo lo que necesitamos para ver adónde van los que fallan.
"""

import sys

from rq import Queue

from conexion import conectar
from tareas import duraciones_al_azar, tarea_pesada_y_falible

USO = "Uso: python fallos_encolar.py [CUÁNTOS]  (un número entero positivo; 5 si no lo indicas)"


def leer_cuantos(argumentos):
    """Devuelve cuántos trabajos encolar, o termina con el uso y código 2."""
    if not argumentos:
        return 5
    if len(argumentos) == 1 and argumentos[0].isdigit() and int(argumentos[0]) > 0:
        return int(argumentos[0])
    print(USO, file=sys.stderr)
    sys.exit(2)


def main(argumentos):
    cuantos = leer_cuantos(argumentos)
    cola = Queue(connection=conectar())
    duraciones = duraciones_al_azar(cuantos)
    for segundos in duraciones:
        cola.enqueue(tarea_pesada_y_falible, segundos)
    print(f"Encolados {cuantos} trabajos en la cola '{cola.name}': {duraciones}")


if __name__ == "__main__":
    main(sys.argv[1:])
