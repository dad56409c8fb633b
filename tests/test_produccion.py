"""Lo que el capítulo "RQ en producción" afirma y no cabe en una salida.

supervisor de verdad (el de PyPI, como usuario normal), workers reales y
señales reales. Cada prueba con supervisor usa una copia de
examples/produccion/supervisord.conf en una carpeta temporal propia (con
sus logs, su PID y su socket), para no pisarse con el capítulo, que usa la de
examples/produccion a la vez en otro proceso de pytest-xdist. Las pruebas con
trabajos van vigiladas: ninguno se pierde (tests/arnes/vigia.py).
"""

import configparser
import contextlib
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest
from rq import Queue, Worker

from rq.job import JobStatus
from supervisor.options import ServerOptions

from tests.arnes import procesos
from tests.arnes.procesos import esperar, muerto

PRODUCCION = procesos.EJEMPLOS / "produccion"
TAREA = "tareas.tarea_pesada_y_falible"
# El job_timeout por defecto de RQ 3.0: 180 s.
DEFAULT_JOB_TIMEOUT = Queue.DEFAULT_TIMEOUT


def leer_programa(conf):
    """La configuración de [program:rq-worker], como la entiende supervisor."""
    opciones = ServerOptions()
    opciones.configfile = str(conf)
    opciones.process_config(do_usage=False)
    [grupo] = opciones.process_group_configs
    return grupo.process_configs


class Supervisor:
    """supervisord con una copia de supervisord.conf, desde examples/rq como el lector."""

    def __init__(self, redis_url, **cambios):
        # Corta: el socket de supervisorctl no admite rutas de más de ~100 caracteres.
        self.raiz = Path(tempfile.mkdtemp(prefix="rqsup-"))
        (self.raiz / "produccion" / "supervisor").mkdir(parents=True)
        texto = (PRODUCCION / "supervisord.conf").read_text(encoding="utf-8")
        # La copia está en otra carpeta: el worker, en la de examples/rq de siempre.
        assert "\ndirectory=%(here)s/../rq\n" in texto
        texto = texto.replace("\ndirectory=%(here)s/../rq\n", f"\ndirectory={procesos.EJEMPLOS / 'rq'}\n")
        for clave, valor in cambios.items():
            texto = texto.replace(f"\n{clave}=", f"\n{clave}={valor}\n; antes: {clave}=", 1) if f"\n{clave}=" in texto \
                else texto.replace("[program:rq-worker]\n", f"[program:rq-worker]\n{clave}={valor}\n", 1)
        self.conf = self.raiz / "produccion" / "supervisord.conf"
        self.conf.write_text(texto, encoding="utf-8")
        self.entorno = {"VIRTUAL_ENV": sys.prefix, "REDIS_URL": redis_url}

    def ejecutar(self, *orden):
        return procesos.ejecutar(list(orden), carpeta="rq", **self.entorno)

    def arrancar(self):
        resultado = self.ejecutar("supervisord", "-c", str(self.conf))
        assert resultado.returncode == 0, resultado.stdout
        self.esperar_en_el_log("entered RUNNING state", 2)

    def esperar_en_el_log(self, texto, veces):
        """Leer el log de supervisord es barato; supervisorctl arranca un Python cada vez."""
        log = self.raiz / "produccion" / "supervisor" / "supervisord.log"
        esperar(lambda: log.is_file() and log.read_text(errors="replace").count(texto) >= veces,
                limite=15, que=f"que supervisord escribiera {texto!r}")

    def ctl(self, *argumentos):
        return self.ejecutar("supervisorctl", "-c", str(self.conf), *argumentos).stdout

    def pids(self):
        return [int(self.ctl("pid", f"rq-worker:rq-worker-{n}")) for n in (0, 1)]

    def log(self, n):
        return (self.raiz / "produccion" / "supervisor" / f"rq-worker-{n}.log").read_text(errors="replace")

    def acabar(self):
        with contextlib.suppress(FileNotFoundError, ValueError, psutil.NoSuchProcess):
            pid = int((self.raiz / "produccion" / "supervisor" / "supervisord.pid").read_text())
            principal = psutil.Process(pid)
            restos = [principal, *principal.children(recursive=True)]
            for proceso in restos:
                with contextlib.suppress(psutil.NoSuchProcess):
                    proceso.kill()
            psutil.wait_procs(restos, timeout=10)
        shutil.rmtree(self.raiz, ignore_errors=True)


@pytest.fixture
def supervisor(redis_url):
    creados = []

    def crear(**cambios):
        creado = Supervisor(redis_url, **cambios)
        creados.append(creado)
        return creado

    yield crear
    for creado in creados:
        creado.acabar()


