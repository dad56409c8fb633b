"""Lo que el capítulo "Cuando los trabajos fallan" afirma y no cabe en una salida.

Contra un Redis real y con workers reales. Cada prueba con trabajos que
salen del proceso de pruebas va vigilada: si un trabajo se pierde o se
queda a medias, la prueba falla (ver tests/arnes/vigia.py).
"""

import contextlib
import functools
import json
import os
import signal
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import pytest
from rq import Queue, Retry, SimpleWorker
from rq.job import Job, JobStatus
from rq.rate_limit import RateLimit

from tests.arnes import en_proceso, procesos
from tests.arnes.vigia import TrabajoPerdido, vigilar_trabajos

TAREA = "tareas.tarea_pesada_y_falible"
# Opt-in: la prueba del segundo cinturón del tiempo máximo espera ~62 s.
LENTAS = os.environ.get("GUIA_RQ_LENTAS") == "1"


@pytest.fixture
def en_examples_rq(monkeypatch):
    """Como un intérprete abierto en examples/rq: tareas y reintentos se importan."""
    with en_proceso.interprete_en("rq", monkeypatch):
        yield


@contextlib.contextmanager
def senales_intactas():
    """Un worker en este proceso instala sus manejadores de SIGINT y SIGTERM: los devolvemos."""
    antes = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for senal, manejador in antes.items():
            signal.signal(senal, manejador)


class WorkerSinCanal(SimpleWorker):
    """Un SimpleWorker que no se suscribe a su canal de órdenes.

    Al terminar, un worker espera hasta un segundo a que acabe el hilo de su
    canal; aquí no hay órdenes que recibir, y cada vuelta costaría ese segundo.
    (Una clase de worker propia es la forma documentada de cambiar un worker.)
    """

    def subscribe(self):
        pass

    def unsubscribe(self):
        pass


def una_pasada(cola):
    """Un worker en modo burst, con planificador, en este mismo proceso.

    Es RQ de verdad (el mismo manejo de fallos y reintentos que `rq worker`),
    sin el coste de arrancar un proceso por cada vuelta.
    """
    with senales_intactas():
        WorkerSinCanal([cola], connection=cola.connection).work(burst=True, with_scheduler=True)


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


# --- El informe recorre todo: cada estado de RQ 3.0 y cada registro. ---

def test_el_informe_conoce_cada_estado_y_cada_registro(cola, redis_conexion, en_examples_rq):
    import fallos_informe

    assert set(fallos_informe.ESTADOS) == set(JobStatus)
    # Un trabajo que espera turno en un límite de concurrencia (RateLimit, RQ 3.0):
    # no está en ningún registro de la cola, sino en el de su clave de límite.
    limite = RateLimit(key="informe", concurrency=1)
    cola.enqueue(TAREA, 1, rate_limit=limite)
    sin_turno = cola.enqueue(TAREA, 2, rate_limit=limite)
    assert sin_turno.get_status() == JobStatus.RATE_LIMITED
    # Uno creado y no encolado, y uno "listo para encolar" (ReadyJobRegistry),
    # como los deja un proceso que muere a mitad de encolar dependientes.
    creado = Job.create(TAREA, args=(3,), connection=redis_conexion, origin=cola.name)
    creado.save()
    listo = cola.create_job(TAREA, args=(4,))
    listo.save()
    with redis_conexion.pipeline() as tuberia:
        cola.ready_job_registry.register_jobs([listo], pipeline=tuberia)
        tuberia.execute()
    # De otra cola, en el mismo límite: no es de esta.
    Queue("otra", connection=redis_conexion).enqueue(TAREA, 5, rate_limit=limite)

    estados = {t.description: fallos_informe.ESTADOS[t.get_status()] for t in fallos_informe.trabajos_de(cola)}
    assert estados == {
        f"{TAREA}(1)": "en espera",
        f"{TAREA}(2)": "sin turno",
        f"{TAREA}(4)": "listo",
    }
    # El creado no está en ninguna lista de la cola: el informe no puede verlo,
    # pero si lo encuentra, tiene nombre para su estado.
    assert fallos_informe.ESTADOS[creado.get_status()] == "creado"
    # Y la limpieza rescata al que se quedó "listo": lo mete en la cola.
    cola.ready_job_registry.cleanup()
    assert listo.get_status() == JobStatus.QUEUED and listo.id in cola.get_job_ids()


