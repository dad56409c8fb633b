"""El proyecto de Django del capítulo (examples/django), usado como lo usaría el lector.

Cada orden es `python manage.py ...` desde examples/django: manage.py,
proyecto/settings.py, proyecto/urls.py, proyecto/ordenes_rq.py y la
aplicación demo (views.py, tareas.py y sus pruebas, tests.py). La base de
datos SQLite va a una carpeta temporal. Las salidas que enseña el capítulo
se comprueban aparte, en tests/escenarios/django.py.
"""

import json
import signal
import socket
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from redis import Redis
from rq import Queue
from rq.job import Job
from rq.registry import FinishedJobRegistry

from tests.arnes.procesos import EJEMPLOS, ejecutar, en_marcha
from tests.arnes.redis_privado import puerto_libre, redis_server, url_con_base

PROYECTO = EJEMPLOS / "django"
COLAS = ["default", "high", "informes", "low"]  # rqstats las lista por orden alfabético
COLUMNAS = ["Name", "Queued", "Active", "Deferred", "Finished", "Failed", "Workers"]
# Caracteres que en una URL hay que escapar: settings.py debe hacerlo bien.
CONTRASENA = "s3creto/con:raros@"

PEDIR_POR_LA_VISTA = """
import json, os
from django.test import Client
from django.test.utils import setup_test_environment

setup_test_environment()  # el cliente de pruebas llega como "testserver"
cliente = Client()
for cola, segundos in json.loads(os.environ["PEDIDOS"]).items():
    respuesta = cliente.post("/encolar/", {"cola": cola, "segundos": segundos})
    print(json.dumps([respuesta.status_code, respuesta.json()]))
"""

# Tras las peticiones, `rqstats --json` en el mismo proceso: un arranque de
# Django menos que `manage.py rqstats --json` aparte, y la misma salida.
Y_RQSTATS_JSON = """
from django.core.management import call_command
call_command("rqstats", "--json")
"""

# Lo que el capítulo cuenta de django-rq: junto a URL, PASSWORD y
# REDIS_CLIENT_KWARGS no cuentan; en la forma HOST/PORT/DB, sí.
CLAVES_JUNTO_A_URL = """
import os
from django.conf import settings
from django_rq.connection_utils import get_redis_connection
from redis.exceptions import AuthenticationError

conexion = get_redis_connection({
    "URL": os.environ["REDIS_URL"], "PASSWORD": os.environ["REDIS_PASSWORD"],
    "REDIS_CLIENT_KWARGS": {"client_name": "guia"},
})
try:
    conexion.ping()
    print("URL+PASSWORD: se usa")
except AuthenticationError:
    print("URL+PASSWORD: se ignora")
opciones = conexion.connection_pool.connection_kwargs
print("URL+REDIS_CLIENT_KWARGS:", "se usa" if "client_name" in opciones else "se ignora")
informes = get_redis_connection(settings.RQ_QUEUES["informes"])
print("HOST+PASSWORD:", "se usa" if informes.ping() else "?")
print("HOST+REDIS_CLIENT_KWARGS:", informes.connection_pool.connection_kwargs["health_check_interval"])

import django_rq
print("DEFAULT_TIMEOUT:", {cola: django_rq.get_queue(cola)._default_timeout for cola in ("high", "low")})
"""


def manage(*argumentos, **entorno):
    return ejecutar([sys.executable, "manage.py", *argumentos], carpeta="django", **entorno)


def en_paralelo(*ordenes):
    """Varias órdenes (argumentos, entorno) a la vez: cada una arranca su Django."""
    with ThreadPoolExecutor(len(ordenes)) as grupo:
        return list(grupo.map(lambda orden: manage(*orden[0], **orden[1]), ordenes))


def pedir_por_la_vista(segundos_por_cola, y_luego="", **entorno):
    """POST /encolar/ con el cliente de pruebas de Django, y luego el código `y_luego`.

    Devuelve {cola: id del trabajo} y las líneas que escribe `y_luego`.
    """
    resultado = manage(
        "shell", "--no-imports", "-c", PEDIR_POR_LA_VISTA + y_luego,
        PEDIDOS=json.dumps(segundos_por_cola), **entorno,
    )
    assert resultado.returncode == 0, resultado.stdout
    lineas = resultado.stdout.splitlines()
    respuestas = [json.loads(linea) for linea in lineas[:len(segundos_por_cola)]]
    assert [codigo for codigo, _ in respuestas] == [202] * len(segundos_por_cola)
    return {datos["cola"]: datos["trabajo"] for _, datos in respuestas}, lineas[len(segundos_por_cola):]


def una_linea_de_error(resultado, comienzo):
    assert resultado.returncode == 1, resultado.stdout
    assert resultado.stdout.startswith(comienzo), resultado.stdout
    assert resultado.stdout.count("\n") == 1, resultado.stdout


