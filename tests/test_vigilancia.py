"""Capítulo "Vigilar RQ": rq info, el panel, las métricas, las alertas y la salud, de verdad.

Cada afirmación del capítulo sobre RQ, rq-dashboard, django-rq y
prometheus_client tiene aquí su experimento, contra el Redis de las pruebas
y con los procesos de verdad (rq info, rq-dashboard, workers).
"""

import base64
import importlib
import importlib.metadata
import json
import os
import pty
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest
import rq
import rq.cli
import yaml
from click.testing import CliRunner
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families
from rq import Queue, Worker
from rq.job import Job, JobStatus
from rq.rate_limit import RateLimit, RateLimitRegistry
from rq.registry import ReadyJobRegistry, clean_registries

from tests.arnes import procesos
from tests.arnes.capturas import TAMANO_MAXIMO
from tests.arnes.construcciones import CONSTRUCCION
from tests.arnes.procesos import EJEMPLOS, esperar
from tests.arnes.redis_privado import puerto_libre

CARPETA = "vigilancia"
ENTORNO = {"PYTHONPATH": "../rq"}
TAREA = "tareas.tarea_pesada_y_falible"
CAPTURAS = procesos.RAIZ / "docs" / "capturas" / "vigilancia"


def ejecutar(orden, **extra):
    return procesos.ejecutar(orden, carpeta=CARPETA, **{**ENTORNO, **extra})


def rq_info(*argumentos):
    """`rq info ...` con el código de su orden, en este proceso: sin arrancar otro Python.

    Como la orden de verdad, toma REDIS_URL del entorno (el Redis de las pruebas).
    """
    resultado = CliRunner().invoke(rq.cli.main, ["info", *argumentos], env={"REDIS_URL": os.environ["REDIS_URL"]})
    assert resultado.exit_code == 0, resultado.output
    return resultado.output


@pytest.fixture
def ejemplos(monkeypatch, redis_url):
    """Los módulos de examples/vigilancia importables aquí, como desde su carpeta."""
    monkeypatch.syspath_prepend(str(EJEMPLOS / "rq"))
    monkeypatch.syspath_prepend(str(EJEMPLOS / CARPETA))
    return importlib.import_module


# --- rq info ---

def test_rq_info_recorre_todas_las_colas_y_da_por_fallido_un_trabajo_abandonado(redis_conexion):
    """Sin nombres, todas las colas; y lo "en curso" cuya entrada caducó (su worker murió) pasa a fallidos."""
    for nombre in ("high", "low"):
        Queue(nombre, connection=redis_conexion).enqueue(TAREA, 1)
    cola = Queue(connection=redis_conexion)
    trabajo = cola.enqueue(TAREA, 1)
    cola.remove(trabajo)
    trabajo.set_status(JobStatus.STARTED)
    en_curso = cola.started_job_registry
    redis_conexion.zadd(en_curso.key, {f"{trabajo.id}:ejecucion": time.time() - 5})
    assert en_curso.get_job_count(cleanup=False) == 1
    salida = rq_info("--only-queues")
    assert sorted(re.findall(r"^(\w+) +\|", salida, re.M)) == ["default", "high", "low"]
    assert en_curso.get_job_count(cleanup=False) == 0
    assert trabajo.id in cola.failed_job_registry
    assert trabajo.get_status() == JobStatus.FAILED
    assert "AbandonedJobError" in trabajo.latest_result().exc_string


def test_rq_info_limpia_en_curso_terminados_fallidos_y_listos_y_no_toca_los_demas(redis_conexion):
    """Una entrada de 1970 en cada registro: rq info (clean_registries) se lleva cuatro.

    La limpieza de aplazados no hace nada en RQ 3.0 (no caducan); la de
    programados y cancelados, rq info ni la llama.
    """
    cola = Queue("x", connection=redis_conexion)
    estados = ("started", "finished", "failed", "deferred", "scheduled", "canceled", "ready")
    registros = {estado: getattr(cola, f"{estado}_job_registry") for estado in estados}
    for estado, registro in registros.items():
        trabajo = cola.enqueue(TAREA, 1)
        cola.remove(trabajo)
        miembro = f"{trabajo.id}:ejecucion" if estado == "started" else trabajo.id
        redis_conexion.zadd(registro.key, {miembro: 1})
    rq_info("-Q", "x")
    quedan = [estado for estado, registro in registros.items() if registro.get_job_count(cleanup=False)]
    # (La de listos encola lo que espera para entrar en la cola; este trabajo
    # no esperaba, y solo quita la entrada: ver la prueba del registro de listos.)
    assert quedan == ["deferred", "scheduled", "canceled"]