# --- Leer un registro lo limpia. ---

def _fallido_caducado(cola):
    """Un trabajo en el registro de fallidos cuya entrada ya ha caducado."""
    trabajo = cola.enqueue(TAREA, 1)
    cola.remove(trabajo)
    trabajo.set_status(JobStatus.FAILED)
    # Puntuación = hora a la que caduca; un segundo en el pasado.
    cola.connection.zadd(cola.failed_job_registry.key, {trabajo.id: int(time.time()) - 1})
    return trabajo


def test_len_y_get_job_ids_limpian_el_registro_y_cleanup_false_no(cola):
    fallidos = cola.failed_job_registry
    trabajo = _fallido_caducado(cola)
    assert fallidos.get_job_ids(cleanup=False) == [trabajo.id]
    assert fallidos.get_job_count(cleanup=False) == 1
    assert fallidos.get_job_ids() == []
    _fallido_caducado(cola)
    assert len(fallidos) == 0
    assert fallidos.get_job_count(cleanup=False) == 0


def test_rqstats_de_django_rq_tambien_limpia(cola, redis_url):
    _fallido_caducado(cola)
    with tempfile.TemporaryDirectory(prefix="guia-rq-django-") as carpeta:
        resultado = procesos.ejecutar(
            ["python", "manage.py", "rqstats", "--json"], carpeta="django",
            REDIS_URL=redis_url, DJANGO_BASE_DE_DATOS=str(Path(carpeta) / "db.sqlite3"),
        )
    assert resultado.returncode == 0, resultado.stdout
    [default] = [c for c in json.loads(resultado.stdout)["queues"] if c["name"] == "default"]
    assert default["failed_jobs"] == 0
    assert cola.failed_job_registry.get_job_count(cleanup=False) == 0


# --- rq requeue: una traza si un id no está entre los fallidos. ---

def _rq_requeue(*ids):
    return procesos.ejecutar(procesos.orden_rq("requeue", "--queue", "default", *ids))


def test_rq_requeue_con_un_id_que_no_existe_acaba_en_traza(cola, vigia):
    # Un fallido como los que deja un worker, sin pagar un worker.
    fallido = cola.enqueue(TAREA, 1, fallar=True)
    cola.remove(fallido)
    fallido.set_status(JobStatus.FAILED)
    cola.failed_job_registry.add(fallido)
    # El bueno va antes que el malo: ese sí se reencola.
    resultado = _rq_requeue(fallido.id, "no-existe")
    assert resultado.returncode == 1
    assert "Traceback (most recent call last):" in resultado.stdout
    assert resultado.stdout.rstrip().endswith("rq.exceptions.NoSuchJobError: No such job: rq:job:no-existe")
    assert fallido.get_status() == JobStatus.QUEUED
    fallido.cancel()


def test_rq_requeue_captura_una_excepcion_que_rq_ya_no_lanza():
    """La traza con un trabajo que no está entre los fallidos la enseña el capítulo
    (salida fallos/reencolar); la causa está en el código de rq requeue."""
    cli = (Path(sys.prefix) / "lib" / "python3.11" / "site-packages" / "rq" / "cli" / "cli.py").read_text()
    assert "except InvalidJobOperationError:" in cli
    registro = (Path(sys.prefix) / "lib" / "python3.11" / "site-packages" / "rq" / "registry.py").read_text()
    assert "raise InvalidJobOperation\n" in registro and "InvalidJobOperationError" not in registro


# --- Las esperas entre reintentos cuando la lista se queda corta. ---

