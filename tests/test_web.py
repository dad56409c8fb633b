"""Capítulo de la aplicación web: lo que afirma de FastAPI, uvicorn y RQ, comprobado.

La aplicación (examples/web/aplicacion.py) se prueba aquí con TestClient,
con su conexión cambiada por la del Redis de las pruebas; la sesión con
uvicorn, un worker y curl de verdad es la del capítulo (tests/escenarios/web.py).
"""

import re
import subprocess
import threading
from datetime import timedelta

import anyio
import anyio.to_thread
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from redis import Redis
from rq import Queue, SimpleWorker
from rq.job import JobStatus

import aplicacion
from informes import generar_informe
from tests.arnes import procesos
from tests.arnes.redis_privado import puerto_libre

# Como en la terminal del capítulo: desde examples/web, con PYTHONPATH=../rq.
WEB = {"carpeta": "web", "PYTHONPATH": "../rq"}


def con_conexion(conexion):
    """Un TestClient de aplicacion.py cuyas vistas usan `conexion`."""
    aplicacion.app.dependency_overrides[aplicacion.conexion_redis] = lambda: conexion
    return TestClient(aplicacion.app)


@pytest.fixture
def cliente(redis_conexion):
    with con_conexion(redis_conexion) as cliente:
        yield cliente
    aplicacion.app.dependency_overrides.clear()


# --- def y async def ---

def test_fastapi_ejecuta_las_vistas_def_en_un_hilo_y_las_async_en_el_bucle():
    app = FastAPI()
    hilos = {}

    @app.get("/def")
    def vista_def():
        hilos["def"] = threading.current_thread()

    @app.get("/async")
    async def vista_async():
        hilos["async"] = threading.current_thread()

    with TestClient(app) as cliente:
        cliente.get("/def")
        cliente.get("/async")
    # La def, en un hilo del grupo de anyio; la async, en el del bucle de eventos.
    assert hilos["def"].name == "AnyIO worker thread"
    assert hilos["async"].name != "AnyIO worker thread"
    assert hilos["def"] is not hilos["async"]


def test_el_grupo_de_hilos_de_anyio_tiene_40_por_defecto():
    async def hilos():
        return anyio.to_thread.current_default_thread_limiter().total_tokens

    # En un hilo propio: en este puede haber ya un bucle de eventos en marcha
    # (el de Playwright, si este proceso de pytest ejecutó antes sus pruebas).
    visto = []
    hilo = threading.Thread(target=lambda: visto.append(anyio.run(hilos)))
    hilo.start()
    hilo.join(timeout=30)
    assert visto == [40]


# --- Pedir un informe ---

def test_pedir_contesta_202_con_la_direccion_absoluta_en_location(cliente):
    respuesta = cliente.post("/informes", json={"segundos": 1})
    assert respuesta.status_code == 202
    assert respuesta.headers["location"] == f"http://testserver/informes/{respuesta.json()['id']}"
    assert respuesta.json()["estado"] == "queued"


def test_la_aplicacion_recuerda_cada_informe_un_dia(cliente, redis_conexion):
    id_ = cliente.post("/informes", json={"segundos": 1}).json()["id"]
    assert 86400 - 60 < redis_conexion.ttl(f"guia:informe:{id_}") <= 86400
    # vaciar_redis.py borra las claves guia:..., también estas.
    assert procesos.python("vaciar_redis.py").returncode == 0
    assert not redis_conexion.exists(f"guia:informe:{id_}")


def test_un_cuerpo_mal_formado_da_422_con_el_mensaje_de_fastapi(cliente):
    for cuerpo, tipo in [({}, "missing"), ({"segundos": 61}, "less_than_equal"), ({"segundos": "dos"}, "int_parsing")]:
        respuesta = cliente.post("/informes", json=cuerpo)
        assert respuesta.status_code == 422
        assert respuesta.json()["detail"][0]["type"] == tipo
        assert respuesta.json()["detail"][0]["loc"] == ["body", "segundos"]


# --- Preguntar por un informe ---

def test_un_id_que_no_tiene_la_forma_de_uno_de_rq_da_422(cliente):
    respuesta = cliente.get("/informes/a:b")
    assert respuesta.status_code == 422
    assert respuesta.json()["detail"][0]["type"] == "string_pattern_mismatch"