def el_ocupado(sup, marca):
    """El número (0 o 1) del worker de supervisor que ha empezado `marca`."""
    def buscar():
        return next((str(n) for n in (0, 1) if marca in sup.log(n)), None)
    return int(esperar(buscar, que=f"que un worker escribiera {marca!r}"))


# --- supervisord.conf: lo que cuenta el capítulo, leído por el propio supervisor. ---

def test_supervisor_por_defecto_manda_sigterm_y_espera_10_segundos(tmp_path):
    conf = tmp_path / "minima.conf"
    conf.write_text("[supervisord]\n[program:x]\ncommand=/bin/true\n")
    [programa] = leer_programa(conf)
    assert (programa.stopsignal, programa.stopwaitsecs) == (15, 10)
    # Y mata solo al proceso, no a su grupo.
    assert not programa.killasgroup and not programa.stopasgroup


def copia_de_la_configuracion(carpeta):
    """supervisord.conf en <carpeta>/produccion, con su carpeta supervisor/ ya creada."""
    (carpeta / "produccion" / "supervisor").mkdir(parents=True)
    conf = carpeta / "produccion" / "supervisord.conf"
    shutil.copy(PRODUCCION / "supervisord.conf", conf)
    return conf


def test_supervisord_conf_dos_workers_con_plazo_mayor_que_el_job_timeout(monkeypatch, tmp_path):
    monkeypatch.setenv("VIRTUAL_ENV", sys.prefix)
    programas = leer_programa(copia_de_la_configuracion(tmp_path))
    assert [p.name for p in programas] == ["rq-worker-0", "rq-worker-1"]
    for programa in programas:
        assert programa.command == f"{sys.prefix}/bin/rq worker high default low"
        # La carpeta rq, al lado de la del fichero (examples/rq para el lector).
        assert Path(programa.directory) == tmp_path / "produccion" / ".." / "rq"
        assert programa.stopsignal == 15
        assert programa.stopwaitsecs > DEFAULT_JOB_TIMEOUT == 180
        assert programa.autorestart
        # Los logs, dentro de produccion/supervisor (ignorada por git y fuera del zip).
        assert Path(programa.stdout_logfile).parent == tmp_path / "produccion" / "supervisor"


def test_sin_entorno_virtual_activado_supervisord_se_queja_en_una_linea(tmp_path):
    conf = copia_de_la_configuracion(tmp_path)
    entorno = procesos.entorno()
    entorno.pop("VIRTUAL_ENV", None)
    resultado = subprocess.run(
        [str(procesos.BIN / "supervisord"), "-c", str(conf)],
        cwd=procesos.EJEMPLOS / "rq", env=entorno, capture_output=True, text=True, timeout=30,
    )
    assert resultado.returncode != 0
    assert "ENV_VIRTUAL_ENV" in resultado.stderr and "Traceback" not in resultado.stderr
    assert not (tmp_path / "produccion" / "supervisor" / "supervisord.pid").exists()


# --- supervisor de verdad ---

def test_el_contrato_dos_workers_autorestart_y_stop_que_deja_terminar(supervisor, vigia, cola, redis_conexion):
    """Desde examples/rq, con REDIS_URL en el entorno: dos workers en high default
    low; kill -9 a uno y supervisor arranca otro; stop durante un trabajo lo deja
    terminar. (Un solo supervisord para todo: arrancarlo cuesta segundos.)"""
    sup = supervisor()
    sup.arrancar()
    esperar(lambda: len(Worker.all(connection=redis_conexion)) == 2, que="dos workers en Redis")
    antes = sup.pids()
    for worker in Worker.all(connection=redis_conexion):
        assert worker.queue_names() == ["high", "default", "low"]
        assert worker.pid in antes

    procesos.matar(antes[0])
    sup.esperar_en_el_log("success: rq-worker-0 entered RUNNING state", 2)
    despues = sup.pids()
    assert despues[0] not in (0, antes[0]) and despues[1] == antes[1]

    trabajo = cola.enqueue(TAREA, 100, fallar=False)
    el_ocupado(sup, "tarea_pesada_y_falible (100) ")
    salida = sup.ctl("stop", "rq-worker:*")
    assert salida.count("stopped") == 2
    # supervisorctl stop vuelve cuando el trabajo ya ha terminado.
    assert trabajo.get_status() == JobStatus.FINISHED


