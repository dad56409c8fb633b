"""Tareas de los capítulos de Redis: cortas y sin azar, para contar bien."""

import time
from pathlib import Path

from conexion import conectar


def retener(fichero, limite=60):
    """No acaba hasta que alguien crea `fichero` (o pasan `limite` segundos).

    Así un programa puede mirar qué pasa mientras hay un trabajo en marcha,
    sin carreras con el reloj.
    """
    fin = time.monotonic() + limite
    while not Path(fichero).exists() and time.monotonic() < fin:
        time.sleep(0.01)
    return Path(fichero).exists()


def apuntar(numero, aviso=None, datos=None):
    """Apunta que el trabajo `numero` se ha hecho una vez más.

    Lo apunta en el Redis de REDIS_URL (el del libro), no en el que tiene las
    colas: así la cuenta no depende del Redis que estamos rompiendo. Con
    `aviso`, antes espera a que alguien cree esa clave en el mismo Redis.
    `datos` no se usa: es lo que llevaría un trabajo de verdad (el texto de
    un correo, por ejemplo), para que ocupe memoria en Redis.
    """
    libro = conectar()
    fin = time.monotonic() + 60
    while aviso and not libro.exists(aviso) and time.monotonic() < fin:
        time.sleep(0.01)
    return libro.hincrby("guia:ejecuciones", numero, 1)
