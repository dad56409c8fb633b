"""Capítulo de pruebas: lo que afirma de RQ, pytest-redis y fakeredis, comprobado.

Las pruebas del lector (examples/web/tests/: conftest.py, test_informes.py,
test_api.py y test_trampas.py, con su examples/web/pytest.ini) las ejecuta
make test directamente, y el capítulo, como el lector, con `pytest`.
"""

import importlib.metadata
import importlib.util
import inspect
import tomllib
from configparser import ConfigParser
from pathlib import Path
from unittest.mock import Mock

import fakeredis
import pytest
import pytest_redis.exception
import pytest_redis.executor.process
import pytest_redis.factories.client
import pytest_redis.plugin
from redis import Redis
from redis.exceptions import ConnectionError, ResponseError
from rq import Callback, Queue, RateLimit, SimpleWorker, Worker
from rq.job import JobStatus

from informes import generar_informe
from tests.arnes.redis_privado import puerto_libre

RAIZ = Path(__file__).resolve().parents[1]
WEB = RAIZ / "examples" / "web"
FALLOS_VISTOS = []


def apuntar_fallo(trabajo, conexion, tipo, valor, traza):
    FALLOS_VISTOS.append(trabajo.id)


# --- Las pruebas del lector, en make test y en su carpeta ---

def test_las_pruebas_del_lector_estan_en_make_test_con_la_misma_ruta_de_importacion():
    opciones = tomllib.loads((RAIZ / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert "examples/web/tests" in opciones["testpaths"]
    lector = ConfigParser()
    lector.read(WEB / "pytest.ini")
    # pytest.ini del lector: "pythonpath = . ../rq", relativo a examples/web.
    del_lector = {(WEB / ruta).resolve() for ruta in lector["pytest"]["pythonpath"].split()}
    del_libro = {(RAIZ / ruta).resolve() for ruta in opciones["pythonpath"]}
    assert del_lector == del_libro
    assert lector["pytest"]["testpaths"] == "tests"
    for nombre in ["conftest.py", "test_informes.py", "test_api.py", "test_trampas.py"]:
        assert (WEB / "tests" / nombre).is_file()


# --- La cola síncrona ---

def test_la_cola_sincrona_necesita_redis():
    sin_redis = Redis.from_url(f"redis://127.0.0.1:{puerto_libre()}/0")
    with pytest.raises(ConnectionError):
        Queue("informes", connection=sin_redis, is_async=False).enqueue(generar_informe, 1)


def test_la_cola_sincrona_rechaza_rate_limit(redis_conexion):
    cola = Queue("informes", connection=redis_conexion, is_async=False)
    with pytest.raises(ValueError, match=r"rate_limit is not supported on synchronous queues"):
        cola.enqueue(generar_informe, 1, rate_limit=RateLimit("informes", 1))


def test_la_cola_sincrona_no_relanza_la_excepcion_y_llama_a_on_failure(redis_conexion):
    cola = Queue("informes", connection=redis_conexion, is_async=False)
    trabajo = cola.enqueue(generar_informe, 2, fallar=True, on_failure=Callback(apuntar_fallo))
    assert trabajo.get_status() == JobStatus.FAILED
    assert FALLOS_VISTOS == [trabajo.id]


# --- SimpleWorker y el canal de órdenes ---

def test_al_acabar_un_worker_espera_hasta_un_segundo_a_su_hilo_de_ordenes():
    # El hilo espera mensajes hasta 60 s seguidos; al acabar, el worker le
    # da un segundo para enterarse de que debe parar.
    assert "sleep_time=60" in inspect.getsource(Worker.subscribe)
    assert "self.pubsub_thread.join(timeout=1)" in inspect.getsource(Worker.unsubscribe)
    # Sin subscribe(), no hay hilo que esperar.
    assert "if self.pubsub_thread:" in inspect.getsource(Worker.unsubscribe)


# --- Un mock y un worker con fork ---

def test_el_hijo_llama_a_su_copia_del_mock(redis_conexion, monkeypatch, capfd):
    falsa = Mock(side_effect=lambda segundos, fallar: print("tramo falso", flush=True))
    monkeypatch.setattr("informes.tarea_pesada_y_falible", falsa)
    cola = Queue("informes", connection=redis_conexion)
    trabajo = cola.enqueue(generar_informe, 2)
    Worker([cola], connection=redis_conexion).work(burst=True)
    assert trabajo.get_status() == JobStatus.FINISHED
    # El hijo usó el mock (imprime "tramo falso", no la tarea del libro)...
    salida = capfd.readouterr().out
    assert salida.count("tramo falso") == 2
    assert "tarea_pesada_y_falible" not in salida
    # ...pero las llamadas se apuntaron en su copia, no en esta.
    assert falsa.call_count == 0


# --- fakeredis ---

def test_fakeredis_sin_lua_no_tiene_eval_ni_evalsha():
    conexion = fakeredis.FakeRedis()
    for orden in ("EVAL", "EVALSHA"):
        with pytest.raises(ResponseError, match=f"unknown command '{orden.lower()}'"):
            conexion.execute_command(orden, "return 1", 0)


def test_fakeredis_sin_lua_rompe_queue_empty_y_el_planificador():
    cola = Queue("informes", connection=fakeredis.FakeRedis())
    cola.enqueue(generar_informe, 1)
    with pytest.raises(ResponseError, match="evalsha"):
        cola.empty()
    with pytest.raises(ResponseError, match="evalsha"):
        SimpleWorker([cola], connection=cola.connection).work(burst=True, with_scheduler=True)


def test_el_extra_lua_de_fakeredis_trae_lupa_y_aqui_no_esta():
    extras = [r for r in importlib.metadata.requires("fakeredis") if "extra ==" in r]
    assert any(r.startswith("lupa") and "extra == 'lua'" in r for r in extras), extras
    # Como en el entorno del lector (examples/requirements.txt): sin lupa.
    assert importlib.util.find_spec("lupa") is None


# --- pytest-redis ---

def test_pytest_redis_busca_redis_server_en_el_path_y_vacia_tras_cada_prueba():
    assert 'default=which("redis-server")' in inspect.getsource(pytest_redis.plugin.pytest_addoption)
    assert "redis_client.flushall()" in inspect.getsource(pytest_redis.factories.client.redisdb)


def test_pytest_redis_no_cabe_en_una_carpeta_temporal_larga(tmp_path):
    # 104 caracteres fuera de Linux (macOS), 107 en Linux.
    assert "MAX_UNIXSOCKET = 104" in inspect.getsource(pytest_redis.executor.process)
    larga = tmp_path / ("x" * 60) / "pytest-of-lector" / "pytest-3" / "pytest-redis-redis_proc0"
    ejecutor = pytest_redis.executor.process.RedisExecutor(
        executable="redis-server", databases=8, redis_timeout=15, loglevel="notice",
        host="127.0.0.1", port=54321, datadir=larga,
    )
    with pytest.raises(pytest_redis.exception.UnixSocketTooLong):
        ejecutor._check_unixsocket_length()
    # Con TMPDIR=/tmp, la misma ruta cabe de sobra.
    corta = Path("/tmp/pytest-of-lector/pytest-3/pytest-redis-redis_proc0")
    ejecutor.unixsocket = str(corta / "redis.54321.sock")
    ejecutor._check_unixsocket_length()
