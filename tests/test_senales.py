"""Lo que el capítulo "Señales, paradas y trabajos abandonados" afirma y no cabe en una salida.

Workers de verdad y señales de verdad (os.kill al worker y a su proceso
hijo), desde examples/senales como el lector. Cada prueba con trabajos va
vigilada: si un trabajo se pierde o se queda a medias, la prueba falla (ver
tests/arnes/vigia.py).
"""

import functools
import os
import signal
import time

import pytest
from rq import Callback, Retry, Worker
from rq.job import JobStatus
from rq.suspension import resume, suspend

from tests.arnes import en_proceso, procesos
from tests.arnes.procesos import esperar, matar, muerto
from tests.escenarios.senales import Congelado

TAREA = "tareas.tarea_pesada_y_falible"
CARPETA = procesos.EJEMPLOS / "senales"
# Como en las terminales del capítulo: PYTHONPATH=../rq.
ENTORNO = {"PYTHONPATH": "../rq"}
# Opt-in: la prueba del trabajo abandonado a velocidad real espera ~61 s.
LENTAS = os.environ.get("GUIA_RQ_LENTAS") == "1"


@pytest.fixture
def en_examples_senales(monkeypatch):
    """Como un intérprete abierto en examples/senales con PYTHONPATH=../rq."""
    with en_proceso.interprete_en("senales", monkeypatch):
        yield


def worker_vivo(*opciones):
    return procesos.worker_vivo(*opciones, carpeta="senales", **ENTORNO)


def empezar(worker, segundos, encolar):
    """Encola y espera a que el proceso hijo haya empezado de verdad la tarea."""
    marca = f"tarea_pesada_y_falible ({segundos}) "
    antes = worker.texto().count(marca)
    trabajo = encolar()
    worker.esperar_texto(marca, veces=antes + 1)
    return trabajo


def empezar_congelado(worker, segundos, encolar):
    """Como empezar, con el hijo congelado desde que empieza la tarea (ver Congelado): hay que soltarlo."""
    hijo = Congelado(worker, f"tarea_pesada_y_falible ({segundos}) ", veces=worker.texto().count(
        f"tarea_pesada_y_falible ({segundos}) ") + 1)
    trabajo = encolar()
    hijo.esperar()
    return trabajo, hijo


def esperar_estado(trabajo, *estados, limite=10.0):
    esperar(lambda: trabajo.get_status() in estados, limite, f"que {trabajo.id} pasara a {estados}")


def adelantar_el_reloj(registro):
    """Las entradas del StartedJobRegistry, caducadas: como si ya hubiera pasado su hora."""
    redis = registro.connection
    redis.zadd(registro.key, {e: int(time.time()) - 1 for e in redis.zrange(registro.key, 0, -1)})


# --- Cuando muere el hijo. ---

@pytest.mark.parametrize("senal", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "sigterm"])
def test_si_muere_el_hijo_es_un_fallo_y_se_reintenta_si_le_quedan(senal, vigia, cola):
    """El worker lo trata como un fallo de la tarea: con reintentos, lo vuelve a encolar."""
    with worker_vivo() as worker:
        trabajo, hijo = empezar_congelado(
            worker, 100, lambda: cola.enqueue(TAREA, 100, fallar=False, retry=Retry(max=1)))
        matar(hijo.hijo, senal)
        hijo.soltar()
        worker.esperar_texto(f"waitpid returned {int(senal)} (signal {int(senal)})")
        esperar_estado(trabajo, JobStatus.FINISHED, limite=30)
    trabajo.refresh()
    assert trabajo.retries_left == 0
    assert worker.texto().count(f"default: {TAREA}(100, fallar=False)") == 2
    assert len(cola.failed_job_registry) == 0


# --- Cuando muere el worker. ---

def test_kill_9_al_worker_no_mata_al_hijo_que_acaba_aunque_lo_den_por_abandonado(vigia, cola):
    """SIGKILL al padre no mata a sus hijos. El huérfano acaba su trabajo, pero
    nadie renueva su entrada: si caduca antes, la limpieza lo da por abandonado
    mientras sigue corriendo."""
    with worker_vivo() as worker:
        trabajo = empezar(worker, 100, lambda: cola.enqueue(TAREA, 100, fallar=False))
        hijo = worker.hijo()
        # El hijo tiene su propio grupo de procesos, distinto del del worker.
        assert os.getpgid(hijo) == hijo != os.getpgid(worker.pid)
        matar(worker.pid)
        worker.esperar_fin(recoger=0)
        assert not muerto(hijo), "el proceso hijo ha muerto con el worker"
        adelantar_el_reloj(cola.started_job_registry)
        assert len(cola.started_job_registry) == 0  # La limpieza, aquí mismo.
        assert trabajo.get_status() == JobStatus.FAILED
        assert not muerto(hijo)
        # Y aun así el huérfano termina y guarda su resultado.
        esperar(lambda: muerto(hijo), que="que el hijo terminara")
    assert trabajo.get_status() == JobStatus.FINISHED
    assert trabajo.return_value(refresh=True) == 100


