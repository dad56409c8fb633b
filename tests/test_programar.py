"""Lo que el capítulo "Programar trabajos" afirma y no cabe en una salida.

Contra un Redis real, con workers, ``rq worker-pool`` y ``rq cron`` de
verdad, desde examples/programar como el lector (PYTHONPATH=../rq).
"""

import json
import runpy
import signal
import sys
from datetime import datetime, timedelta, timezone

import pytest
from rq import Repeat
from rq.job import Job, JobStatus
from rq.scheduler import RQScheduler

from tests.arnes import procesos
from tests.arnes.procesos import esperar
from tests.test_fallos import WorkerSinCanal

TAREA = "tareas.tarea_pesada_y_falible"
CARPETA = procesos.EJEMPLOS / "programar"
ENTORNO = {"PYTHONPATH": "../rq"}


# --- El planificador: su cerrojo, y rq worker-pool, que siempre lo lleva. ---

def test_el_cerrojo_del_planificador_caduca_a_los_61_s_y_solo_lo_tiene_uno(redis_conexion):
    with procesos.worker_vivo("--with-scheduler", carpeta="programar", **ENTORNO) as worker:
        worker.esperar_texto("Scheduler for default started")
        clave = "rq:scheduler-lock:default"
        dueño = redis_conexion.get(clave)
        # Dentro, el nombre del planificador; caduca a los 61 s (intervalo de
        # 1 s + 60) y se renueva cada segundo.
        esperar(lambda: redis_conexion.exists(f"rq:scheduler:{dueño.decode()}"), que="la ficha del planificador")
        assert 55 <= redis_conexion.ttl(clave) <= 61
        # Otro planificador (el de otro worker con --with-scheduler) no lo consigue.
        assert RQScheduler(["default"], connection=redis_conexion).acquire_locks() == set()
        assert redis_conexion.get(clave) == dueño


def test_rq_worker_pool_siempre_lleva_planificador(cola, vigia):
    hace_un_rato = datetime.now(timezone.utc) - timedelta(seconds=5)
    programado = cola.enqueue_at(hace_un_rato, TAREA, 1, fallar=False)
    # Sin --with-scheduler: worker-pool no tiene esa opción; la lleva siempre.
    # (Sin --burst: en modo burst, el bucle del pool duerme un segundo antes de salir.)
    orden = procesos.orden_rq("worker-pool", "-n", "1", "default")
    with procesos.en_marcha(orden, carpeta="programar", cortesia=False, **ENTORNO) as pool:
        esperar(lambda: programado.get_status() == JobStatus.FINISHED, limite=30,
                que="que el planificador del worker-pool moviera el trabajo y un worker lo hiciera")
    assert "Acquired scheduler lock for default" in pool.texto()


# --- Repeat. ---

def test_repeat_no_repite_un_trabajo_que_falla(cola, monkeypatch):
    """Con un SimpleWorker en este proceso: el mismo manejo del éxito y del fallo que rq worker."""
    antes = set(sys.modules)
    monkeypatch.syspath_prepend(str(procesos.EJEMPLOS / "rq"))
    trabajo = cola.enqueue(TAREA, 1, fallar=True, repeat=Repeat(times=2))
    manejadores = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        WorkerSinCanal([cola], connection=cola.connection).work(burst=True)
    finally:
        for senal, manejador in manejadores.items():
            signal.signal(senal, manejador)
        for nombre in set(sys.modules) - antes:
            del sys.modules[nombre]
    trabajo.refresh()
    assert trabajo.get_status() == JobStatus.FAILED
    assert trabajo.repeats_left == 2
    assert cola.count == 0 and len(cola.scheduled_job_registry) == 0


def test_repeat_con_una_lista_corta_de_esperas_repite_la_ultima(cola):
    """Lo que hace el worker tras cada ejecución con éxito: Repeat.schedule."""
    trabajo = cola.enqueue(TAREA, 1, fallar=False, repeat=Repeat(times=3, interval=[5, 10]))
    esperas = []
    for _ in range(3):
        trabajo = Job.fetch(trabajo.id, connection=cola.connection)
        antes = datetime.now(timezone.utc)
        hora = Repeat.schedule(trabajo, cola)
        esperas.append(round((hora - antes).total_seconds()))
    assert esperas == [5, 10, 10]
    assert trabajo.get_status() == JobStatus.SCHEDULED


