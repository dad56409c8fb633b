"""Las órdenes de django-rq, con Redis comprobado antes y los errores en una línea.

Sin esto, `rqstats`, `rqenqueue` o `rqsuspend` con Redis parado acaban en
una traza de error, y una cola mal escrita también.
"""

import sys

from django.core.management import execute_from_command_line
from redis.exceptions import AuthenticationError, ConnectionError, TimeoutError


def ejecutar_orden_rq(argumentos):
    comprobar_redis()
    try:
        execute_from_command_line(argumentos)
    except KeyError as error:
        # django-rq busca cada cola por su nombre en RQ_QUEUES.
        sys.exit(f"Error: la cola {error} no está en RQ_QUEUES.")
    except ValueError as error:
        # Por ejemplo, un worker para colas con conexiones distintas.
        sys.exit(f"Error: {error}")
    except (ConnectionError, TimeoutError):
        sys.exit("Error: se ha perdido la conexión con Redis.")


def comprobar_redis():
    """Hace PING a cada conexión de RQ_QUEUES; si una falla, termina con una línea."""
    from django_rq.connection_utils import get_redis_connection, get_unique_connection_configs

    for configuracion in get_unique_connection_configs():
        conexion = get_redis_connection(configuracion)
        datos = conexion.connection_pool.connection_kwargs
        donde = f"{datos['host']}:{datos['port']}/{datos['db']}"
        try:
            conexion.ping()
        except AuthenticationError:
            sys.exit(f"Error: Redis en {donde} rechaza la contraseña (revisa REDIS_PASSWORD).")
        except (ConnectionError, TimeoutError):
            sys.exit(
                f"Error: no puedo conectar con Redis en {donde}. "
                "Arráncalo o indica otro servidor en la variable REDIS_URL."
            )
        finally:
            conexion.close()