def _esperas(cola, trabajo, vueltas):
    """Las esperas (en segundos) con las que RQ programa cada reintento."""
    registro = cola.scheduled_job_registry
    esperas = []
    for _ in range(vueltas):
        antes = int(time.time())
        una_pasada(cola)
        hora = registro.connection.zscore(registro.key, trabajo.id)
        esperas.append(round(hora - antes))
        # Adelantamos el reloj de ese trabajo: ya le toca.
        registro.connection.zadd(registro.key, {trabajo.id: int(time.time()) - 1})
    return esperas


def pedir_reintento_con_esperas():
    """Una tarea que siempre devuelve el mismo Retry, con dos esperas para tres reintentos."""
    return Retry(max=3, interval=[10, 20])


def test_retry_reutiliza_la_primera_espera_y_un_retry_devuelto_la_ultima(cola, en_examples_rq):
    al_encolar = cola.enqueue(TAREA, 1, fallar=True, retry=Retry(max=3, interval=[10, 20]))
    # Tolerancia de un segundo: la hora programada va en segundos enteros.
    esperas = _esperas(cola, al_encolar, 3)
    assert [e in (d, d + 1) for e, d in zip(esperas, [10, 10, 20])] == [True] * 3, esperas
    cola.scheduled_job_registry.remove(al_encolar, delete_job=True)

    devuelto = cola.enqueue(pedir_reintento_con_esperas)
    esperas = _esperas(cola, devuelto, 3)
    assert [e in (d, d + 1) for e, d in zip(esperas, [10, 20, 20])] == [True] * 3, esperas
    cola.scheduled_job_registry.remove(devuelto, delete_job=True)


# --- El segundo cinturón del tiempo máximo: SIGKILL pasados tiempo máximo + 60 s. ---

SORDA_A_LA_ALARMA = '''
import signal, time

def tarea_sorda(segundos):
    # Como un bucle atascado en código C: la alarma del tiempo máximo no llega.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    time.sleep(segundos)
    return segundos
'''


@pytest.mark.skipif(not LENTAS, reason="espera ~62 s; GUIA_RQ_LENTAS=1 para ejecutarla")
def test_el_worker_mata_al_hijo_pasado_el_tiempo_maximo_mas_60_s(cola, vigia, tmp_path):
    (tmp_path / "sorda.py").write_text(SORDA_A_LA_ALARMA)
    trabajo = cola.enqueue("sorda.tarea_sorda", 300, job_timeout=1)
    inicio = time.monotonic()
    resultado = procesos.worker_burst(
        opciones=("--path", str(tmp_path), "--job-monitoring-interval", "1"), timeout=120,
    )
    assert resultado.returncode == 0, resultado.stdout
    assert 61 <= time.monotonic() - inicio < 75
    assert "killed horse pid" in resultado.stdout  # Con SIGKILL, la señal por defecto de kill_horse.
    assert trabajo.get_status() == JobStatus.FAILED
    assert trabajo.latest_result().exc_string.startswith("Work-horse terminated unexpectedly")


# --- Los ejemplos explican su uso en una línea y salen con 2; sin trazas. ---

USOS_MALOS = [
    ("fallos_encolar.py", ["cero"]),
    ("fallos_encolar.py", ["0"]),
    ("fallos_informe.py", ["a", "b"]),
    ("fallos_tiempo_maximo.py", ["3"]),
    ("reintentos.py", []),
    ("reintentos.py", ["encolar", "--esperas"]),
    ("reintentos.py", ["encolar", "3", "--esperas", "1,x"]),
    ("reintentos.py", ["encolar", "3", "--esperas", "-1"]),
    ("reintentos.py", ["borrar"]),
]


@pytest.fixture
def como_script(monkeypatch, en_examples_rq):
    """Ejecuta un ejemplo como `python script ...`, pero sin pagar otro intérprete."""
    return functools.partial(en_proceso.como_script, "rq", monkeypatch)


@pytest.mark.parametrize("script, argumentos", USOS_MALOS, ids=[" ".join([s, *a]) for s, a in USOS_MALOS])
def test_argumentos_malos_dan_el_uso_y_codigo_2(script, argumentos, como_script, capsys):
    assert como_script(script, *argumentos) == 2
    error = capsys.readouterr().err
    assert error.startswith("Uso: python ") and error.count("\n") == 1