def test_plazo_corto_mata_al_worker_y_el_hijo_muere_al_escribir_en_el_tubo_cerrado(supervisor, vigia, cola):
    sup = supervisor(stopwaitsecs=1)
    sup.arrancar()
    trabajo = cola.enqueue(TAREA, 900, fallar=False)
    ocupado = el_ocupado(sup, "tarea_pesada_y_falible (900) ")
    worker = sup.pids()[ocupado]
    [hijo] = psutil.Process(worker).children()
    sup.ctl("stop", "rq-worker:*")
    assert muerto(worker)
    esperar(lambda: trabajo.get_status() == JobStatus.FAILED, que="que el trabajo fallara")
    assert "BrokenPipeError" in trabajo.latest_result().exc_string
    esperar(lambda: muerto(hijo.pid), que="que muriera el hijo")


def test_plazo_corto_una_tarea_que_no_escribe_sigue_huerfana_y_rq_la_da_por_abandonada(
        supervisor, vigia, cola, redis_conexion):
    """SIGKILL solo al worker; ni con killasgroup llega al hijo, que tiene su propio
    grupo. El huérfano sigue fuera del control de supervisor y, cuando caduca su
    entrada, RQ lo da por abandonado aunque siga en marcha."""
    sup = supervisor(stopwaitsecs=1, killasgroup="true", stopasgroup="true")
    sup.arrancar()
    trabajo = cola.enqueue("time.sleep", 60)
    esperar(lambda: trabajo.get_status() == JobStatus.STARTED, que="que empezara el trabajo")
    [worker] = [w for w in Worker.all(connection=redis_conexion) if w.get_current_job_id() == trabajo.id]
    hijo = esperar(lambda: psutil.Process(worker.pid).children(), que="el hijo")[0]
    try:
        sup.ctl("stop", "rq-worker:*")
        assert muerto(worker.pid)
        assert not muerto(hijo.pid), "el hijo ha muerto con el worker"
        assert "rq-worker:rq-worker-0            STOPPED" in sup.ctl("status")
        # Pasada la hora de su entrada (la adelantamos), la limpieza lo da por abandonado.
        registro = cola.started_job_registry
        redis_conexion.zadd(registro.key, {e: 1 for e in redis_conexion.zrange(registro.key, 0, -1)})
        assert len(registro) == 0
        assert trabajo.get_status() == JobStatus.FAILED
        assert "AbandonedJobError" in trabajo.latest_result().exc_string
        assert not muerto(hijo.pid)
    finally:
        with contextlib.suppress(psutil.NoSuchProcess):
            hijo.kill()


# --- systemd ---

SYSTEMD_ANALYZE = shutil.which("systemd-analyze")
UNIDAD = PRODUCCION / "rq-worker@.service"


def leer_unidad():
    unidad = configparser.ConfigParser(interpolation=None, strict=False)
    unidad.optionxform = str
    unidad.read(UNIDAD, encoding="utf-8")
    return unidad["Service"]


def test_la_unidad_para_solo_al_worker_con_un_plazo_mayor_que_el_job_timeout():
    servicio = leer_unidad()
    assert servicio["KillSignal"] == "SIGTERM"
    assert servicio["KillMode"] == "mixed"
    assert int(servicio["TimeoutStopSec"]) > DEFAULT_JOB_TIMEOUT
    assert servicio["Restart"] == "always"
    assert servicio["ExecStart"].endswith("/.venv/bin/rq worker high default low")


@pytest.mark.skipif(not SYSTEMD_ANALYZE, reason="esta máquina no tiene systemd-analyze")
def test_systemd_analyze_da_por_buena_la_unidad_con_rutas_que_existen(tmp_path):
    """Con las rutas de esta máquina no dice nada; y sí se queja de un valor mal escrito."""
    (tmp_path / ".venv").symlink_to(sys.prefix)
    (tmp_path / "rq").symlink_to(procesos.EJEMPLOS / "rq")
    texto = UNIDAD.read_text(encoding="utf-8").replace("/srv/guia-rq-ejemplos", str(tmp_path))
    texto = texto.replace("User=rq", "User=root")
    buena = tmp_path / "rq-worker@.service"
    buena.write_text(texto, encoding="utf-8")
    resultado = subprocess.run([SYSTEMD_ANALYZE, "verify", str(buena)], capture_output=True, text=True, timeout=60)
    assert (resultado.returncode, resultado.stdout + resultado.stderr) == (0, "")

    mala = tmp_path / "mala" / "rq-worker@.service"
    mala.parent.mkdir()
    mala.write_text(texto.replace("KillMode=mixed", "KillMode=mezclado"), encoding="utf-8")
    resultado = subprocess.run([SYSTEMD_ANALYZE, "verify", str(mala)], capture_output=True, text=True, timeout=60)
    assert "Failed to parse kill mode specification, ignoring: mezclado" in resultado.stderr


