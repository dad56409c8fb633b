"""Las tareas de la comparación, para Celery: su configuración por omisión, con Redis de broker."""

from celery import Celery

import comparables
from conexion import url_redis

app = Celery("tareas_celery", broker=url_redis())


@app.task
def vacia(encolada):
    comparables.vacia(encolada)


@app.task
def espera_50ms(encolada):
    comparables.espera_50ms(encolada)