@pytest.mark.parametrize("reloj", [
    "adelantado",
    pytest.param("real", marks=pytest.mark.skipif(not LENTAS, reason="espera ~61 s; GUIA_RQ_LENTAS=1 para ejecutarla")),
])
def test_trabajo_abandonado_la_regla_del_tiempo(reloj, vigia, cola, redis_conexion, en_examples_senales):
    """kill -9 al worker y a su hijo: el trabajo espera en el StartedJobRegistry
    a que caduque su entrada (último latido + min(tiempo máximo restante,
    --job-monitoring-interval) + 60 s) y al siguiente mantenimiento de un
    worker vivo, que llama a su on_failure y lo reintenta porque le queda un
    reintento.
    """
    from avisos import al_fallar

    def encolar():
        return cola.enqueue(TAREA, 100, fallar=False, retry=Retry(max=1), on_failure=Callback(al_fallar))

    with worker_vivo("--job-monitoring-interval", "1") as muerto_a_tiros:
        trabajo = empezar(muerto_a_tiros, 100, encolar)
        hijo = muerto_a_tiros.hijo()
        matar(muerto_a_tiros.pid)
        matar(hijo)
        hora_de_la_muerte = time.time()
        muerto_a_tiros.esperar_fin()

    registro = cola.started_job_registry
    [(entrada, caduca)] = redis_conexion.zrange(registro.key, 0, -1, withscores=True)
    # Último latido (al empezar) + min(180 s de tiempo máximo, 1 s de vigilancia) + 60 s.
    assert 59 <= caduca - hora_de_la_muerte <= 62

    # Un worker ocioso espera en la cola worker_ttl - 15 segundos.
    assert Worker([cola], connection=redis_conexion, worker_ttl=75).dequeue_timeout == 60
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
        texto = rescatador.texto()
        # El aviso lo ha dado el worker que ha limpiado el registro.
        assert f"Aviso: {TAREA}(100, fallar=False) ha fallado (AbandonedJobError)" in texto
        assert texto.count(f"default: {TAREA}(100, fallar=False)") == 1
    assert len(cola.failed_job_registry) == 0


# --- Parar: el grupo de procesos, la regla del segundo, un trabajo parado. ---

def test_parar_un_trabajo_suspender_y_ctrl_c_con_un_solo_worker(vigia, cola, redis_conexion):
    """Tres reglas con el mismo worker, como el worker de las señales del capítulo:

    1. Un trabajo parado con send_stop_job_command no se reintenta aunque le queden.
    2. La suspensión se mira antes de esperar en la cola, no después.
    3. Ctrl+C manda SIGINT al grupo de primer plano: al worker sí, al hijo no (tiene
       su grupo). Y un SIGTERM detrás, antes de un segundo, no provoca la parada inmediata.
    """
    with worker_vivo() as worker:
        parado, hijo = empezar_congelado(
            worker, 300, lambda: cola.enqueue(TAREA, 300, fallar=False, retry=Retry(max=2)))
        detener = procesos.python("detener.py", parado.id, carpeta="senales", **ENTORNO)
        hijo.soltar()
        assert detener.returncode == 0, detener.stdout
        esperar_estado(parado, JobStatus.STOPPED)
        parado.refresh()
        assert parado.retries_left == 2
        assert parado.id in cola.failed_job_registry
        assert cola.count == 0 and len(cola.scheduled_job_registry) == 0

        esperar(lambda: [w.get_state() for w in Worker.all(connection=redis_conexion)] == ["idle"],
                que="que el worker esperase en la cola")
        suspend(redis_conexion)
        se_cuela = cola.enqueue(TAREA, 2, fallar=False)
        esperar_estado(se_cuela, JobStatus.FINISHED)
        worker.esperar_texto("suspended, run `rq resume` to resume")
        espera = cola.enqueue(TAREA, 3, fallar=False)
        time.sleep(0.3)
        assert espera.get_status() == JobStatus.QUEUED
        espera.cancel()
        resume(redis_conexion)

        trabajo = empezar(worker, 100, lambda: cola.enqueue(TAREA, 100, fallar=False))
        os.killpg(os.getpgid(worker.pid), signal.SIGINT)
        worker.esperar_texto("warm shut down requested")
        worker.senal(signal.SIGTERM)
        assert worker.esperar_fin(limite=30) == 0
    assert "cold shut down" not in worker.texto()
    assert trabajo.get_status() == JobStatus.FINISHED


# --- Los ejemplos: su uso en una línea y código 2, y errores en una línea. ---

USOS_MALOS = [
    ("detener.py", []),
    ("detener.py", ["-h"]),
    ("encolar.py", []),
    ("encolar.py", ["cero"]),
    ("encolar.py", ["0"]),
    ("encolar.py", ["30", "--reintentos"]),
    ("encolar.py", ["30", "--reintentos", "x"]),
]


@pytest.fixture
def como_script(monkeypatch, en_examples_senales):
    """Ejecuta un ejemplo como `python script ...`, pero sin pagar otro intérprete."""
    return functools.partial(en_proceso.como_script, "senales", monkeypatch)


@pytest.mark.parametrize("script, argumentos", USOS_MALOS, ids=[" ".join([s, *a]) for s, a in USOS_MALOS])
def test_argumentos_malos_dan_el_uso_y_codigo_2(script, argumentos, como_script, capsys):
    assert como_script(script, *argumentos) == 2
    error = capsys.readouterr().err
    assert error.startswith("Uso: python ") and error.count("\n") == 1


@pytest.mark.parametrize("trabajo_id, mensaje", [
    ("no-existe", "Error: no existe el trabajo no-existe."),
    ("en-espera", "Error: el trabajo en-espera no se está ejecutando (estado: queued)."),
], ids=["no-existe", "en-espera"])
def test_detener_explica_por_que_no_puede(trabajo_id, mensaje, cola, como_script):
    if trabajo_id == "en-espera":
        cola.enqueue(TAREA, 3, job_id="en-espera")
    # sys.exit con un texto: el texto va a stderr y el código de salida es 1.
    assert como_script("detener.py", trabajo_id) == mensaje