@pytest.fixture
def carpeta():
    """Una carpeta temporal que se borra al terminar la prueba."""
    with tempfile.TemporaryDirectory(prefix="guia-rq-django-") as nombre:
        yield Path(nombre)


@pytest.fixture
def base_de_datos(carpeta):
    """SQLite en la carpeta temporal, y ningún db.sqlite3 nuevo en el repositorio."""
    habia = (PROYECTO / "db.sqlite3").exists()
    yield {"DJANGO_BASE_DE_DATOS": str(carpeta / "db.sqlite3")}
    assert (PROYECTO / "db.sqlite3").exists() == habia


def test_una_peticion_encola_y_rqworker_la_hace(redis_conexion, base_de_datos):
    pedidos = {"low": 1, "default": 2, "high": 3}
    ids, salida = pedir_por_la_vista(pedidos, y_luego=Y_RQSTATS_JSON, **base_de_datos)

    # rqstats --json cuenta lo mismo que Redis.
    (estadisticas,) = [json.loads(linea) for linea in salida]
    por_cola = {cola["name"]: cola for cola in estadisticas["queues"]}
    assert list(por_cola) == COLAS
    for nombre in COLAS:
        encolados = Queue(nombre, connection=redis_conexion).count
        assert por_cola[nombre]["jobs"] == encolados == (1 if nombre in pedidos else 0)

    worker = manage("rqworker", "--burst", "high", "default", "low", **base_de_datos)
    assert worker.returncode == 0, worker.stdout
    # El worker respeta la prioridad de las colas, no el orden de llegada.
    hechos = [worker.stdout.index(f"{cola}: Job OK ({ids[cola]})") for cola in ("high", "default", "low")]
    assert hechos == sorted(hechos)
    for cola, segundos in pedidos.items():
        assert Job.fetch(ids[cola], connection=redis_conexion).return_value() == segundos

    en_yaml, tabla = en_paralelo((["rqstats", "--yaml"], base_de_datos), (["rqstats"], base_de_datos))
    terminados = {cola["name"]: cola["finished_jobs"] for cola in yaml.safe_load(en_yaml.stdout)["queues"]}
    assert terminados == {
        nombre: FinishedJobRegistry(nombre, connection=redis_conexion).count for nombre in COLAS
    }
    assert terminados == {"default": 1, "high": 1, "informes": 0, "low": 1}

    filas = [
        [celda.strip() for celda in linea.strip("|").split("|")]
        for linea in tabla.stdout.splitlines() if linea.startswith("|")
    ]
    assert filas[0] == COLUMNAS
    assert [fila[0] for fila in filas[1:]] == COLAS
    assert {fila[0]: int(fila[COLUMNAS.index("Finished")]) for fila in filas[1:]} == terminados


def test_rqstats_interval_refresca_hasta_que_pulsas_ctrl_c(redis_url, base_de_datos):
    orden = [sys.executable, "manage.py", "rqstats", "--interval", "0.2"]
    lineas = []

    def leer(salida):
        for linea in salida:
            lineas.append(linea)

    with en_marcha(orden, carpeta="django", **base_de_datos) as proceso:
        lector = threading.Thread(target=leer, args=(proceso.stdout,), daemon=True)
        lector.start()
        limite = time.monotonic() + 20
        while (
            sum("Django RQ CLI Dashboard" in linea for linea in lineas) < 2
            and proceso.poll() is None and time.monotonic() < limite
        ):
            time.sleep(0.05)
        proceso.send_signal(signal.SIGINT)
        codigo = proceso.wait(timeout=30)
        lector.join(timeout=10)
    salida = "".join(lineas)
    assert salida.count("Django RQ CLI Dashboard") >= 2, salida
    assert "Press 'Ctrl+c' to quit" in salida
    assert codigo == 0
    assert "Traceback" not in salida


