"""Comprobación de salud de RQ: sale con 0 si todo va bien y con 1 si algo falla.

Uso: python salud.py [--espera-maxima SEGUNDOS] COLA [COLA...]

Para cada cola comprueba dos cosas: que la escucha algún worker vivo y que
su primer trabajo no lleva esperando más de SEGUNDOS (300 si no dices otra
cosa). Pensada para un gestor de procesos o la sonda de un contenedor, que
solo miran el código de salida.
"""

import sys

from rq import Queue, Worker

from conexion import conectar
from resumen import espera

USO = "Uso: python salud.py [--espera-maxima SEGUNDOS] COLA [COLA...]"
ESPERA_MAXIMA = 300


def problemas(cola, espera_maxima):
    """Lo que va mal en una cola, en frases; una lista vacía si nada."""
    encontrados = []
    if not Worker.all(queue=cola):
        encontrados.append(f"{cola.name}: ningún worker escucha esta cola")
    segundos = espera(cola)
    if segundos > espera_maxima:
        encontrados.append(
            f"{cola.name}: el primer trabajo lleva {segundos:.0f} segundos esperando "
            f"(el máximo es {espera_maxima:g})"
        )
    return encontrados


def leer_argumentos(argumentos):
    """(espera máxima, nombres de cola), o None si los argumentos no valen."""
    espera_maxima = ESPERA_MAXIMA
    if argumentos[:1] == ["--espera-maxima"]:
        try:
            espera_maxima = float(argumentos[1])
        except (IndexError, ValueError):
            return None
        argumentos = argumentos[2:]
    if not argumentos or any(a.startswith("-") for a in argumentos):
        return None
    return espera_maxima, argumentos


def main(argumentos):
    leidos = leer_argumentos(argumentos)
    if leidos is None:
        print(USO, file=sys.stderr)
        return 2
    espera_maxima, nombres = leidos
    conexion = conectar()
    encontrados = []
    for nombre in nombres:
        encontrados += problemas(Queue(nombre, connection=conexion), espera_maxima)
    for problema in encontrados:
        print(f"MAL {problema}")
    if encontrados:
        return 1
    print(f"BIEN {', '.join(nombres)}: con workers y sin esperas de más de {espera_maxima:g} segundos")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
