"""Las tareas de la comparación, para Dramatiq: su configuración por omisión, con RedisBroker."""

import dramatiq
from dramatiq.brokers.redis import RedisBroker

import comparables
from conexion import url_redis

dramatiq.set_broker(RedisBroker(url=url_redis()))


@dramatiq.actor
def vacia(encolada):
    comparables.vacia(encolada)


@dramatiq.actor
def espera_50ms(encolada):
    comparables.espera_50ms(encolada)