def test_rq_info_no_ve_los_trabajos_que_esperan_turno_en_un_limite(redis_conexion):
    cola = Queue("low", connection=redis_conexion)
    for _ in range(3):
        cola.enqueue(TAREA, 2, rate_limit=RateLimit("pdf", concurrency=1))
    assert "low          |█ 1, 0 executing, 0 finished, 0 failed\n1 queues, 1 jobs total" in rq_info("-Q", "low")
    [limite] = RateLimitRegistry.all(redis_conexion)
    assert (limite.get_allowed_job_count(), limite.get_rate_limited_job_count()) == (1, 2)
    # Tampoco están en ningún registro de la cola.
    registros = [getattr(cola, nombre) for nombre in dir(cola) if nombre.endswith("_job_registry")]
    assert len(registros) == 7 and all(r.get_job_count(cleanup=False) == 0 for r in registros)


def test_rq_info_interval_borra_la_pantalla_y_sale_con_ctrl_c(redis_url):
    maestro, esclavo = pty.openpty()
    proceso = subprocess.Popen(
        procesos.orden_rq("info", "--interval", "0.2", "default"), cwd=EJEMPLOS / CARPETA,
        env=procesos.entorno(**ENTORNO), stdin=esclavo, stdout=esclavo, stderr=esclavo, start_new_session=True,
        # Ctrl+C tiene que llegarle aunque pytest corra en segundo plano (allí
        # el shell deja SIGINT ignorado, y se hereda).
        preexec_fn=procesos.como_en_una_terminal,
    )
    os.close(esclavo)
    leido = b""
    try:
        fin = time.monotonic() + 10
        while leido.count(b"Updated:") < 2 and time.monotonic() < fin:
            if select.select([maestro], [], [], 0.5)[0]:
                leido += os.read(maestro, 65536)
        proceso.send_signal(signal.SIGINT)
        # Seguimos leyendo mientras sale: con la terminal llena, su última
        # escritura se quedaría esperando y no saldría nunca.
        fin = time.monotonic() + 30
        while proceso.poll() is None and time.monotonic() < fin:
            if select.select([maestro], [], [], 0.2)[0]:
                try:
                    leido += os.read(maestro, 65536)
                except OSError:  # EIO: ya no queda nadie al otro lado
                    break
        assert proceso.wait(timeout=10) == 0
    finally:
        procesos.acabar_con(proceso, cortesia=False)
        os.close(maestro)
    # En una terminal, cada tabla empieza borrando la pantalla (\033[2J).
    assert leido.count(b"\x1b[2J") >= 2, leido


# --- Desde Python ---

def test_los_contadores_del_worker_suman_cuando_acaba_el_trabajo(redis_conexion):
    cola = Queue(connection=redis_conexion)
    with procesos.worker_vivo(colas=["default"], carpeta=CARPETA, **ENTORNO):
        trabajo = cola.enqueue(TAREA, 50, fallar=False)  # 0,5 s con la escala de las pruebas
        [worker] = esperar(lambda: [w for w in Worker.all(connection=redis_conexion) if w.get_state() == "busy"])
        assert worker.get_current_job().id == trabajo.id
        assert (worker.successful_job_count, worker.total_working_time) == (0, 0)
        esperar(lambda: trabajo.get_status() == JobStatus.FINISHED)
        worker.refresh()
        assert worker.successful_job_count == 1
        assert worker.total_working_time >= 0.4