def test_el_proyecto_entero_con_un_redis_con_contrasena(base_de_datos):
    with redis_server("--requirepass", CONTRASENA) as url:
        entorno = {"REDIS_URL": url, "REDIS_PASSWORD": CONTRASENA, **base_de_datos}
        # Las pruebas de la aplicación vacían las colas: van a otra base de Redis.
        entorno_pruebas = {**entorno, "REDIS_URL": url_con_base(url, 1)}
        pedidos = {"high": 1, "default": 2, "low": 3, "informes": 2}
        with ThreadPoolExecutor(1) as otro:
            # Mientras corren las pruebas de la aplicación, el cliente de pruebas encola.
            pedir = otro.submit(pedir_por_la_vista, pedidos, y_luego=CLAVES_JUNTO_A_URL, **entorno)
            pruebas = manage("test", "demo", **entorno_pruebas)
            ids, claves = pedir.result()
        assert pruebas.returncode == 0, pruebas.stdout
        assert pruebas.stdout.rstrip().splitlines()[-2:] == ["OK", "Destroying test database for alias 'default'..."]
        assert claves == [
            "URL+PASSWORD: se ignora",
            "URL+REDIS_CLIENT_KWARGS: se ignora",
            "HOST+PASSWORD: se usa",
            "HOST+REDIS_CLIENT_KWARGS: 30",
            "DEFAULT_TIMEOUT: {'high': 60, 'low': 3600}",
        ]

        # Las colas con URL y la de HOST/PORT/DB no comparten worker.
        for worker in en_paralelo(
            (["rqworker", "--burst", "high", "default", "low"], entorno),
            (["rqworker", "--burst", "informes"], entorno),
        ):
            assert worker.returncode == 0, worker.stdout
        conexion = Redis.from_url(url, password=CONTRASENA)
        for cola, segundos in pedidos.items():
            assert Job.fetch(ids[cola], connection=conexion).return_value() == segundos
        conexion.close()

        estadisticas, otra = en_paralelo(
            (["rqstats", "--json"], entorno), (["rqstats"], {**entorno, "REDIS_PASSWORD": "otra"}),
        )
    assert {cola["name"]: cola["finished_jobs"] for cola in json.loads(estadisticas.stdout)["queues"]} == {
        "default": 1, "high": 1, "informes": 1, "low": 1,
    }
    # Ni la contraseña ni las opciones secretas salen en las estadísticas.
    assert CONTRASENA not in estadisticas.stdout
    una_linea_de_error(otra, "Error: Redis en 127.0.0.1:")
    assert "rechaza la contraseña (revisa REDIS_PASSWORD)" in otra.stdout


# Una orden de django-rq sin pasar por manage.py: lo que haría django-rq solo.
SIN_MANAGE_PY = "from django.core.management import execute_from_command_line as e; e(['manage.py', 'rqstats'])"


RUTAS_DEL_PANEL = """
from django.urls import NoReverseMatch, reverse
for nombre in ("admin:django_rq_dashboard_changelist", "django_rq:home"):
    try:
        print(reverse(nombre))
    except NoReverseMatch:
        print("no existe")
"""


def test_sin_enlace_en_el_admin_tampoco_hay_panel_en_el_admin(redis_url, base_de_datos, carpeta):
    (carpeta / "sin_enlace.py").write_text("from proyecto.settings import *\nRQ_SHOW_ADMIN_LINK = False\n")
    rutas = manage(
        "shell", "--no-imports", "-c", RUTAS_DEL_PANEL,
        DJANGO_SETTINGS_MODULE="sin_enlace", PYTHONPATH=carpeta, **base_de_datos,
    )
    assert rutas.stdout.splitlines() == ["no existe", "/django-rq/"], rutas.stdout


def test_errores_en_una_linea_y_sin_esperas(redis_url, base_de_datos):
    cerrado = f"redis://127.0.0.1:{puerto_libre()}/0"
    # Un "Redis" que acepta la conexión y nunca contesta: sin un tiempo
    # máximo, la orden se quedaría esperando.
    with socket.socket() as mudo, ThreadPoolExecutor(4) as grupo:
        mudo.bind(("127.0.0.1", 0))
        mudo.listen()
        puerto = mudo.getsockname()[1]
        colgado = grupo.submit(
            manage, "rqstats", REDIS_URL=f"redis://127.0.0.1:{puerto}/0?socket_timeout=0.5", **base_de_datos
        )
        url_mala = grupo.submit(manage, "check", REDIS_URL="http://localhost:6379", **base_de_datos)
        cola_mala = grupo.submit(manage, "rqworker", "--burst", "nada", **base_de_datos)
        sin_manage_py = grupo.submit(
            ejecutar, [sys.executable, "-c", SIN_MANAGE_PY], carpeta="django",
            DJANGO_SETTINGS_MODULE="proyecto.settings", REDIS_URL=cerrado, **base_de_datos,
        )
        una_linea_de_error(colgado.result(), f"Error: no puedo conectar con Redis en 127.0.0.1:{puerto}/0.")
    una_linea_de_error(url_mala.result(), "Error de configuración: REDIS_URL no es una URL de Redis válida")
    una_linea_de_error(cola_mala.result(), "Error: la cola 'nada' no está en RQ_QUEUES.")
    # Sin manage.py, la misma falta de Redis acaba en una traza de error.
    solo = sin_manage_py.result()
    assert solo.returncode == 1
    assert "Traceback (most recent call last)" in solo.stdout
    assert "redis.exceptions.ConnectionError" in solo.stdout