def test_los_demas_estados_de_rq_pasan_tal_cual(cliente, redis_conexion):
    cola = Queue("informes", connection=redis_conexion)
    programado = cola.enqueue_in(timedelta(minutes=5), generar_informe, 1)
    primero = cola.enqueue(generar_informe, 1)
    aplazado = cola.enqueue(generar_informe, 1, depends_on=primero)
    assert cliente.get(f"/informes/{programado.id}").json()["estado"] == "scheduled"
    assert cliente.get(f"/informes/{aplazado.id}").json()["estado"] == "deferred"


class SimpleWorkerSinOrdenes(SimpleWorker):
    def subscribe(self):
        # Como en examples/web/tests/conftest.py: sin el hilo de órdenes, que
        # al acabar puede hacer esperar un segundo.
        pass


def test_al_terminar_rq_guarda_el_trabajo_sin_tocar_meta(redis_conexion):
    cola = Queue("informes", connection=redis_conexion)
    trabajo = cola.enqueue(generar_informe, 2, meta={"progreso": 0})
    SimpleWorkerSinOrdenes([cola], connection=redis_conexion).work(burst=True)
    trabajo.refresh()
    assert trabajo.get_status() == JobStatus.FINISHED
    # El último progreso que apuntó la tarea, antes del segundo tramo.
    assert trabajo.meta["progreso"] == 50


def test_sin_redis_la_aplicacion_contesta_503_en_una_linea():
    sin_redis = Redis.from_url(f"redis://127.0.0.1:{puerto_libre()}/0")
    try:
        with con_conexion(sin_redis) as cliente:
            for respuesta in [cliente.post("/informes", json={"segundos": 1}), cliente.get("/informes/abc")]:
                assert respuesta.status_code == 503
                assert respuesta.json() == {"detail": "Redis no contesta; prueba dentro de un rato"}
    finally:
        aplicacion.app.dependency_overrides.clear()


# --- PYTHONPATH ---

def test_sin_la_comprobacion_uvicorn_ensenaria_una_traza(tmp_path):
    (tmp_path / "app_sin_comprobar.py").write_text("import conexion\napp = None\n")
    resultado = procesos.ejecutar(
        [str(procesos.BIN / "uvicorn"), "app_sin_comprobar:app", "--port", str(puerto_libre())],
        carpeta=tmp_path, timeout=60,
    )
    assert resultado.returncode != 0
    assert "Traceback (most recent call last):" in resultado.stdout
    assert "ModuleNotFoundError: No module named 'conexion'" in resultado.stdout


def test_sin_pythonpath_el_worker_da_un_error_enganoso(redis_conexion):
    cola = Queue("informes", connection=redis_conexion)
    trabajo = cola.enqueue(generar_informe, 1)
    # Desde web pero sin PYTHONPATH: informes.py está, tareas.py no.
    procesos.worker_burst("informes", carpeta="web", PYTHONPATH="")
    assert trabajo.get_status() == JobStatus.FAILED
    error = trabajo.latest_result().exc_string.strip().splitlines()[-1]
    assert error == "ValueError: Invalid attribute name: informes.generar_informe"


# --- sondear.sh ---

def test_sondear_sin_argumentos_dice_su_uso_y_sale_con_2():
    resultado = procesos.ejecutar("./sondear.sh", **WEB)
    assert (resultado.returncode, resultado.stdout) == (2, "Uso: ./sondear.sh URL_DEL_INFORME\n")


def test_sondear_sin_servidor_da_una_linea_y_sale_con_1():
    url = f"http://127.0.0.1:{puerto_libre()}/informes/abc"
    resultado = procesos.ejecutar(f"./sondear.sh {url}", **WEB)
    assert resultado.returncode == 1
    assert resultado.stdout == f"Error: nadie contesta en {url} (¿está la aplicación en marcha?)\n"


def test_sondear_usa_fail_with_body_que_llego_con_curl_7_76():
    assert "curl --silent --fail-with-body" in (procesos.EJEMPLOS / "web" / "sondear.sh").read_text()
    manual = subprocess.run(["curl", "--manual"], capture_output=True, text=True).stdout
    apartado = re.search(r"^ +--fail-with-body\n(.*?)Added in ([\d.]+?)\.?$", manual, re.M | re.S)
    if apartado is None:
        pytest.skip("este curl no trae su manual (curl --manual)")
    assert apartado[2] == "7.76.0"