def test_un_worker_que_se_despide_desaparece_y_uno_muerto_de_golpe_no(redis_conexion):
    with procesos.worker_vivo(colas=["default"], carpeta=CARPETA, **ENTORNO) as vivo:
        vivo.esperar_texto("Listening on")
        vivo.senal(signal.SIGTERM)
        vivo.esperar_fin()
    assert Worker.all(connection=redis_conexion) == []
    with procesos.worker_vivo(colas=["default"], carpeta=CARPETA, **ENTORNO) as vivo:
        vivo.esperar_texto("Listening on")
        [worker] = Worker.all(connection=redis_conexion)
        os.killpg(vivo.pid, signal.SIGKILL)
        vivo.esperar_fin()
    assert [w.name for w in Worker.all(connection=redis_conexion)] == [worker.name]
    # Esperando trabajo, worker_ttl (420 s) + 60: la ficha dura hasta 8 minutos tras el último latido.
    assert 400 < redis_conexion.ttl(worker.key) <= 480


def test_un_worker_ocupado_muerto_de_golpe_sigue_90_segundos(redis_conexion):
    """Con un trabajo entre manos, la ficha dura job_monitoring_interval (30 s) + 60, no ocho minutos.

    Medimos el TTL de la ficha justo después del kill -9, sin esperar a que caduque.
    """
    cola = Queue(connection=redis_conexion)
    with procesos.worker_vivo(colas=["default"], carpeta=CARPETA, **ENTORNO) as vivo:
        vivo.esperar_texto("Listening on")
        trabajo = cola.enqueue(TAREA, 10000, fallar=False)  # 100 s con la escala de las pruebas: no acabará
        vivo.hijo()  # el work-horse: va a su propio grupo, y acabar() lo matará también
        # El work-horse lo marca en curso en la misma pipeline en que le da a la ficha su TTL de 90 s.
        esperar(lambda: trabajo.get_status() == JobStatus.STARTED)
        [worker] = Worker.all(connection=redis_conexion)
        assert worker.get_state() == "busy"
        os.killpg(vivo.pid, signal.SIGKILL)
        vivo.esperar_fin(recoger=0)
        assert [w.name for w in Worker.all(connection=redis_conexion)] == [worker.name]
        assert 60 < redis_conexion.ttl(worker.key) <= 90


def test_la_limpieza_encola_lo_que_quedo_en_el_registro_de_listos(redis_conexion):
    cola = Queue(connection=redis_conexion)
    trabajo = Job.create(TAREA, args=(1,), connection=redis_conexion, origin="default")
    trabajo.save()
    with redis_conexion.pipeline() as tuberia:
        ReadyJobRegistry(queue=cola).register_jobs([trabajo], pipeline=tuberia)
        tuberia.execute()
    assert trabajo.get_status() == JobStatus.READY_TO_ENQUEUE and len(cola) == 0
    clean_registries(cola)
    assert cola.job_ids == [trabajo.id]
    assert trabajo.get_status() == JobStatus.QUEUED


# --- rq-dashboard ---

def _pedir(url, usuario=None, contrasena=None):
    peticion = urllib.request.Request(url)
    if usuario:
        credenciales = base64.b64encode(f"{usuario}:{contrasena}".encode()).decode()
        peticion.add_header("Authorization", f"Basic {credenciales}")
    try:
        with urllib.request.urlopen(peticion, timeout=10) as respuesta:
            return respuesta.status, respuesta.headers, respuesta.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def _escucha(puerto):
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", puerto)) == 0


def test_el_panel_enseña_las_colas_con_usuario_y_contraseña_y_sin_ellos_no(redis_conexion, redis_url):
    """Con las variables RQ_DASHBOARD_* en lugar de las opciones: el capítulo dice que sirven igual."""
    default = Queue("default", connection=redis_conexion)
    default.enqueue(TAREA, 1)
    # Una entrada caducada en terminados: el panel la cuenta, porque no limpia.
    redis_conexion.zadd(default.finished_job_registry.key, {"caducado": time.time() - 5})
    vigilante = Worker([default], connection=redis_conexion, name="vigilante")
    vigilante.register_birth()
    vigilante.set_state("idle")
    puerto = puerto_libre()
    entorno = {
        "RQ_DASHBOARD_REDIS_URL": redis_url, "RQ_DASHBOARD_USERNAME": "admin",
        "RQ_DASHBOARD_PASSWORD": "secreto",
    }
    with procesos.en_marcha(f"rq-dashboard --bind 127.0.0.1 --port {puerto}", carpeta=CARPETA, **entorno) as panel:
        esperar(lambda: _escucha(puerto), limite=20, que="que el panel escuchara")
        url = f"http://127.0.0.1:{puerto}/0/data/queues.json"
        estado, cabeceras, cuerpo = _pedir(url)
        assert (estado, cuerpo) == (401, "Please login")
        assert cabeceras["WWW-Authenticate"] == 'Basic realm="RQ Dashboard"'
        assert _pedir(url, "admin", "otra")[0] == 401
        estado, _, cuerpo = _pedir(url, "admin", "secreto")
        assert estado == 200
        [cola] = json.loads(cuerpo)["queues"]
        assert (cola["name"], cola["count"], cola["finished_job_registry_count"]) == ("default", 1, 1)
        assert default.finished_job_registry.get_job_count(cleanup=False) == 1
        # Los workers, en otra dirección JSON, también con credenciales.
        url = f"http://127.0.0.1:{puerto}/0/data/workers.json"
        assert _pedir(url)[0] == 401
        estado, _, cuerpo = _pedir(url, "admin", "secreto")
        [worker] = json.loads(cuerpo)["workers"]
        assert (worker["name"], worker["queues"], worker["state"], worker["current_job"]) == (
            "vigilante", ["default"], "idle", "idle")
        assert "Traceback" not in panel.texto()