@pytest.mark.skipif(not SYSTEMD_ANALYZE, reason="esta máquina no tiene systemd-analyze")
def test_systemd_analyze_no_comprueba_el_usuario_y_nombra_la_instancia_i(tmp_path):
    """verify no mira si existe el usuario de User=; y a la plantilla le inventa la instancia "i"."""
    (tmp_path / ".venv").symlink_to(sys.prefix)
    (tmp_path / "rq").symlink_to(procesos.EJEMPLOS / "rq")
    texto = UNIDAD.read_text(encoding="utf-8").replace("/srv/guia-rq-ejemplos", str(tmp_path))
    texto = texto.replace("User=rq", "User=usuario-que-no-existe")
    unidad = tmp_path / "rq-worker@.service"
    unidad.write_text(texto, encoding="utf-8")
    resultado = subprocess.run([SYSTEMD_ANALYZE, "verify", str(unidad)], capture_output=True, text=True, timeout=60)
    assert (resultado.returncode, resultado.stdout + resultado.stderr) == (0, "")

    (tmp_path / ".venv").unlink()
    resultado = subprocess.run([SYSTEMD_ANALYZE, "verify", str(unidad)], capture_output=True, text=True, timeout=60)
    assert resultado.stderr.startswith("rq-worker@i.service: ")


# --- contenedor.py ---

def contenedor(gracia):
    return procesos.ProcesoVivo(["python", "../produccion/contenedor.py", str(gracia), "rq", "worker"])


def test_contenedor_sin_argumentos_o_con_una_orden_que_no_existe_se_queja_en_una_linea():
    for argumentos, mensaje in [([], "Uso: python contenedor.py"), (["2", "no-existe-esta-orden"], "Error: no puedo arrancar")]:
        resultado = procesos.python("../produccion/contenedor.py", *argumentos)
        assert resultado.returncode == 1
        assert resultado.stdout.strip().startswith(mensaje) and len(resultado.stdout.strip().splitlines()) == 1


def test_contenedor_con_gracia_larga_el_trabajo_termina(vigia, cola):
    vivo = contenedor(200)
    try:
        vivo.esperar_texto("Listening on")
        trabajo = cola.enqueue(TAREA, 100, fallar=False)
        vivo.esperar_texto("tarea_pesada_y_falible (100) ")
        vivo.senal(15)
        assert vivo.esperar_fin(limite=30) == 0
    finally:
        vivo.acabar()
    assert trabajo.get_status() == JobStatus.FINISHED


def test_contenedor_con_gracia_corta_mata_worker_e_hijo_y_el_trabajo_queda_abandonado(vigia, cola, redis_conexion):
    vivo = contenedor(1)
    try:
        vivo.esperar_texto("Listening on")
        trabajo = cola.enqueue(TAREA, 900, fallar=False)
        vivo.esperar_texto("tarea_pesada_y_falible (900) ")
        hijo = vivo.hijo()
        vivo.senal(15)
        assert vivo.esperar_fin(limite=30) == 137
        assert muerto(hijo)
    finally:
        vivo.acabar()
    assert "SIGKILL a 2 procesos" in vivo.texto()
    assert trabajo.get_status() == JobStatus.STARTED
    # Pasada la hora de su entrada, quien limpia el registro lo da por abandonado.
    registro = cola.started_job_registry
    redis_conexion.zadd(registro.key, {e: 1 for e in redis_conexion.zrange(registro.key, 0, -1)})
    assert len(registro) == 0
    assert trabajo.get_status() == JobStatus.FAILED
    assert "AbandonedJobError" in trabajo.latest_result().exc_string


def test_con_la_forma_shell_el_sigterm_no_llega_al_worker():
    """`CMD rq worker` es `/bin/sh -c "rq worker"`: el sh de Debian (dash) no hace
    exec de la orden, y el SIGTERM que recibe no llega al worker."""
    vivo = procesos.ProcesoVivo(["/bin/sh", "-c", "rq worker"])
    worker = None
    try:
        vivo.esperar_texto("Listening on")
        [worker] = psutil.Process(vivo.pid).children()
        vivo.senal(15)
        time.sleep(1)
        assert "warm shut down requested" not in vivo.texto()
        assert worker.is_running() and worker.status() != psutil.STATUS_ZOMBIE
    finally:
        if worker is not None:
            with contextlib.suppress(psutil.NoSuchProcess):
                worker.kill()
                worker.wait(timeout=10)
        vivo.acabar()
