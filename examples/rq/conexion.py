"""Conexión a Redis para todos los ejemplos del libro.

La dirección sale de la variable de entorno REDIS_URL; si no está definida,
usamos el Redis local de siempre.
"""

import os
import sys
from urllib.parse import urlsplit

from redis import Redis
from redis.exceptions import AuthenticationError, ConnectionError, TimeoutError

URL_POR_DEFECTO = "redis://localhost:6379/0"


def url_redis():
    """Devuelve la URL de Redis que usarán los ejemplos."""
    return os.environ.get("REDIS_URL", URL_POR_DEFECTO)


def _sin_contrasena(url):
    # Los mensajes de error no deben enseñar la contraseña.
    partes = urlsplit(url)
    if partes.password:
        return url.replace(f":{partes.password}@", ":***@", 1)
    return url


def conectar():
    """Devuelve una conexión a Redis ya comprobada.

    Si Redis no responde, termina el programa con un mensaje de una línea
    (y código de salida 1) en vez de con una traza de error.
    """
    url = url_redis()
    visible = _sin_contrasena(url)
    try:
        conexion = Redis.from_url(url)
        conexion.ping()
    except ValueError:
        sys.exit(f"Error: REDIS_URL no es una URL de Redis válida: {visible}")
    except AuthenticationError:
        sys.exit(f"Error: Redis en {visible} rechaza la contraseña (revisa REDIS_URL).")
    except (ConnectionError, TimeoutError):
        sys.exit(
            f"Error: no puedo conectar con Redis en {visible}. "
            "Arráncalo (por ejemplo, con 'redis-server') "
            "o indica otro servidor en la variable REDIS_URL."
        )
    return conexion