def test_el_panel_no_lee_redis_url(monkeypatch):
    """Sin --redis-url ni RQ_DASHBOARD_REDIS_URL, va a 127.0.0.1:6379 aunque haya REDIS_URL."""
    import flask
    from rq_dashboard import cli

    usada = []
    monkeypatch.setattr(flask.Flask, "run", lambda app, **_: usada.append(app.config["RQ_DASHBOARD_REDIS_URL"]))
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.delenv("RQ_DASHBOARD_REDIS_URL", raising=False)
    cli.run.main(args=["--bind", "127.0.0.1"], auto_envvar_prefix="RQ_DASHBOARD", standalone_mode=False)
    assert usada == [("redis://127.0.0.1:6379",)]


@pytest.fixture
def carpeta_temporal():
    """Una carpeta de usar y tirar (fuera de /tmp/pytest-of-*, que comparten otras ejecuciones)."""
    with tempfile.TemporaryDirectory(prefix="guia-rq-vigilancia-") as carpeta:
        yield Path(carpeta)


def test_rq_dashboard_0_9_0_importa_six_sin_declararlo(carpeta_temporal):
    requisitos = importlib.metadata.requires("rq-dashboard")
    assert not any(re.match(r"six\b", r) for r in requisitos), requisitos
    # Un entorno con todo lo demás y sin six: las mismas carpetas, menos six.
    paquetes = carpeta_temporal / "site-packages"
    paquetes.mkdir()
    origen = os.path.dirname(os.path.dirname(rq.__file__))
    for nombre in os.listdir(origen):
        if not nombre.startswith("six"):
            (paquetes / nombre).symlink_to(os.path.join(origen, nombre))
    resultado = subprocess.run(
        [sys.executable, "-S", "-c", f"import sys; sys.path.insert(0, {str(paquetes)!r}); import rq_dashboard.cli"],
        capture_output=True, text=True, timeout=60,
    )
    assert resultado.returncode == 1
    assert resultado.stderr.strip().endswith("ModuleNotFoundError: No module named 'six'")


def test_las_capturas_del_libro_son_png_pequenos():
    for nombre in ("colas", "trabajo-fallido"):
        datos = (CAPTURAS / f"{nombre}.png").read_bytes()
        assert datos.startswith(b"\x89PNG\r\n\x1a\n")
        assert len(datos) <= TAMANO_MAXIMO, f"{nombre}.png: {len(datos)} bytes"


# --- Métricas ---

def _series(texto):
    """{(nombre, etiquetas ordenadas): valor} de una exposición de Prometheus."""
    return {
        (muestra.name, tuple(sorted(muestra.labels.items()))): muestra.value
        for familia in text_string_to_metric_families(texto) for muestra in familia.samples
    }


