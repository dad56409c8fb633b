"""Escenarios del capítulo "Cuando los trabajos fallan" (docs/fallos.rst).

Todo se ejecuta desde examples/rq, como el lector, con workers reales y un
Redis real. Cada escenario va dentro de ``vigilar_trabajos``: si algún
trabajo acaba perdido o a medias, el escenario falla.
"""

import os

from redis import Redis
from rq import Queue

from tests.arnes.transcripciones import escenario
from tests.arnes.vigia import vigilar_trabajos

TRAZA = "Traceback (most recent call last):"


def url():
    return os.environ["REDIS_URL"]


def cola():
    return Queue(connection=Redis.from_url(url()))


def recortar_trazas(texto):
    """Deja de cada traza la primera línea, "[...]" y la excepción final.

    Las líneas de en medio (ficheros y código de RQ) ocupan media pantalla
    por traza y no dicen nada que no diga la última.
    """
    lineas = []
    dentro = False
    for linea in texto.splitlines():
        if linea == TRAZA:
            dentro = True
            lineas += [linea, "[...]"]
        elif dentro and linea.startswith(" "):
            continue
        else:
            dentro = False
            lineas.append(linea)
    return "\n".join(lineas) + "\n"


def ejecutar_recortando(sesion, orden, codigo=0):
    resultado = sesion.ejecutar(orden, codigo=codigo, anotar=False)
    sesion.anotar(f"$ {orden}", recortar_trazas(resultado.stdout))


@escenario("fallos/vaciar")
def vaciar(sesion):
    sesion.ejecutar("python vaciar_redis.py")


@escenario("fallos/fallidos")
def fallidos(sesion):
    with vigilar_trabajos(url()):
        sesion.ejecutar("python fallos_encolar.py")
        ejecutar_recortando(sesion, "rq worker --burst")


@escenario("fallos/informe")
def informe(sesion):
    sesion.ejecutar("python fallos_informe.py")


@escenario("fallos/reencolar")
def reencolar(sesion):
    """rq requeue: con un trabajo que ya no está entre los fallidos, con uno que
    no existe y con --all; y el worker que los vuelve a ejecutar."""
    with vigilar_trabajos(url()):
        # El que el lector ha reencolado desde Python, y cuyo id ha copiado.
        [reencolado] = cola().get_job_ids()
        ejecutar_recortando(sesion, f"rq requeue --queue default {reencolado}", codigo=1)
        ejecutar_recortando(sesion, "rq requeue --queue default no-existe", codigo=1)
        # En una terminal, como el lector: así dibuja su barra de progreso.
        sesion.ejecutar_en_terminal("rq requeue --queue default --all")
        ejecutar_recortando(sesion, "rq worker --burst")


@escenario("fallos/reintentos")
def reintentos(sesion):
    with vigilar_trabajos(url()):
        sesion.ejecutar("python reintentos.py encolar 3")
        ejecutar_recortando(sesion, "rq worker --burst")
        sesion.ejecutar("python reintentos.py contar")


@escenario("fallos/reintentos-espaciados")
def reintentos_espaciados(sesion):
    with vigilar_trabajos(url()):
        sesion.ejecutar("python reintentos.py encolar 3 --esperas 1,2,4")
        ejecutar_recortando(sesion, "rq worker --burst")
        sesion.ejecutar("python reintentos.py contar")
        sesion.ejecutar("sleep 1")
        sesion.ejecutar("rq worker --burst --with-scheduler")


@escenario("fallos/tiempo-maximo")
def tiempo_maximo(sesion):
    with vigilar_trabajos(url()):
        sesion.ejecutar("python fallos_tiempo_maximo.py")
        ejecutar_recortando(sesion, "rq worker --burst")
