"""El proyecto de Django del capítulo (examples/django), usado como lo usaría el lector.

Cada orden es `python manage.py ...` desde examples/django: manage.py,
proyecto/settings.py, proyecto/urls.py, proyecto/ordenes_rq.py y la
aplicación demo (views.py, tareas.py y sus pruebas, tests.py). La base de
datos SQLite va a una carpeta temporal. Las salidas que enseña el capítulo
(el servidor de desarrollo con curl, los workers, rqstats y las pruebas de
la aplicación, demo/tests.py) se regeneran y comparan en su escenario,
tests/escenarios/django.py; aquí va lo que el capítulo afirma sin enseñarlo
entero.
"""

import contextlib
import json
import socket
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from redis import Redis
from redis.backoff import NoBackoff
from redis.exceptions import TimeoutError
from redis.retry import Retry
from rq.job import Job

from tests.arnes.procesos import EJEMPLOS, ejecutar, en_marcha, esperar, orden_worker
from tests.arnes.redis_privado import puerto_libre, redis_server

PROYECTO = EJEMPLOS / "django"
# Caracteres que en una URL hay que escapar: settings.py debe hacerlo bien.
CONTRASENA = "s3creto/con:raros@"

PEDIR_POR_LA_VISTA = """
import json, os
from django.test import Client
from django.test.utils import setup_test_environment

setup_test_environment()  # el cliente de pruebas llega como "testserver"
cliente = Client()
for cola, segundos in json.loads(os.environ["PEDIDOS"]).items():
    respuesta = cliente.post("/encolar/", {"cola": cola, "segundos": segundos, "fallar": "false"})
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
def base_de_datos(carpeta):
    """SQLite en la carpeta temporal, y ningún db.sqlite3 nuevo en el repositorio."""
    habia = (PROYECTO / "db.sqlite3").exists()
    yield {"DJANGO_BASE_DE_DATOS": str(carpeta / "db.sqlite3")}
    assert (PROYECTO / "db.sqlite3").exists() == habia


# Lo que el capítulo cuenta de django-rq y no enseña entero, en un solo
# arranque de Django: cada línea es una afirmación del texto.
LO_QUE_CUENTA_EL_CAPITULO = """
import contextlib, io, logging, os, sys, time
import django_rq
from django.contrib.auth.models import User
from django.core.management import call_command, get_commands
from django.test import RequestFactory, override_settings
from django_rq import stats_views
from rq.job import JobStatus
from rq.registry import FinishedJobRegistry, StartedJobRegistry
from rq.suspension import is_suspended

conexion = django_rq.get_connection()
# get_worker (y rqworker) atiende las colas que le das; sin ninguna, solo default.
print("get_worker():", [c.name for c in django_rq.get_worker().queues])
print("get_worker('high', 'low'):", [c.name for c in django_rq.get_worker("high", "low").queues])

# rqsuspend escribe en el logging de Python con nivel INFO; rqresume, nada.
# Con un LOGGING que enseñe INFO, se ve el mensaje de rqsuspend:
logging.basicConfig(level=logging.INFO, stream=sys.stdout, format="log: %(message)s")
call_command("rqsuspend")
print("suspendido:", bool(is_suspended(conexion)))
# Un worker en modo burst, suspendido, termina sin hacer nada.
trabajo = django_rq.get_queue("default").enqueue("demo.tareas.tarea_pesada_y_falible", 1, fallar=False)
logging.disable(logging.INFO)
django_rq.get_worker().work(burst=True)
logging.disable(logging.NOTSET)
print("burst suspendido, el trabajo sigue:", trabajo.get_status().value)
call_command("rqresume")
print("reanudado:", not is_suspended(conexion))

# Leer un registro lo limpia: una entrada caducada (su puntuación es la hora
# en que caduca) desaparece al contar, con rqstats y con el panel.
def caducada(cola):
    registro = FinishedJobRegistry(cola, connection=conexion)
    conexion.zadd(registro.key, {"caducado": time.time() - 60})
    return registro

registro = caducada("default")
# Y un trabajo que un worker muerto dejó a medias: su ejecución caducó hace
# rato en el registro de los que están en marcha (como en las pruebas de RQ).
alta = django_rq.get_queue("high")
abandonado = alta.enqueue("demo.tareas.tarea_pesada_y_falible", 1)
alta.remove(abandonado)
abandonado.set_status(JobStatus.STARTED)
conexion.zadd(StartedJobRegistry("high", connection=conexion).key, {f"{abandonado.id}:perdida": 100})
logging.disable(logging.WARNING)  # RQ avisa en su log de que lo da por fallido
with contextlib.redirect_stdout(io.StringIO()):
    call_command("rqstats", "--json")