def _estado_conocido(conexion):
    """2 esperando y 1 fallido en default, 1 terminado ya caducado en high, 1 worker, 2 retenidos."""
    default = Queue("default", connection=conexion)
    for _ in range(2):
        default.enqueue(TAREA, 1)
    fallido = Job.create(TAREA, args=(4,), connection=conexion, origin="default")
    default.failed_job_registry.add(fallido, exc_string="ValueError")
    high = Queue("high", connection=conexion)
    caducado = high.enqueue(TAREA, 1)
    high.remove(caducado)
    conexion.zadd(high.finished_job_registry.key, {caducado.id: time.time() - 5})
    vigilante = Worker([default], connection=conexion, name="vigilante")
    vigilante.register_birth()
    vigilante.set_state("idle")
    low = Queue("low", connection=conexion)
    for _ in range(3):
        low.enqueue(TAREA, 2, rate_limit=RateLimit("pdf", concurrency=1))
    return high


def test_el_colector_propio_da_cada_serie_con_su_cuenta_y_no_limpia(ejemplos, redis_conexion):
    high = _estado_conocido(redis_conexion)
    metricas = ejemplos("metricas")
    registro = CollectorRegistry()
    registro.register(metricas.ColectorRQ(redis_conexion))
    series = _series(generate_latest(registro).decode())
    assert series[("rq_jobs", (("queue", "default"), ("status", "queued")))] == 2
    assert series[("rq_jobs", (("queue", "default"), ("status", "failed")))] == 1
    assert series[("rq_jobs", (("queue", "high"), ("status", "finished")))] == 1
    assert series[("rq_jobs", (("queue", "low"), ("status", "queued")))] == 1
    assert series[("rq_queue_workers", (("queue", "default"),))] == 1
    assert series[("rq_queue_workers", (("queue", "low"),))] == 0
    assert series[("rq_queue_wait_seconds", (("queue", "high"),))] == 0
    assert 0 < series[("rq_queue_wait_seconds", (("queue", "low"),))] < 60
    assert series[("rq_rate_limited_jobs", (("key", "pdf"),))] == 2
    # Contó la entrada caducada y la dejó donde estaba.
    assert high.finished_job_registry.get_job_count(cleanup=False) == 1


def test_las_reglas_de_alerta_usan_series_que_existen(ejemplos, redis_conexion):
    _estado_conocido(redis_conexion)
    metricas = ejemplos("metricas")
    registro = CollectorRegistry()
    registro.register(metricas.ColectorRQ(redis_conexion))
    nombres = {familia.name for familia in text_string_to_metric_families(generate_latest(registro).decode())}
    reglas = _reglas_de_alerta()
    assert list(reglas) == ["RQFallidosEnAumento", "RQColaParada", "RQColaSinWorkers"]
    for alerta, usadas in reglas.items():
        assert usadas and usadas <= nombres, (alerta, usadas - nombres)


def _reglas_de_alerta():
    """{alerta: series que usa su expresión} de alertas.yml."""
    [grupo] = yaml.safe_load((EJEMPLOS / CARPETA / "alertas.yml").read_text(encoding="utf-8"))["groups"]
    return {regla["alert"]: set(re.findall(r"\brq_\w+", regla["expr"])) for regla in grupo["rules"]}


PRUEBA_DE_LAS_ALERTAS = """
rule_files: [alertas.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'rq_jobs{queue="default",status="failed"}'
        values: '2 2 2 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3'
      - series: 'rq_jobs{queue="high",status="failed"}'
        values: '5x30'
      - series: 'rq_queue_wait_seconds{queue="low"}'
        values: '0+60x30'
      - series: 'rq_queue_wait_seconds{queue="high"}'
        values: '0x30'
      - series: 'rq_queue_workers{queue="low"}'
        values: '0x30'
      - series: 'rq_queue_workers{queue="high"}'
        values: '1x30'
    alert_rule_test:
      - {eval_time: 4m, alertname: RQFallidosEnAumento, exp_alerts: [
          {exp_labels: {queue: default, status: failed, severity: aviso},
           exp_annotations: {summary: "Fallan trabajos en la cola default"}}]}
      - {eval_time: 19m, alertname: RQFallidosEnAumento, exp_alerts: []}
      - {eval_time: 4m, alertname: RQColaSinWorkers, exp_alerts: []}
      - {eval_time: 5m, alertname: RQColaSinWorkers, exp_alerts: [
          {exp_labels: {queue: low, severity: urgente}, exp_annotations: {summary: "Nadie atiende la cola low"}}]}
      - {eval_time: 10m, alertname: RQColaParada, exp_alerts: []}
      - {eval_time: 11m, alertname: RQColaParada, exp_alerts: [
          {exp_labels: {queue: low, severity: urgente}, exp_annotations: {summary: "La cola low no avanza"}}]}
"""


