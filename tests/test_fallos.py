"""Lo que el capítulo de fallos afirma y no cabe en una salida de consola.

Workers de verdad y señales de verdad (os.kill al worker y a su proceso
hijo). Cada prueba con trabajos va vigilada: si un trabajo se pierde o se
queda a medias, la prueba falla (ver tests/arnes/vigia.py).
"""

import os
import runpy
import signal
import sys
import time
from datetime import timedelta

import pytest
from rq import Queue, Retry, Worker
from rq.job import JobStatus
from rq.suspension import resume, suspend

from tests.arnes import procesos
from tests.escenarios.fallos import TAREA, empezar, esperar_estado
from tests.arnes.procesos import esperar, muerto
from tests.arnes.senales import matar, worker_vivo
from tests.arnes.vigia import TrabajoPerdido, vigilar_trabajos

# Opt-in: la prueba del trabajo abandonado a velocidad real espera ~61 s.
LENTAS = os.environ.get("GUIA_RQ_LENTAS") == "1"


@pytest.fixture
def vigia(redis_url):
    with vigilar_trabajos(redis_url) as vigia:
        yield vigia


@pytest.fixture
def cola(redis_conexion):
    return Queue(connection=redis_conexion)


# --- El vigía también se prueba: si no viera una pérdida, no serviría. ---

def test_el_vigia_acepta_estados_finales(redis_url, cola):
    with vigilar_trabajos(redis_url) as vigia:
        cola.enqueue(TAREA, 3).cancel()
        cola.enqueue_in(timedelta(hours=1), TAREA, 3)
    assert len(vigia.vistos) == 2


def test_el_vigia_ve_un_trabajo_que_desaparece(redis_url, cola):
    with pytest.raises(TrabajoPerdido, match="ha desaparecido"):
        with vigilar_trabajos(redis_url):
            cola.enqueue(TAREA, 3).delete()


def test_el_vigia_ve_un_trabajo_a_medias(redis_url, cola):
    with pytest.raises(TrabajoPerdido, match="se ha quedado en 'queued'"):
        with vigilar_trabajos(redis_url):
            cola.enqueue(TAREA, 3)


def test_el_vigia_ve_un_estado_fuera_de_su_registro(redis_url, cola, redis_conexion):
    with pytest.raises(TrabajoPerdido, match="fuera de FailedJobRegistry"):
        with vigilar_trabajos(redis_url):
            trabajo = cola.enqueue(TAREA, 3)
            cola.remove(trabajo)
            trabajo.set_status(JobStatus.FAILED)


# --- Lo que le pasa a un trabajo cuando muere el worker. ---

def test_kill_9_solo_al_worker_deja_al_hijo_terminar_el_trabajo(vigia):
    """El hijo vive en su propio grupo de procesos: matar al worker no lo mata."""
    with worker_vivo() as worker:
        trabajo = empezar(worker, 30)
        hijo = worker.hijo()
        matar(worker.pid)
        worker.esperar_fin()
        assert not muerto(hijo), "el proceso hijo ha muerto con el worker"
        esperar_estado(trabajo, JobStatus.FINISHED)
        esperar(lambda: muerto(hijo), que="que el hijo terminara")
    assert trabajo.return_value() == 30


@pytest.mark.parametrize("reloj", [
    "adelantado",
    pytest.param("real", marks=pytest.mark.skipif(not LENTAS, reason="espera ~61 s; GUIA_RQ_LENTAS=1 para ejecutarla")),
])
def test_trabajo_abandonado_la_regla_del_tiempo(reloj, vigia, cola, redis_conexion):
    """kill -9 al worker y a su hijo: el trabajo espera en el StartedJobRegistry
    a que caduque su entrada (último latido + min(job_timeout restante,
    --job-monitoring-interval) + 60 s) y al siguiente mantenimiento de un
    worker vivo, que lo reintenta porque le quedan reintentos.
    """
    with worker_vivo("--job-monitoring-interval", "1") as muerto_a_tiros:
        trabajo = empezar(muerto_a_tiros, 50, lambda: cola.enqueue(TAREA, 50, retry=Retry(max=1)))
        hijo = muerto_a_tiros.hijo()
        matar(muerto_a_tiros.pid)
        matar(hijo)
        hora_de_la_muerte = time.time()
        muerto_a_tiros.esperar_fin()

    registro = cola.started_job_registry
    [(entrada, caduca)] = redis_conexion.zrange(registro.key, 0, -1, withscores=True)
    # Último latido (al empezar) + min(180 s de job_timeout, 1 s de vigilancia) + 60 s.
    assert 59 <= caduca - hora_de_la_muerte <= 62

    rapido = ("--maintenance-interval", "1", "--worker-ttl", "16", "--job-monitoring-interval", "1")
    with worker_vivo(*rapido) as rescatador:
        # Su mantenimiento de arranque llega después de la muerte, pero la
        # entrada aún no ha caducado: el trabajo sigue "en curso".
        rescatador.esperar_texto("cleaning registries")
        assert trabajo.get_status() == JobStatus.STARTED
        if reloj == "adelantado":
            redis_conexion.zadd(registro.key, {entrada: int(time.time()) - 1})
        esperar_estado(trabajo, JobStatus.FINISHED, limite=70)
        trabajo.refresh()
        assert trabajo.retries_left == 0
        assert rescatador.texto().count(f"default: {TAREA}(50)") == 1
    assert len(cola.failed_job_registry) == 0


