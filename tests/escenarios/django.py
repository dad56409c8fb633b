"""Las salidas de consola del capítulo de Django (docs/django.rst).

Cada orden se ejecuta en examples/django, como el lector, con REDIS_URL
apuntando al Redis de las pruebas. Las duraciones de la tarea (1, 2 y 3
segundos) son de las que no fallan con la semilla de las pruebas.
"""

import os
import sys

from redis import Redis
from rq import Queue

from tests.arnes.transcripciones import escenario

CARPETA = "django"
TAREA = "demo.tareas.tarea_pesada_y_falible"


def _manage(*argumentos):
    return [sys.executable, "manage.py", *argumentos]


def _encolar_sin_mostrar(cola, segundos):
    # Preparar el escenario no forma parte de lo que ve el lector.
    Queue(cola, connection=Redis.from_url(os.environ["REDIS_URL"])).enqueue(TAREA, segundos)


def _recortar_tras_la_primera_cola(sesion):
    """Deja solo la primera cola del YAML de rqstats y marca el corte con [...]."""
    inicio = max(i for i, linea in enumerate(sesion.lineas) if linea.startswith("$ "))
    colas = [i for i, linea in enumerate(sesion.lineas) if i > inicio and linea.startswith("- ")]
    del sesion.lineas[colas[1]:]
    sesion.lineas.append("[...]")


@escenario("django/check")
def check(sesion):
    sesion.ejecutar("python manage.py check", carpeta=CARPETA)
    sesion.ejecutar(
        "env -u REDIS_URL python manage.py check", carpeta=CARPETA, codigo=1,
        real=["env", "-u", "REDIS_URL", *_manage("check")],
    )


@escenario("django/recorrido")
def recorrido(sesion):
    sesion.ejecutar(f"python manage.py rqenqueue {TAREA} 2", carpeta=CARPETA)
    sesion.ejecutar(f"python manage.py rqenqueue --queue high {TAREA} 3", carpeta=CARPETA)
    sesion.ejecutar("python manage.py rqstats", carpeta=CARPETA)
    sesion.ejecutar("python manage.py rqworker --burst high default low", carpeta=CARPETA)
    sesion.ejecutar("python manage.py rqstats --yaml", carpeta=CARPETA)
    _recortar_tras_la_primera_cola(sesion)


@escenario("django/suspender")
def suspender(sesion):
    _encolar_sin_mostrar("default", 1)
    sesion.ejecutar("python manage.py rqsuspend", carpeta=CARPETA)
    sesion.ejecutar("python manage.py rqworker --burst high default low", carpeta=CARPETA)
    sesion.ejecutar("python manage.py rqresume", carpeta=CARPETA)


@escenario("django/mezcla")
def mezcla(sesion):
    sesion.ejecutar("python manage.py rqworker --burst high informes", carpeta=CARPETA, codigo=1)


@escenario("django/sin-redis")
def sin_redis(sesion):
    # En el puerto 6390 no escucha nadie (la prueba lo comprueba antes).
    sesion.ejecutar(
        "REDIS_URL=redis://localhost:6390/0 python manage.py rqstats", carpeta=CARPETA, codigo=1,
        real=_manage("rqstats"), REDIS_URL="redis://localhost:6390/0",
    )


@escenario("django/rqscheduler")
def rqscheduler(sesion):
    sesion.ejecutar("python manage.py rqscheduler", carpeta=CARPETA, codigo=1)
