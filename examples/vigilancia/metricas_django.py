"""Un proyecto de Django de un solo fichero: las colas del libro y la vista de métricas de django-rq.

Uso: python metricas_django.py runserver 127.0.0.1:8001

Lee REDIS_URL, como todos los ejemplos, y RQ_API_TOKEN, el secreto que
Prometheus manda en la cabecera Authorization para leer las métricas.
"""

import os
import sys

from conexion import conectar, url_redis

# [ajustes]
SECRET_KEY = "solo-para-este-ejemplo"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Las rutas de django-rq, sin más: las métricas quedan en /metrics/.
ROOT_URLCONF = "django_rq.urls"
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "django_rq"]
# La vista de métricas deja pasar a quien tenga sesión de staff o el token.
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
# Sin Redis, una línea de error al arrancar, y no una traza en cada petición.
conectar()
RQ_QUEUES = {nombre: {"URL": url_redis()} for nombre in ("high", "default", "low")}
RQ_API_TOKEN = os.environ.get("RQ_API_TOKEN", "")
# [fin ajustes]

if __name__ == "__main__":
    os.environ["DJANGO_SETTINGS_MODULE"] = "metricas_django"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
