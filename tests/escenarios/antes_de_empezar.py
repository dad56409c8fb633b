"""Salidas del capítulo "Antes de empezar" (docs/antes-de-empezar.rst).

El entorno virtual de las pruebas hace de entorno del lector: tiene los
mismos paquetes (requirements.txt incluye examples/requirements.txt). Que un
entorno nuevo, hecho solo con el zip de los ejemplos, también lo consigue lo
comprueba tests/test_antes_de_empezar.py.
"""

from redis import Redis

from tests.arnes.redis_privado import puerto_libre
from tests.arnes.transcripciones import escenario


@escenario("antes-de-empezar/version")
def version(sesion):
    sesion.ejecutar("rq --version")


@escenario("antes-de-empezar/redis-server")
def redis_server(sesion):
    sesion.ejecutar("which redis-server")
    sesion.ejecutar("redis-server --version")


@escenario("antes-de-empezar/conexion")
def conexion(sesion):
    sesion.ejecutar("python conexion.py")
    sesion.ejecutar("rq info")


@escenario("antes-de-empezar/sin-redis")
def sin_redis(sesion):
    # En el 6390 no escucha nadie (la prueba se salta si lo hubiera).
    sesion.requiere_puerto_libre(6390)
    sesion.ejecutar("REDIS_URL=redis://localhost:6390/0 python conexion.py", codigo=1)
    sesion.ejecutar("REDIS_URL=redis://localhost:6390/0 rq info", codigo=1)


@escenario("antes-de-empezar/vaciar")
def vaciar(sesion):
    sesion.ejecutar("python vaciar_redis.py")


@escenario("antes-de-empezar/make-redis")
def make_redis(sesion):
    """`make redis` en la raíz del repositorio, y Ctrl+C.

    El 6379 de la máquina de pruebas puede estar ocupado: el Redis de este
    escenario escucha en un puerto libre, que la salida enseña como el 6379
    del lector. De lo que escribe redis-server al arrancar quedan su primera
    línea y la última ("Ready to accept connections").
    """
    puerto = puerto_libre()
    url = f"redis://localhost:{puerto}/0"
    with sesion.en_otra_terminal("make redis", carpeta="..", REDIS_URL=url) as redis:
        redis.esperar_texto("Ready to accept connections", limite=30)
        assert Redis.from_url(url).ping()
        # Ctrl+C llega a todo el grupo de la terminal: a make y al redis-server.
        redis.ctrl_c(limite=15, grupo=True)
    lineas = redis.en_pantalla().replace(str(puerto), "6379").splitlines()
    preparado = next(i for i, linea in enumerate(lineas) if "Ready to accept connections" in linea)
    arranque = next(i for i, linea in enumerate(lineas) if linea.startswith("Redis ") and "Ctrl+C" in linea)
    sesion.anotar("$ make redis", lineas[arranque], lineas[arranque + 1], "[...]", *lineas[preparado:])
