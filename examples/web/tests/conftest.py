"""Lo que comparten las pruebas de la aplicación de informes.

El Redis lo arranca `url_redis`: un redis-server solo para esta sesión de
pruebas, en un puerto libre, que se para y se borra al terminar. No toca tu
Redis. Cada prueba habla con él por `conexion`, que lo vacía al acabar.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# [escala]
# La tarea del libro lee TAREAS_ESCALA al importarse, así que va antes que
# nada: en las pruebas, cada "segundo" de trabajo dura 10 ms. Los workers que
# arranquen las pruebas lo heredan.
os.environ["TAREAS_ESCALA"] = "0.01"
# [fin escala]

import pytest
from fastapi.testclient import TestClient
from redis import Redis
from redis.exceptions import ConnectionError as RedisNoContesta
from rq import Queue, SimpleWorker

from aplicacion import app, conexion_redis

CARPETA = Path(__file__).resolve().parent.parent


# [redis]
@pytest.fixture(scope="session")
def url_redis():
    """Arranca un redis-server solo para esta sesión de pruebas y da su URL."""
    programa = shutil.which("redis-server")
    if programa is None:
        mensaje = "No encuentro redis-server: activa el entorno virtual o instala Redis."
        pytest.fail(mensaje, pytrace=False)
    with socket.socket() as s:  # Con el puerto 0, el sistema elige uno libre.
        s.bind(("127.0.0.1", 0))
        puerto = s.getsockname()[1]
    url = f"redis://127.0.0.1:{puerto}/0"
    with tempfile.TemporaryDirectory(prefix="redis-pruebas-") as carpeta:
        servidor = subprocess.Popen(
            [programa, "--bind", "127.0.0.1", "--port", str(puerto),
             "--save", "", "--appendonly", "no", "--dir", carpeta],
            stdout=subprocess.DEVNULL,
        )
        try:
            with Redis.from_url(url) as sonda:
                for _ in range(100):  # Hasta 5 s, a que conteste a PING.
                    with contextlib.suppress(RedisNoContesta):
                        if sonda.ping():
                            break
                    time.sleep(0.05)
                else:
                    pytest.fail(f"redis-server no contesta en el puerto {puerto}.", pytrace=False)
            yield url
        finally:
            servidor.terminate()
            servidor.wait()


@pytest.fixture
def conexion(url_redis):
    """Una conexión a ese Redis, que se vacía al acabar cada prueba."""
    with Redis.from_url(url_redis) as conexion:
        yield conexion
        conexion.flushall()
# [fin redis]


# [cola]
@pytest.fixture
def cola(conexion):
    """La cola de los informes, en el Redis de las pruebas."""
    return Queue("informes", connection=conexion)
# [fin cola]


# [trabajar]
class SimpleWorkerSinOrdenes(SimpleWorker):
    def subscribe(self):
        # Un worker escucha órdenes (parar, cancelar...) en un canal de Redis,
        # desde otro hilo, y al acabar puede esperar hasta un segundo a que
        # ese hilo se entere. En las pruebas nadie manda órdenes: sin canal.
        pass


@pytest.fixture
def trabajar(cola):
    """Hace aquí mismo, uno tras otro, los trabajos de la cola, y vuelve."""
    return lambda: SimpleWorkerSinOrdenes([cola], connection=cola.connection).work(burst=True)
# [fin trabajar]


# [cliente]
@pytest.fixture
def cliente(conexion):
    """Un cliente HTTP de la aplicación; sus vistas usan el Redis de las pruebas."""
    app.dependency_overrides[conexion_redis] = lambda: conexion
    with TestClient(app) as cliente:
        yield cliente
    app.dependency_overrides.clear()
# [fin cliente]


# [rq worker]
@pytest.fixture
def rq_worker(url_redis):
    """Ejecuta `rq worker --burst informes` en otro proceso, como en producción."""
    # Como en la terminal: la carpeta de la aplicación y PYTHONPATH con ../rq.
    entorno = {**os.environ, "PYTHONPATH": str(CARPETA.parent / "rq")}

    def trabajar():
        return subprocess.run(
            [sys.executable, "-m", "rq.cli", "worker", "--burst", "--url", url_redis, "informes"],
            cwd=CARPETA, env=entorno, capture_output=True, text=True, timeout=60,
        )

    return trabajar
# [fin rq worker]
