"""Ajustes del proyecto de ejemplo: Django con su admin y django-rq.

Lo que depende de la máquina sale del entorno: dónde está Redis
(REDIS_URL, obligatoria), su contraseña (REDIS_PASSWORD, opcional) y
dónde guardar la base de datos SQLite (DJANGO_BASE_DE_DATOS, opcional).
"""

import os
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

# Solo para el ejemplo: en producción, la clave sale del entorno y DEBUG es False.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "clave-de-ejemplo-no-la-uses-en-produccion")
DEBUG = True
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]

# [aplicaciones]
INSTALLED_APPS = [
    # El admin y lo que necesita: usuarios, tipos de contenido, sesiones y mensajes.
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_rq",
    "demo",
]
# [fin aplicaciones]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "proyecto.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("DJANGO_BASE_DE_DATOS", BASE_DIR / "db.sqlite3"),
    }
}

LANGUAGE_CODE = "es"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def _redis_del_entorno():
    """Lee REDIS_URL (obligatoria); si falta o no vale, lo explica en una línea."""
    url = os.environ.get("REDIS_URL")
    if not url:
        raise ImproperlyConfigured(
            "falta la variable de entorno REDIS_URL (por ejemplo, redis://localhost:6379/0)."
        )
    partes = urlsplit(url)
    base = partes.path.lstrip("/") or "0"
    try:
        valida = partes.scheme == "redis" and partes.hostname and base.isdigit() and partes.port != 0
    except ValueError:  # un puerto que no es un número
        valida = False
    if not valida:
        raise ImproperlyConfigured(
            "REDIS_URL no es una URL de Redis válida; se espera redis://máquina:puerto/base."
        )
    return partes._replace(path=f"/{base}")


def _con_contrasena(partes, contrasena):
    """La misma URL, con la contraseña dentro (y el usuario, si lo había)."""
    if not contrasena:
        return urlunsplit(partes)
    usuario = partes.username or ""
    maquina = f"{partes.hostname}:{partes.port or 6379}"
    return urlunsplit(partes._replace(netloc=f"{usuario}:{quote(contrasena, safe='')}@{maquina}"))


# [colas]
_redis = _redis_del_entorno()
# REDIS_PASSWORD, si está, manda sobre la contraseña que traiga REDIS_URL.
REDIS_PASSWORD = os.environ.get("REDIS_PASSWORD") or unquote(_redis.password or "") or None
# Una sola URL para las colas que la usan. django-rq no mira PASSWORD cuando
# hay URL, así que la contraseña va dentro de la propia URL.
REDIS = _con_contrasena(_redis, REDIS_PASSWORD)

RQ_QUEUES = {
    # Forma URL: todo en una cadena. Las tres colas comparten conexión, y
    # un mismo worker puede atenderlas juntas.
    "high": {"URL": REDIS, "DEFAULT_TIMEOUT": 60},
    "default": {"URL": REDIS, "DEFAULT_TIMEOUT": 360},
    "low": {"URL": REDIS, "DEFAULT_TIMEOUT": "1h"},
    # Forma HOST/PORT/DB: cada dato en su clave. Es otra conexión, aunque
    # apunte al mismo Redis: esta cola necesita su propio worker.
    "informes": {
        "HOST": _redis.hostname,
        "PORT": _redis.port or 6379,
        "DB": int(_redis.path.lstrip("/")),
        "USERNAME": unquote(_redis.username) if _redis.username else None,
        "PASSWORD": REDIS_PASSWORD,
        "DEFAULT_TIMEOUT": 1800,
        "REDIS_CLIENT_KWARGS": {"health_check_interval": 30},
    },
}
# [fin colas]

# [modo de commit]
RQ = {
    # El valor por defecto desde django-rq 4.0; lo escribimos para que se vea.
    "COMMIT_MODE": "on_db_commit",
}
# [fin modo de commit]