def test_las_alertas_saltan_cuando_dice_el_capitulo(carpeta_temporal):
    """Con promtool (paquete prometheus de Debian), si está: las reglas sobre series inventadas.

    Los fallidos que crecen avisan durante 15 minutos y un total quieto no;
    una cola sin workers avisa a los 5 minutos; una espera, al pasar de 600 s.
    No se instala en CI (casi 100 MB por una comprobación): ahí cuenta la prueba anterior.
    """
    promtool = shutil.which("promtool")
    if not promtool:
        pytest.skip("sin promtool (sudo apt-get install prometheus) no se prueban las reglas")
    shutil.copy(EJEMPLOS / CARPETA / "alertas.yml", carpeta_temporal)
    (carpeta_temporal / "prueba.yml").write_text(PRUEBA_DE_LAS_ALERTAS, encoding="utf-8")
    for orden in (["check", "rules", "alertas.yml"], ["test", "rules", "prueba.yml"]):
        resultado = subprocess.run([promtool, *orden], cwd=carpeta_temporal, capture_output=True, text=True, timeout=60)
        assert resultado.returncode == 0, resultado.stdout + resultado.stderr


VISTA_DE_DJANGO = """
import json, os, sys
if sys.argv[1] == "sin-prometheus":
    sys.modules["prometheus_client"] = None
import django
django.setup()
from django.test import Client
from django.urls import Resolver404, resolve
try:
    resolve("/metrics/")
    print(json.dumps({"ruta": True}))
except Resolver404:
    print(json.dumps({"ruta": False}))
if sys.argv[1] == "sin-prometheus":
    sys.exit()
cliente = Client()
sin = cliente.get("/metrics/")
con = cliente.get("/metrics/", headers={"Authorization": "Bearer " + os.environ["RQ_API_TOKEN"]})
print(json.dumps({"sin": sin.status_code, "con": con.status_code, "texto": con.content.decode()}))
"""


def _vista_de_django(caso):
    resultado = ejecutar(
        [sys.executable, "-c", VISTA_DE_DJANGO, caso],
        DJANGO_SETTINGS_MODULE="metricas_django", RQ_API_TOKEN="secreto-de-prometheus",
    )
    assert resultado.returncode == 0, resultado.stdout
    return [json.loads(linea) for linea in resultado.stdout.splitlines()]


def test_la_vista_de_django_rq_pide_token_cuenta_y_limpia(redis_conexion):
    high = _estado_conocido(redis_conexion)
    ruta, respuesta = _vista_de_django("normal")
    assert ruta == {"ruta": True}
    assert (respuesta["sin"], respuesta["con"]) == (401, 200)
    series = _series(respuesta["texto"])
    assert series[("rq_jobs", (("queue", "default"), ("status", "queued")))] == 2
    assert series[("rq_jobs", (("queue", "default"), ("status", "failed")))] == 1
    assert series[("rq_workers", (("name", "vigilante"), ("queues", "default"), ("state", "idle")))] == 1
    # Al contar con .count limpió el registro: la entrada caducada ya no está.
    assert series[("rq_jobs", (("queue", "high"), ("status", "finished")))] == 0
    assert high.finished_job_registry.get_job_count(cleanup=False) == 0
    # De las reglas de alerta, solo la de los fallidos encuentra sus series:
    # django-rq no da ni rq_queue_wait_seconds ni rq_queue_workers.
    nombres = {familia.name for familia in text_string_to_metric_families(respuesta["texto"])}
    assert not nombres & {"rq_queue_wait_seconds", "rq_queue_workers"}
    assert [alerta for alerta, usadas in _reglas_de_alerta().items() if usadas <= nombres] == ["RQFallidosEnAumento"]


def test_sin_prometheus_client_django_rq_no_tiene_la_ruta_de_metricas(redis_url):
    assert _vista_de_django("sin-prometheus") == [{"ruta": False}]