def test_repeat_sin_espera_vuelve_a_la_cola_al_instante(cola):
    trabajo = cola.enqueue(TAREA, 1, fallar=False, repeat=Repeat(times=1))
    cola.remove(trabajo)
    assert Repeat.schedule(trabajo, cola) is None
    assert cola.get_job_ids() == [trabajo.id]


# --- rq cron: encola al arrancar, el siguiente a los 600 s, y sin cerrojo. ---

def _trabajos_de_cada_rq_cron(redis_conexion):
    """Lo que cada rq cron guarda en Redis de sus trabajos: cuándo encoló y cuándo encolará."""
    return [
        {t["interval"] or t["cron"]: t for t in json.loads(redis_conexion.hget(clave, "cron_jobs") or "[]")}
        for clave in redis_conexion.keys("rq:cron_scheduler:*")
    ]


def _hora(texto):
    return datetime.fromisoformat(texto.replace("Z", "+00:00"))


def test_dos_rq_cron_encolan_cada_trabajo_dos_veces_y_cron_va_en_hora_local(cola, redis_conexion, vigia):
    orden = procesos.orden_rq("cron", "periodicos.py")
    # El segundo, en una máquina en la India (UTC+5:30, sin horario de verano).
    with procesos.en_marcha(orden, carpeta="programar", **ENTORNO) as uno, \
            procesos.en_marcha(orden, carpeta="programar", TZ="Asia/Kolkata", **ENTORNO) as otro:
        esperar(lambda: len(cola) == 2, que="que los dos rq cron encolaran su trabajo de cada diez minutos")
        esperar(lambda: [bool(t.get(600, {}).get("latest_enqueue_time")) for t in _trabajos_de_cada_rq_cron(
            redis_conexion)] == [True, True], que="que los dos rq cron apuntaran su próxima vez")
        for trabajos in _trabajos_de_cada_rq_cron(redis_conexion):
            # El de cada diez minutos, otra vez a los 600 s; el de cron, a su hora.
            cada_diez = trabajos[600]
            assert _hora(cada_diez["next_enqueue_time"]) - _hora(cada_diez["latest_enqueue_time"]) == timedelta(
                seconds=600)
            assert trabajos["30 3 * * *"]["latest_enqueue_time"] is None
        # "30 3 * * *" son las 03:30 de la hora local de cada rq cron: en UTC,
        # 03:30 en esta máquina (si va en UTC) y 22:00 del día anterior en la India.
        en_utc = {_hora(t["30 3 * * *"]["next_enqueue_time"]).strftime("%H:%M") for t in _trabajos_de_cada_rq_cron(
            redis_conexion)}
        local = datetime.now().astimezone().replace(hour=3, minute=30).astimezone(timezone.utc).strftime("%H:%M")
        assert en_utc == {local, "22:00"}
        for cron in (uno, otro):
            cron.senal(signal.SIGTERM)
            assert cron.esperar_fin() == 0
    for trabajo in cola.get_jobs():
        assert trabajo.description == f"{TAREA}(3, fallar=False)"
        trabajo.cancel()  # Aquí solo nos importa que rq cron los encoló.


# --- Los ejemplos explican su uso en una línea y salen con 2; sin trazas. ---

def test_programar_con_argumentos_da_el_uso_y_codigo_2(monkeypatch, capsys):
    antes = set(sys.modules)
    monkeypatch.syspath_prepend(str(procesos.EJEMPLOS / "rq"))
    monkeypatch.setattr(sys, "argv", ["programar.py", "ya"])
    try:
        with pytest.raises(SystemExit) as salida:
            runpy.run_path(str(CARPETA / "programar.py"), run_name="__main__")
    finally:
        for nombre in set(sys.modules) - antes:
            del sys.modules[nombre]
    assert salida.value.code == 2
    error = capsys.readouterr().err
    assert error.startswith("Uso: python ") and error.count("\n") == 1
