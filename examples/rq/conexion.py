"""Conexión a Redis para todos los ejemplos del libro.

La dirección sale de la variable de entorno REDIS_URL; si no está definida,
usamos el Redis local de siempre. Ejecutado como programa
(`python conexion.py`), comprueba que Redis contesta.
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


def url_visible():
    """La URL de Redis para enseñarla en pantalla: sin la contraseña."""
    return _sin_contrasena(url_redis())


def _sin_contrasena(url):
    # Lo que sale por pantalla no debe enseñar la contraseña.
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
        if urlsplit(url).password is None:
            sys.exit(f"Error: Redis en {visible} pide contraseña y REDIS_URL no lleva ninguna.")
        sys.exit(f"Error: Redis en {visible} rechaza el usuario o la contraseña (revisa REDIS_URL).")
    except (ConnectionError, TimeoutError):
        sys.exit(
            f"Error: no puedo conectar con Redis en {visible}. "
            "Arráncalo (con 'redis-server', por ejemplo) "
            "o indica otro servidor en la variable REDIS_URL."
        )
    return conexion


def main():
    conexion = conectar()
    version = conexion.info("server")["redis_version"]
    print(f"Redis {version} contesta en {url_visible()}")


if __name__ == "__main__":
    main()