# --- Parar y suspender. ---

def test_rq_suspend_no_frena_a_un_worker_que_ya_espera_un_trabajo(vigia, cola, redis_conexion):
    """Un worker parado en la espera de la cola se lleva el siguiente trabajo;
    la suspensión la mira antes de esperar, no después."""
    with worker_vivo() as worker:
        esperar(lambda: [w.get_state() for w in Worker.all(connection=redis_conexion)] == ["idle"],
                que="que el worker esperase en la cola")
        suspend(redis_conexion)
        se_cuela = cola.enqueue(TAREA, 2)
        esperar_estado(se_cuela, JobStatus.FINISHED)
        worker.esperar_texto("suspended, run `rq resume` to resume")
        espera = cola.enqueue(TAREA, 3)
        time.sleep(0.3)
        assert espera.get_status() == JobStatus.QUEUED
        resume(redis_conexion)
        esperar_estado(espera, JobStatus.FINISHED)


# --- rq cron: solo encola. ---

def test_rq_cron_encola_al_arrancar_y_se_para_con_sigterm(vigia, cola):
    orden = [str(procesos.BIN / "rq"), "cron", "--url", os.environ["REDIS_URL"], "planificador_cron.py"]
    with procesos.en_marcha(orden) as cron:
        esperar(lambda: len(cola) == 1, que="que rq cron encolara el trabajo de cada diez minutos")
        cron.send_signal(signal.SIGTERM)
        salida, _ = cron.communicate(timeout=10)
    assert "Registered 'tareas.tarea_pesada_y_falible' to run on default every 600 seconds" in salida
    assert "with cron schedule '30 3 * * *'" in salida
    [trabajo] = cola.get_jobs()
    assert trabajo.description == "tareas.tarea_pesada_y_falible(3)"
    trabajo.cancel()  # Aquí solo nos importa que rq cron lo encoló.


# --- Los ejemplos explican su uso en una línea y salen con 2; sin trazas. ---

USOS_MALOS = [
    ("fallos_encolar.py", ["cero"]),
    ("fallos_encolar.py", ["0"]),
    ("fallos_informe.py", ["a", "b"]),
    ("fallos_tiempo_maximo.py", ["3"]),
    ("fallos_detener.py", []),
    ("planificador.py", ["ya"]),
    ("reintentos.py", []),
    ("reintentos.py", ["encolar", "--esperas"]),
    ("reintentos.py", ["encolar", "3", "--esperas", "1,x"]),
    ("reintentos.py", ["encolar", "3", "--esperas", "-1"]),
    ("reintentos.py", ["borrar"]),
]


@pytest.fixture
def como_script(monkeypatch):
    """Ejecuta un ejemplo como `python script ...`, pero sin pagar otro intérprete.

    Lo que el script importe (conexion, tareas...) se olvida al terminar,
    para no dejar módulos a medio configurar a las pruebas siguientes.
    """
    antes = set(sys.modules)
    monkeypatch.syspath_prepend(str(procesos.EJEMPLOS / "rq"))

    def ejecutar(script, *argumentos):
        monkeypatch.setattr(sys, "argv", [script, *argumentos])
        with pytest.raises(SystemExit) as salida:
            runpy.run_path(str(procesos.EJEMPLOS / "rq" / script), run_name="__main__")
        return salida.value.code

    yield ejecutar
    for nombre in set(sys.modules) - antes:
        del sys.modules[nombre]


@pytest.mark.parametrize("script, argumentos", USOS_MALOS, ids=[" ".join([s, *a]) for s, a in USOS_MALOS])
def test_argumentos_malos_dan_el_uso_y_codigo_2(script, argumentos, como_script, capsys):
    assert como_script(script, *argumentos) == 2
    error = capsys.readouterr().err
    assert error.startswith("Uso: python ") and error.count("\n") == 1


@pytest.mark.parametrize("trabajo_id, mensaje", [
    ("no-existe", "Error: no existe el trabajo no-existe."),
    ("en-espera", "Error: el trabajo en-espera no se está ejecutando (estado: queued)."),
], ids=["no-existe", "en-espera"])
def test_fallos_detener_explica_por_que_no_puede(trabajo_id, mensaje, cola, como_script):
    if trabajo_id == "en-espera":
        cola.enqueue(TAREA, 3, job_id="en-espera")
    # sys.exit con un texto: el texto va a stderr y el código de salida es 1.
    assert como_script("fallos_detener.py", trabajo_id) == mensaje