logging.disable(logging.NOTSET)
print("rqstats limpia el registro:", conexion.zcard(registro.key) == 0)
print("rqstats da por fallido el abandonado:", abandonado.get_status().value)
registro = caducada("low")
peticion = RequestFactory().get("/admin/django_rq/dashboard/")
peticion.user = User(username="ana", is_staff=True, is_superuser=True)
print("el panel", stats_views.stats(peticion).status_code, "limpia el registro:", conexion.zcard(registro.key) == 0)

print("rqcron:", "rqcron" in get_commands())

# Una cola sin DEFAULT_TIMEOUT: el tiempo máximo de RQ, 180 segundos.
with override_settings(RQ_QUEUES={"default": {"URL": os.environ["REDIS_URL"]}}):
    print("sin DEFAULT_TIMEOUT:", django_rq.get_queue()._default_timeout)

# Sin el PING previo de ordenes_rq.py, una orden de django-rq con Redis parado
# acaba en una excepción de redis-py sin recoger (la traza que vería el lector).
cerrado = {"default": {"URL": os.environ["REDIS_CERRADO"]}}
try:
    with override_settings(RQ_QUEUES=cerrado), contextlib.redirect_stdout(io.StringIO()):
        call_command("rqstats")
except Exception as error:
    print("rqstats sin Redis, por sí solo:", type(error).__module__, type(error).__name__)

# rqworker-pool no tiene --with-scheduler: sus workers llevan siempre el
# planificador. Lo último: su log va detrás de todo lo anterior.
logging.getLogger().handlers.clear()
call_command("rqworker-pool", "--burst", "--num-workers", "1")
"""


def test_lo_que_cuenta_el_capitulo_de_django_rq(redis_url, base_de_datos):
    cerrado = f"redis://127.0.0.1:{puerto_libre()}/0"
    resultado = manage("shell", "--no-imports", "-c", LO_QUE_CUENTA_EL_CAPITULO, REDIS_CERRADO=cerrado, **base_de_datos)
    lineas = resultado.stdout.splitlines()
    assert resultado.returncode == 0, resultado.stdout
    assert lineas[:12] == [
        "get_worker(): ['default']",
        "get_worker('high', 'low'): ['high', 'low']",
        "log: Suspending workers.  No new jobs will be started.  But current jobs will be completed",
        "suspendido: True",
        "burst suspendido, el trabajo sigue: queued",
        "reanudado: True",
        "rqstats limpia el registro: True",
        "rqstats da por fallido el abandonado: failed",
        "el panel 200 limpia el registro: True",
        "rqcron: True",
        "sin DEFAULT_TIMEOUT: 180",
        "rqstats sin Redis, por sí solo: redis.exceptions ConnectionError",
    ], resultado.stdout
    assert any(linea.endswith("Acquired scheduler lock for default") for linea in lineas[12:]), resultado.stdout


def test_rqstats_interval_refresca_hasta_que_pulsas_ctrl_c(redis_url, base_de_datos):
    orden = [sys.executable, "manage.py", "rqstats", "--interval", "0.2"]
    with en_marcha(orden, carpeta="django", **base_de_datos) as proceso:
        proceso.esperar_texto("Django RQ CLI Dashboard", veces=2, limite=20)
        codigo = proceso.ctrl_c(limite=30)
        salida = proceso.texto()
    assert salida.count("Django RQ CLI Dashboard") >= 2, salida
    assert "Press 'Ctrl+c' to quit" in salida
    assert codigo == 0
    assert "Traceback" not in salida


def test_el_proyecto_entero_con_un_redis_con_contrasena(base_de_datos):
    with redis_server("--requirepass", CONTRASENA) as url:
        entorno = {"REDIS_URL": url, "REDIS_PASSWORD": CONTRASENA, **base_de_datos}
        pedidos = {"high": 1, "default": 2, "low": 3}
        ids, salida = pedir_por_la_vista(pedidos, y_luego=CLAVES_JUNTO_A_URL + Y_RQSTATS_JSON, **entorno)
        *claves, estadisticas = salida
        assert claves == [
            "URL+PASSWORD: se ignora",
            "URL+REDIS_CLIENT_KWARGS: se ignora",
            "HOST+PASSWORD: se usa",
            "HOST+REDIS_CLIENT_KWARGS: 30",
            "DEFAULT_TIMEOUT: {'high': 60, 'low': 3600}",
        ]
        # Ni la contraseña ni las opciones secretas salen en las estadísticas.
        assert [cola["name"] for cola in json.loads(estadisticas)["queues"]] == ["default", "high", "informes", "low"]
        assert CONTRASENA not in estadisticas

        worker, otra = en_paralelo(
            (["rqworker", "--burst", "high", "default", "low"], entorno),
            (["rqstats"], {**entorno, "REDIS_PASSWORD": "otra"}),
        )
        assert worker.returncode == 0, worker.stdout
        conexion = Redis.from_url(url, password=CONTRASENA)
        for cola, segundos in pedidos.items():
            assert Job.fetch(ids[cola], connection=conexion).return_value() == segundos
        conexion.close()
    una_linea_de_error(otra, "Error: Redis en 127.0.0.1:")
    assert "rechaza la contraseña (revisa REDIS_PASSWORD)" in otra.stdout


# Con otros ajustes (los del fichero `otros_ajustes.py` de cada prueba).
CON_OTROS_AJUSTES = """
import django_rq
from django.core.signals import got_request_exception, request_finished
from django.test import Client
from django.test.utils import setup_test_environment
from django.urls import NoReverseMatch, reverse

