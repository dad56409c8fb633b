"""Las dos tareas de la comparación, las mismas para RQ, Celery, Dramatiq y Huey.

Cada una apunta en una lista de Redis la hora a la que se encoló y la hora
a la que terminó: de ahí salen la latencia y los trabajos por segundo, sin
depender de cómo guarda resultados cada sistema.
"""

import os
import time

from redis import Redis

from conexion import url_redis

HECHOS = "guia:comparativa:hechos"
_conexiones = {}


def _redis():
    # Una conexión por proceso: los procesos hijos no heredan la del padre.
    if os.getpid() not in _conexiones:
        _conexiones[os.getpid()] = Redis.from_url(url_redis())
    return _conexiones[os.getpid()]


def apuntar(encolada):
    _redis().rpush(HECHOS, f"{encolada!r} {time.time()!r}")


def vacia(encolada):
    apuntar(encolada)


def espera_50ms(encolada):
    time.sleep(0.05)
    apuntar(encolada)