def test_rq_exporter_3_1_0_pide_rq_y_redis_anteriores():
    ruedas = CONSTRUCCION / "ruedas"
    rueda = ruedas / "rq_exporter-3.1.0-py3-none-any.whl"
    if not rueda.exists():
        descarga = subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(ruedas), "rq-exporter==3.1.0"],
            capture_output=True, text=True, timeout=120,
        )
        if descarga.returncode != 0:
            if os.environ.get("CI"):
                pytest.fail(descarga.stderr)
            pytest.skip("sin acceso a PyPI para bajar rq-exporter 3.1.0")
    with zipfile.ZipFile(rueda) as zip_:
        metadatos = zip_.read("rq_exporter-3.1.0.dist-info/METADATA").decode()
    requisitos = re.findall(r"^Requires-Dist: (.*)$", metadatos, re.M)
    assert "rq<3,>=2.0.0" in requisitos and "redis<6,>=5.2.0" in requisitos


# --- Salud y entradas malas ---
# Se llama a main() de cada script, sin arrancar un Python para cada caso:
# el capítulo ya los ejecuta como el lector, y así la prueba tarda poco.

def test_salud_sale_con_0_o_con_1_y_dice_por_qué(ejemplos, redis_conexion, capsys):
    salud = ejemplos("salud")
    default = Queue("default", connection=redis_conexion)
    assert salud.main(["default"]) == 1
    assert capsys.readouterr().out == "MAL default: ningún worker escucha esta cola\n"
    vigilante = Worker([default], connection=redis_conexion, name="vigilante")
    vigilante.register_birth()
    assert salud.main(["default"]) == 0
    assert capsys.readouterr().out == "BIEN default: con workers y sin esperas de más de 300 segundos\n"
    default.enqueue(TAREA, 1)
    time.sleep(0.05)
    assert salud.main(["--espera-maxima", "0.01", "default"]) == 1
    salida = capsys.readouterr().out
    assert re.fullmatch(r"MAL default: el primer trabajo lleva \d+ segundos esperando \(el máximo es 0\.01\)\n", salida)


@pytest.mark.parametrize("script, malos", [
    ("cargar", ["otra"]), ("resumen", ["-a"]), ("metricas", ["puerto"]), ("metricas", ["1", "2"]),
    ("salud", []), ("salud", ["--espera-maxima"]), ("salud", ["--espera-maxima", "mucho", "default"]),
    ("salud", ["-v", "default"]),
])
def test_cada_script_con_argumentos_malos_da_el_uso_y_sale_con_2(ejemplos, capsys, script, malos):
    modulo = ejemplos(script)
    assert modulo.main(malos) == 2
    assert capsys.readouterr().err == f"{modulo.USO}\n"
    assert modulo.USO.startswith(f"Uso: python {script}.py")


@pytest.mark.parametrize("script, argumentos", [
    ("cargar", []), ("resumen", []), ("metricas", []), ("salud", ["default"]),
])
def test_sin_redis_cada_script_termina_con_una_linea(ejemplos, monkeypatch, script, argumentos):
    """sys.exit con un texto: Python lo escribe en una línea y sale con 1."""
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    with pytest.raises(SystemExit) as salida:
        ejemplos(script).main(argumentos)
    assert salida.value.code.startswith("Error: no puedo conectar con Redis en redis://127.0.0.1:1/0.")
    assert "\n" not in salida.value.code


def test_el_proyecto_de_django_sin_redis_no_arranca_y_lo_dice_en_una_linea(ejemplos, monkeypatch):
    """Sus ajustes llaman a conectar() al cargarse: antes de que Django arranque nada."""
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.delitem(sys.modules, "metricas_django", raising=False)
    with pytest.raises(SystemExit) as salida:
        ejemplos("metricas_django")
    assert salida.value.code.startswith("Error: no puedo conectar con Redis en redis://127.0.0.1:1/0.")
    assert "\n" not in salida.value.code


def test_metricas_con_el_puerto_ocupado_termina_con_una_linea(ejemplos, redis_conexion):
    metricas = ejemplos("metricas")
    with socket.socket() as ocupado:
        ocupado.bind(("127.0.0.1", 0))
        ocupado.listen()
        puerto = ocupado.getsockname()[1]
        with pytest.raises(SystemExit) as salida:
            metricas.servir(redis_conexion, puerto)
    assert salida.value.code == f"Error: no puedo escuchar en el puerto {puerto}: Address already in use."