# RQ_SHOW_ADMIN_LINK = False: ni enlace ni panel en el admin; la ruta de antes sigue.
for nombre in ("admin:django_rq_dashboard_changelist", "django_rq:home"):
    try:
        print(reverse(nombre))
    except NoReverseMatch:
        print("no existe")

# COMMIT_MODE = "request_finished": los trabajos esperan al final de la petición...
setup_test_environment()
cola = django_rq.get_queue("low")
respuesta = Client().post("/encolar/", {"cola": "low", "segundos": "1", "fallar": "false"})
print(respuesta.status_code, "en la cola al acabar la petición:", cola.count)
cola.enqueue("demo.tareas.tarea_pesada_y_falible", 1)
print("antes del final de la petición:", cola.count)
request_finished.send(sender=None)
print("después:", cola.count)
# ...y, si la vista lanza una excepción, se descartan.
cola.enqueue("demo.tareas.tarea_pesada_y_falible", 1)
got_request_exception.send(sender=None, request=None)
request_finished.send(sender=None)
print("tras una excepción:", cola.count)
"""


def test_con_otros_ajustes_sin_panel_en_el_admin_y_request_finished(redis_url, base_de_datos, carpeta):
    (carpeta / "otros_ajustes.py").write_text(
        "from proyecto.settings import *\n"
        "RQ_SHOW_ADMIN_LINK = False\n"
        "RQ = {'COMMIT_MODE': 'request_finished'}\n"
    )
    resultado = manage(
        "shell", "--no-imports", "-c", CON_OTROS_AJUSTES,
        DJANGO_SETTINGS_MODULE="otros_ajustes", PYTHONPATH=carpeta, **base_de_datos,
    )
    assert resultado.stdout.splitlines() == [
        "no existe",
        "/django-rq/",
        "202 en la cola al acabar la petición: 1",
        "antes del final de la petición: 1",
        "después: 2",
        "tras una excepción: 2",
    ], resultado.stdout


def test_errores_en_una_linea_y_sin_esperas(redis_url, base_de_datos):
    # Un "Redis" que acepta la conexión y nunca contesta: sin un tiempo
    # máximo, la orden se quedaría esperando.
    with socket.socket() as mudo, ThreadPoolExecutor(3) as grupo:
        mudo.bind(("127.0.0.1", 0))
        mudo.listen()
        puerto = mudo.getsockname()[1]
        colgado = grupo.submit(
            manage, "rqstats", REDIS_URL=f"redis://127.0.0.1:{puerto}/0?socket_timeout=0.5", **base_de_datos
        )
        url_mala = grupo.submit(manage, "check", REDIS_URL="http://localhost:6379", **base_de_datos)
        cola_mala = grupo.submit(manage, "rqworker", "--burst", "nada", **base_de_datos)
        argumento_de_mas = grupo.submit(ejecutar, [sys.executable, "contrasena_junto_a_url.py", "x"], carpeta="django")
        una_linea_de_error(colgado.result(), f"Error: no puedo conectar con Redis en 127.0.0.1:{puerto}/0.")
    una_linea_de_error(url_mala.result(), "Error de configuración: REDIS_URL no es una URL de Redis válida")
    una_linea_de_error(cola_mala.result(), "Error: la cola 'nada' no está en RQ_QUEUES.")
    uso = argumento_de_mas.result()
    assert (uso.returncode, uso.stdout) == (2, "Uso: python contrasena_junto_a_url.py  (sin argumentos)\n")


def test_redis_py_espera_5_s_y_solo_la_forma_host_reintenta():
    """Lo que pasa con un Redis que acepta la conexión y no contesta.

    django-rq crea la conexión con Redis.from_url en la forma URL y con
    Redis(host=..., port=...) en la forma HOST/PORT/DB. Con 5 s por intento
    (el valor por defecto), los once intentos de la segunda rozan el minuto;
    aquí, con 0.05 s y sin las esperas entre intentos, los contamos.
    """
    # Sin conectar: cómo queda cada conexión con los valores por defecto.
    for cliente, reintentos in [(Redis.from_url("redis://localhost:6379/0"), 0), (Redis(), 10)]:
        conexion = cliente.connection_pool.make_connection()
        assert (conexion.socket_timeout, conexion.socket_connect_timeout) == (5, 5)
        assert conexion.retry.get_retries() == reintentos
    with socket.socket() as mudo:
        mudo.bind(("127.0.0.1", 0))
        mudo.listen(64)
        puerto = mudo.getsockname()[1]
        intentos = []

        def contar():
            with contextlib.suppress(OSError):
                while True:
                    intentos.append(mudo.accept()[0])

        threading.Thread(target=contar, daemon=True).start()
        rapido = {"socket_timeout": 0.05, "socket_connect_timeout": 0.05}
        con_host = Redis(host="127.0.0.1", port=puerto, **rapido)
        # Los mismos reintentos que trae por defecto, sin las esperas entre uno y otro.
        con_host.set_retry(Retry(NoBackoff(), con_host.get_retry().get_retries()))
        por_forma = {}
        con_url = Redis.from_url(f"redis://127.0.0.1:{puerto}/0", **rapido)
        for forma, cliente in [("URL", con_url), ("HOST/PORT/DB", con_host)]:
            antes = len(intentos)
            with pytest.raises(TimeoutError):
                cliente.ping()
            esperar(lambda: len(intentos) > antes, que="que llegara algún intento")
            por_forma[forma] = len(intentos) - antes
        for conexion in intentos:
            conexion.close()
    assert por_forma == {"URL": 1, "HOST/PORT/DB": 11}


def test_manage_py_rqworker_no_ve_un_cambio_en_las_tareas_sin_reiniciarlo(redis_url, base_de_datos, carpeta):
    """workers.rst: `manage.py rqworker` carga el proyecto antes de empezar (las
    comprobaciones de Django importan urls.py, y con ella views.py y demo/tareas.py),
    así que cada proceso hijo hereda el módulo ya importado: un cambio en la tarea
    no se ve hasta reiniciar el worker. Con una copia del proyecto, para cambiarla."""
    import shutil

    from rq import Queue

    proyecto = carpeta / "django"
    shutil.copytree(PROYECTO, proyecto, ignore=shutil.ignore_patterns("__pycache__", "db.sqlite3"))
    tareas = proyecto / "demo" / "tareas.py"
    original = tareas.read_text(encoding="utf-8")
    # Cambia también el tamaño: con el mismo tamaño y el mismo segundo, un import
    # nuevo podría tomar la versión vieja de __pycache__.
    tareas.write_text(original + '\n\ndef version():\n    return "primera"\n', encoding="utf-8")
    cola = Queue("default", connection=Redis.from_url(redis_url))
    orden = [sys.executable, "manage.py", "rqworker", "default"]
    with en_marcha(orden, carpeta=proyecto, **base_de_datos) as worker:
        worker.esperar_texto("Listening on", limite=30)
        antes = cola.enqueue("demo.tareas.version")
        esperar(lambda: antes.get_status(refresh=True) == "finished", limite=20, que="el primer trabajo")
        tareas.write_text(original + '\n\ndef version():\n    return "la segunda, más larga"\n', encoding="utf-8")
        despues = cola.enqueue("demo.tareas.version")
        esperar(lambda: despues.get_status(refresh=True) == "finished", limite=20, que="el segundo trabajo")
    assert (antes.return_value(), despues.return_value()) == ("primera", "primera"), worker.texto()
    # Un `rq worker` normal, que no carga el proyecto, sí ve la versión nueva.
    control = cola.enqueue("demo.tareas.version")
    resultado = ejecutar(orden_worker("default", opciones=("--burst",)), carpeta=proyecto)
    assert resultado.returncode == 0, resultado.stdout
    assert control.return_value() == "la segunda, más larga"
