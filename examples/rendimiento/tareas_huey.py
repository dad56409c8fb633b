"""Las tareas de la comparación, para Huey: su configuración por omisión, con RedisHuey."""

from huey import RedisHuey

import comparables
from conexion import url_redis

huey = RedisHuey("comparativa", url=url_redis())


@huey.task()
def vacia(encolada):
    comparables.vacia(encolada)


@huey.task()
def espera_50ms(encolada):
    comparables.espera_50ms(encolada)
