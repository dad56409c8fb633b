"""Salidas del capítulo "Antes de empezar" (docs/antes-de-empezar.rst).

El entorno virtual de las pruebas hace de entorno del lector: tiene los
mismos paquetes (requirements.txt incluye examples/requirements.txt). Que un
entorno nuevo, hecho solo con el zip de los ejemplos, también lo consigue lo
comprueba tests/test_antes_de_empezar.py.
"""

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
