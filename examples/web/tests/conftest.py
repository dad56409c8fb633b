"""Lo que comparten las pruebas de la aplicación de informes.

El Redis lo pone pytest-redis: arranca un redis-server privado, en un puerto
libre y con sus datos en una carpeta temporal, para toda la sesión de
pruebas (`redis_proc`), y da a cada prueba una conexión que vacía al
terminar (`redisdb`). No toca tu Redis.
"""

import os
import subprocess
import sys
from pathlib import Path

# [escala]
# La tarea del libro lee TAREAS_ESCALA al importarse, así que va antes que
# nada: en las pruebas, cada "segundo" de trabajo dura 10 ms. Los workers que
# arranquen las pruebas lo heredan.
os.environ["TAREAS_ESCALA"] = "0.01"
# [fin escala]

import pytest
from fastapi.testclient import TestClient
from rq import Queue, SimpleWorker

from aplicacion import app, conexion_redis

CARPETA = Path(__file__).resolve().parent.parent


# [cola]
@pytest.fixture
def cola(redisdb):
    """La cola de los informes, en el Redis de las pruebas."""
    return Queue("informes", connection=redisdb)
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
def cliente(redisdb):
    """Un cliente HTTP de la aplicación; sus vistas usan el Redis de las pruebas."""
    app.dependency_overrides[conexion_redis] = lambda: redisdb
    with TestClient(app) as cliente:
        yield cliente
    app.dependency_overrides.clear()
# [fin cliente]


# [rq worker]
@pytest.fixture
def rq_worker(redis_proc):
    """Ejecuta `rq worker --burst informes` en otro proceso, como en producción."""
    url = f"redis://{redis_proc.host}:{redis_proc.port}/0"
    # Como en la terminal: la carpeta de la aplicación y PYTHONPATH con ../rq.
    entorno = {**os.environ, "PYTHONPATH": str(CARPETA.parent / "rq")}

    def trabajar():
        return subprocess.run(
            [sys.executable, "-m", "rq.cli", "worker", "--burst", "--url", url, "informes"],
            cwd=CARPETA, env=entorno, capture_output=True, text=True, timeout=60,
        )

    return trabajar
# [fin rq worker]
