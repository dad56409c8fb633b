"""Capítulo "Opciones al encolar": cada opción de enqueue, comprobada con workers de verdad.

Para no arrancar un worker por opción, la preparación del módulo encola los
ejemplos de todas (examples/rq/opciones_*.py) y dos `rq worker --burst` a la
vez los ejecutan. Después, cada prueba mira en Redis, o en el log del
worker, lo que su opción ha dejado.

El worker principal atiende cuatro colas, por este orden:

* ``opciones-parar``: un trabajo largo que paramos a mano (on_stopped);
* ``opciones``: casi todos los demás, entre ellos uno que agota su
  job_timeout de 1 segundo;
* ``opciones-cadena``: las dependencias, solas, para ver el orden exacto;
* ``opciones-tarde``: el trabajo con ttl=1. Cuando el worker llega a él ya
  ha pasado, como poco, el segundo de ese job_timeout: ha caducado.

El otro worker, con ``--results-ttl 60``, atiende ``opciones-60`` y
``opciones-abandono``, donde muere a mitad de un trabajo (SIGKILL).
"""

import contextlib
import inspect
import os
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
from redis import Redis
from rq import Callback, Queue, RateLimit, Repeat, Retry, Webhook
from rq.command import send_stop_job_command
from rq.defaults import CALLBACK_TIMEOUT, DEFAULT_FAILURE_TTL, DEFAULT_RESULT_TTL
from rq.exceptions import DuplicateJobError, TimeoutFormatError
from rq.job import Job, JobStatus
from rq.results import Result

from tests.arnes.procesos import EJEMPLOS, ejecutar, en_marcha, esperar, orden_rq, orden_worker, python
from tests.arnes.servidor_web import receptor

sys.path.insert(0, str(EJEMPLOS / "rq"))

import opciones_args_kwargs  # noqa: E402
import opciones_at_front  # noqa: E402
import opciones_callbacks  # noqa: E402
import opciones_caducidades  # noqa: E402
import opciones_depends_on  # noqa: E402
import opciones_job_id  # noqa: E402
import opciones_meta  # noqa: E402
import opciones_timeout  # noqa: E402
import opciones_ttl  # noqa: E402
from tareas import tarea_pesada_y_falible  # noqa: E402

UN_ANYO = 365 * 24 * 3600
# Sondas que importa el worker principal (con PYTHONPATH): en qué proceso corre
# un callback, y qué pasa con meta si la tarea no llama a save_meta().
SONDAS = '''
import os

from rq import get_current_job


def anotar_proceso(trabajo, conexion, resultado):
    conexion.hset("guia:sonda", mapping={"pid": os.getpid(), "ppid": os.getppid()})


def parar_y_anotar(trabajo, conexion):
    from opciones_callbacks import al_parar

    al_parar(trabajo, conexion)
    conexion.hset("guia:sonda-parada", mapping={"pid": os.getpid(), "ppid": os.getppid()})


def cambiar_meta_sin_guardar():
    get_current_job().meta["estado"] = "preparado"
'''


@dataclass
class Ejecucion:
    conexion: Redis
    trabajos: dict
    log: str  # Lo que escribió el worker principal en su terminal.
    log_60: str  # Y el del worker con --results-ttl 60, que muere a mitad de trabajo.
    pid_worker: int
    en_cola_antes: dict  # Lo que había en las colas antes de arrancar los workers.
    peticiones: list  # Las que recibió el servidor de los webhooks: (método, ruta, cuerpo).

    def ttl(self, trabajo):
        return self.conexion.ttl(trabajo.key)

    def ttl_resultados(self, trabajo):
        return self.conexion.ttl(Result.get_key(trabajo.id))

    def descripciones_en_orden(self, cola):
        """Las descripciones de los trabajos de `cola`, según el worker los empieza."""
        marca = f": {cola}: "
        return [
            linea.split(marca, 1)[1].rsplit(" (", 1)[0]
            for linea in self.log.splitlines()
            if marca in linea and "Job OK" not in linea
        ]


@pytest.fixture(scope="module")
def ejecucion(servidor_redis):
    conexion = Redis.from_url(servidor_redis)
    conexion.flushdb()
    cola = Queue("opciones", connection=conexion)
    parar = Queue("opciones-parar", connection=conexion)
    cadena = Queue("opciones-cadena", connection=conexion)
    tarde = Queue("opciones-tarde", connection=conexion)
    sesenta = Queue("opciones-60", connection=conexion)
    abandono = Queue("opciones-abandono", connection=conexion)
    with contextlib.ExitStack() as pila:
        # Una carpeta propia (no la de pytest, que se comparte entre ejecuciones) para las sondas.
        sondas = Path(pila.enter_context(tempfile.TemporaryDirectory(prefix="guia-rq-sondas-")))
        (sondas / "sondas.py").write_text(SONDAS, encoding="utf-8")
        url, peticiones = pila.enter_context(receptor())
        trabajos = {
            # El ttl primero: tiene que caducar antes de que el worker llegue a él.
            "ttl": opciones_ttl.encolar_aviso_con_caducidad(tarde, segundos=1),
            "job_timeout": {
                # 300 "segundos" de la tarea acelerada son 3 s: más que su segundo de tiempo máximo.
                "corto": cola.enqueue(tarea_pesada_y_falible, 300, fallar=False, job_timeout=1),
                "sin_limite_seguro": cola.enqueue(tarea_pesada_y_falible, 1, fallar=False, job_timeout=-1),
                **opciones_timeout.encolar_con_tiempos_maximos(cola),
            },
            "terminados": opciones_caducidades.encolar_terminados(cola),
            "results_ttl_60": {"trabajo": sesenta.enqueue(tarea_pesada_y_falible, 1, fallar=False)},
            "callbacks": {
                **opciones_callbacks.encolar_con_callbacks(cola),
                "sonda": cola.enqueue(
                    tarea_pesada_y_falible, 1, fallar=False, on_success=Callback("sondas.anotar_proceso"),
                ),
            },
            "on_stopped": {
                "largo": parar.enqueue(
                    tarea_pesada_y_falible, 3000, fallar=False, on_stopped=Callback("sondas.parar_y_anotar"),
                ),
            },
            "abandonado": {
                "largo": abandono.enqueue(
                    tarea_pesada_y_falible, 3000, fallar=False, on_failure=Callback(opciones_callbacks.al_fallar),
                ),
            },
            "job_id": opciones_job_id.encolar_con_id_propio(cola),
            "at_front": opciones_at_front.encolar_uno_urgente(cola),
            "depends_on": {
                **opciones_depends_on.encolar_cadena(cadena),
                **opciones_depends_on.encolar_tras_un_fallo(cadena),
            },
            "args_kwargs": opciones_args_kwargs.encolar_publicaciones(cola),
            "meta": {
                **opciones_meta.encolar_pedido(cola),
                "sin_guardar": cola.enqueue("sondas.cambiar_meta_sin_guardar", meta={"cliente": "Ana"}),
            },
            "repeat": {
                "seguido": cola.enqueue(tarea_pesada_y_falible, 1, fallar=False, repeat=Repeat(times=1)),
                "espaciado": cola.enqueue(
                    tarea_pesada_y_falible, 1, fallar=False, repeat=Repeat(times=1, interval=60),
                ),
            },
            "webhooks": {
                "falla": cola.enqueue(
                    tarea_pesada_y_falible, 1, fallar=True, webhooks=[Webhook(f"{url}/fallo", "failed")],
                ),
                "termina": cola.enqueue(
                    tarea_pesada_y_falible, 1, fallar=False,
                    webhooks=[Webhook(f"{url}/fallo", "failed"), Webhook(f"{url}/bien", "finished")],
                ),
            },
        }
        en_cola_antes = {
            "tarde": len(tarde), "cadena": list(cadena.job_ids), "aplazados": len(cadena.deferred_job_registry),
        }
        principal = orden_worker(
            "opciones-parar", "opciones", "opciones-cadena", "opciones-tarde", opciones=("--burst",),
        )
        worker = pila.enter_context(en_marcha(principal, PYTHONPATH=sondas))
        # El otro worker, con --results-ttl 60, hace su trabajo y empieza el largo de
        # opciones-abandono; a mitad, muere: SIGKILL a él y a su proceso hijo.
        otro = orden_worker("opciones-60", "opciones-abandono", opciones=("--burst", "--results-ttl", "60"))
        muere = pila.enter_context(en_marcha(otro, cortesia=False))
        largo = trabajos["on_stopped"]["largo"]
        abandonado = trabajos["abandonado"]["largo"]
        esperar(lambda: abandonado.get_status() == JobStatus.STARTED, que="que empezara el trabajo abandonado")
        for proceso in [muere.pid, *(h.pid for h in psutil.Process(muere.pid).children())]:
            os.kill(proceso, signal.SIGKILL)
        muere.esperar_fin(recoger=0)
        esperar(lambda: largo.get_status() == JobStatus.STARTED, que="que empezara el trabajo largo")
        send_stop_job_command(conexion, largo.id)
        assert worker.esperar_fin(limite=60) == 0, worker.texto()
        yield Ejecucion(
            conexion, trabajos, worker.texto(), muere.texto(), worker.pid, en_cola_antes, peticiones,
        )
    conexion.flushdb()
    conexion.close()


@pytest.fixture
def conexion(servidor_redis):
    """Para las pruebas que no necesitan worker, cada una con su cola. No vacía
    Redis, como haría redis_conexion: lo que dejó la ejecución del módulo sigue ahí."""
    conexion = Redis.from_url(servidor_redis)
    yield conexion
    conexion.close()


@pytest.fixture
def cola(conexion, request):
    """Una cola que se llama como la prueba, vacía al empezar y al terminar."""
    cola = Queue(request.function.__name__, connection=conexion)
    cola.empty()
    yield cola
    cola.empty()


# --- Cómo lee enqueue sus opciones -----------------------------------------

NOMBRES_DE_OPCIONES = [
    "job_timeout", "ttl", "result_ttl", "failure_ttl", "on_success", "on_failure", "on_stopped",
    "job_id", "unique", "description", "at_front", "depends_on", "meta", "retry", "repeat",
    "webhooks", "rate_limit", "pipeline",
]


def test_enqueue_se_queda_con_sus_opciones_y_pasa_el_resto():
    marca = object()
    leidas = Queue.parse_args(tarea_pesada_y_falible, 5, **{n: marca for n in NOMBRES_DE_OPCIONES}, fallar=False)
    assert leidas.args == (5,)
    assert leidas.kwargs == {"fallar": False}
    # Y no hay más: EnqueueArgs tiene un campo por opción (timeout es job_timeout),
    # además de la función y sus argumentos.
    assert len(leidas._fields) == len(NOMBRES_DE_OPCIONES) + 3


# --- job_timeout ---------------------------------------------------------

def test_job_timeout_corta_el_trabajo_y_lo_da_por_fallido(ejecucion):
    corto = ejecucion.trabajos["job_timeout"]["corto"]
    assert corto.get_status() == JobStatus.FAILED
    ultima = corto.latest_result().exc_string.splitlines()[-1]
    assert ultima == "rq.timeouts.JobTimeoutException: Task exceeded maximum timeout value (1 seconds)"


@pytest.mark.parametrize("nombre, segundos", [
    ("noventa", 90), ("una_hora", 3600), ("media_hora", 1800), ("quince", 15),
    ("sin_limite", -1), ("el_de_la_cola", 180),
])
def test_job_timeout_en_segundos_con_unidad_sin_limite_o_el_de_la_cola(ejecucion, nombre, segundos):
    trabajo = ejecucion.trabajos["job_timeout"][nombre]
    assert Job.fetch(trabajo.id, connection=ejecucion.conexion).timeout == segundos


def test_job_timeout_menos_uno_el_worker_lo_ejecuta_sin_limite(ejecucion):
    trabajo = ejecucion.trabajos["job_timeout"]["sin_limite_seguro"]
    assert trabajo.get_status() == JobStatus.FINISHED


@pytest.mark.parametrize("texto", ["hora y media", "1.5h", "1.5", "10x"])
def test_job_timeout_rechaza_un_texto_invalido_sin_encolar_nada(cola, texto):
    with pytest.raises(TimeoutFormatError, match='unit can be "d", "h", "m", "s"'):
        cola.enqueue(tarea_pesada_y_falible, 5, job_timeout=texto)
    assert len(cola) == 0


@pytest.mark.parametrize("valor", [0, "0", "0s", 0.5])
def test_job_timeout_cero_no_se_admite_tampoco_si_sale_de_truncar(cola, valor):
    with pytest.raises(ValueError, match="0 timeout is not allowed. Use -1 for infinite timeout"):
        cola.enqueue(tarea_pesada_y_falible, 5, job_timeout=valor)
    assert len(cola) == 0


@pytest.mark.parametrize("valor, segundos", [(2.9, 2), (1.5, 1), ("2d", 172800), ("1H", 3600)])
def test_job_timeout_trunca_los_decimales_y_admite_dias_y_mayusculas(cola, valor, segundos):
    assert cola.enqueue(tarea_pesada_y_falible, 5, job_timeout=valor).timeout == segundos


@pytest.mark.parametrize("valor, segundos", [(None, 180), ("10m", 600), (0, 180), (0.5, 180), (2.9, 2), (-1, -1)])
def test_el_tiempo_maximo_de_la_cola_y_el_cero_que_se_vuelve_180(conexion, cola, valor, segundos):
    cola_con_tiempo = Queue(cola.name, connection=conexion, default_timeout=valor)
    assert cola_con_tiempo.enqueue(tarea_pesada_y_falible, 5).timeout == segundos


# --- ttl -----------------------------------------------------------------

def test_ttl_el_worker_saca_el_trabajo_caducado_sin_ejecutarlo_ni_decirlo(ejecucion):
    aviso = ejecucion.trabajos["ttl"]["aviso"]
    assert ejecucion.en_cola_antes["tarde"] == 1  # len(cola) lo contaba...
    assert not Job.exists(aviso.id, connection=ejecucion.conexion)
    assert aviso.latest_result() is None
    assert aviso.id not in ejecucion.log  # ...y el worker ni lo menciona.
    assert len(Queue("opciones-tarde", connection=ejecucion.conexion)) == 0


def test_ttl_pone_caducidad_a_la_clave_del_trabajo_en_cola(conexion, cola):
    aviso = opciones_ttl.encolar_aviso_con_caducidad(cola)["aviso"]
    assert aviso.ttl == 60
    assert 55 <= conexion.ttl(aviso.key) <= 60


@pytest.mark.parametrize("valor", [0, -1])
def test_ttl_tiene_que_ser_mayor_que_cero(cola, valor):
    with pytest.raises(ValueError, match="Job ttl must be greater than 0"):
        cola.enqueue(tarea_pesada_y_falible, 1, ttl=valor)


# --- result_ttl ----------------------------------------------------------

def test_result_ttl_por_defecto_guarda_trabajo_y_resultado_500_segundos(ejecucion):
    trabajo = ejecucion.trabajos["terminados"]["bien"]
    assert DEFAULT_RESULT_TTL == 500
    # Unos segundos menos de 500: los que han pasado desde que terminó.
    assert 480 < ejecucion.ttl(trabajo) <= 500
    assert 480 < ejecucion.ttl_resultados(trabajo) <= 500
    assert f"job {trabajo.id} result is kept for 500 seconds" in ejecucion.log
    assert opciones_caducidades.caducidades(ejecucion.conexion, trabajo) == ("≤ 500 s", "≤ 500 s")


def test_result_ttl_cero_borra_el_trabajo_y_su_resultado_al_terminar(ejecucion):
    trabajo = ejecucion.trabajos["terminados"]["bien_sin_guardar"]
    assert not Job.exists(trabajo.id, connection=ejecucion.conexion)
    assert trabajo.latest_result() is None
    assert f"job {trabajo.id} result discarded immediately" in ejecucion.log
    assert opciones_caducidades.caducidades(ejecucion.conexion, trabajo) == ("no existe", "no existe")


def test_result_ttl_menos_uno_no_caduca_nunca(ejecucion):
    trabajo = ejecucion.trabajos["terminados"]["bien_para_siempre"]
    assert ejecucion.ttl(trabajo) == -1  # -1: la clave existe y no caduca.
    assert ejecucion.ttl_resultados(trabajo) == -1
    assert trabajo.return_value() == 3
    assert f"job {trabajo.id} result will never expire, clean up result key manually" in ejecucion.log


def test_rq_worker_results_ttl_cambia_el_valor_por_defecto(ejecucion):
    trabajo = ejecucion.trabajos["results_ttl_60"]["trabajo"]
    assert f"job {trabajo.id} result is kept for 60 seconds" in ejecucion.log_60
    assert 40 < ejecucion.ttl(trabajo) <= 60
    assert 40 < ejecucion.ttl_resultados(trabajo) <= 60


@pytest.mark.parametrize("segundos, texto", [(-2, "no existe"), (-1, "no caduca"), (500, "≤ 500 s"), (401, "≤ 500 s"), (400, "≤ 400 s")])
def test_caducidades_redondea_hacia_arriba_a_la_centena(segundos, texto):
    assert opciones_caducidades._caducidad(segundos) == texto


# --- failure_ttl ---------------------------------------------------------

def test_failure_ttl_por_defecto_guarda_el_fallo_un_anyo_pero_no_su_resultado(ejecucion):
    trabajo = ejecucion.trabajos["terminados"]["mal"]
    assert DEFAULT_FAILURE_TTL == UN_ANYO == 31_536_000
    assert trabajo.get_status() == JobStatus.FAILED
    assert UN_ANYO - 60 < ejecucion.ttl(trabajo) <= UN_ANYO
    registro = Queue("opciones", connection=ejecucion.conexion).failed_job_registry
    caduca = ejecucion.conexion.zscore(registro.key, trabajo.id)
    assert UN_ANYO - 60 < caduca - time.time() <= UN_ANYO
    # RQ 3.0.0 solo pone caducidad a rq:results:<id> si el trabajo trae
    # failure_ttl; el año por defecto se aplica al trabajo, no a su resultado.
    assert ejecucion.ttl_resultados(trabajo) == -1
    assert trabajo.latest_result().type == Result.Type.FAILED
    assert opciones_caducidades.caducidades(ejecucion.conexion, trabajo) == ("≤ 31536000 s", "no caduca")


def test_failure_ttl_propio_acepta_texto_y_caduca_todo_a_la_vez(ejecucion):
    trabajo = ejecucion.trabajos["terminados"]["mal_un_dia"]
    assert trabajo.get_status() == JobStatus.FAILED
    assert 86400 - 60 < ejecucion.ttl(trabajo) <= 86400
    assert 86400 - 60 < ejecucion.ttl_resultados(trabajo) <= 86400
    registro = Queue("opciones", connection=ejecucion.conexion).failed_job_registry
    assert 86400 - 60 < ejecucion.conexion.zscore(registro.key, trabajo.id) - time.time() <= 86400


# --- on_success, on_failure, on_stopped ---------------------------------

def test_on_success_recibe_el_resultado_y_on_failure_la_excepcion(ejecucion):
    assert "✔ tareas.tarea_pesada_y_falible(1, fallar=False) devolvió 1" in ejecucion.log
    fallo = "✘ tareas.tarea_pesada_y_falible(3, fallar=True) falló: ValueError: la tarea de 3 s se ha torcido (fallo simulado)"
    assert fallo in ejecucion.log


def test_on_failure_se_llama_en_cada_intento_tambien_en_los_reintentados(ejecucion):
    mal = ejecucion.trabajos["callbacks"]["mal"]
    assert mal.get_status() == JobStatus.FAILED
    assert ejecucion.log.count("✘ tareas.tarea_pesada_y_falible(3, fallar=True) falló:") == 2


def test_un_on_success_que_lanza_una_excepcion_hace_fallar_el_trabajo(ejecucion):
    correo = ejecucion.trabajos["callbacks"]["correo"]
    assert "tarea_pesada_y_falible (2) .. [OK]" in ejecucion.log  # La tarea acabó bien...
    assert correo.get_status() == JobStatus.FAILED  # ...pero el trabajo ha fallado,
    ultima = correo.latest_result().exc_string.splitlines()[-1]
    assert ultima == "ConnectionError: el servidor de correo no contesta"  # por el callback,
    # y on_failure se enteró con ese mismo error.
    assert "✘ tareas.tarea_pesada_y_falible(2, fallar=False) falló: ConnectionError: el servidor de correo no contesta" in ejecucion.log
    assert correo.id in Queue("opciones", connection=ejecucion.conexion).failed_job_registry.get_job_ids()


def test_los_callbacks_corren_en_el_proceso_hijo_del_worker(ejecucion):
    assert ejecucion.trabajos["callbacks"]["sonda"].get_status() == JobStatus.FINISHED
    sonda = {k.decode(): int(v) for k, v in ejecucion.conexion.hgetall("guia:sonda").items()}
    assert sonda["ppid"] == ejecucion.pid_worker
    assert sonda["pid"] != ejecucion.pid_worker


def test_on_stopped_corre_en_el_worker_no_en_su_hijo(ejecucion):
    """El hijo acaba de morir por la orden de parar: lo llama el worker padre."""
    sonda = {k.decode(): int(v) for k, v in ejecucion.conexion.hgetall("guia:sonda-parada").items()}
    assert sonda["pid"] == ejecucion.pid_worker


def test_si_el_hijo_muere_de_golpe_nadie_llama_a_on_failure(servidor_redis, tmp_path):
    """on_failure lo llama el hijo al capturar la excepción de la tarea; si al hijo
    lo mata el sistema (kill -9, falta de memoria), el worker da el trabajo por
    fallido sin llamarlo."""
    conexion = Redis.from_url(servidor_redis)
    cola = Queue("opciones-hijo-muerto", connection=conexion)
    trabajo = cola.enqueue(
        tarea_pesada_y_falible, 3000, fallar=False, on_failure=Callback(opciones_callbacks.al_fallar),
    )
    with en_marcha(orden_worker("opciones-hijo-muerto", opciones=("--burst",))) as worker:
        esperar(lambda: trabajo.get_status() == JobStatus.STARTED, que="que empezara el trabajo")
        hijo = esperar(lambda: psutil.Process(worker.pid).children(), que="el proceso hijo")[0]
        os.kill(hijo.pid, signal.SIGKILL)
        assert worker.esperar_fin(limite=30) == 0, worker.texto()
    assert trabajo.get_status() == JobStatus.FAILED
    assert "Work-horse terminated unexpectedly" in trabajo.latest_result().exc_string
    assert "✘" not in worker.texto()
    conexion.close()


def test_on_stopped_se_llama_al_parar_un_trabajo_que_queda_stopped(ejecucion):
    largo = ejecucion.trabajos["on_stopped"]["largo"]
    assert "■ tareas.tarea_pesada_y_falible(3000, fallar=False) parado a mano" in ejecucion.log
    assert largo.get_status() == JobStatus.STOPPED
    assert largo.id in Queue("opciones-parar", connection=ejecucion.conexion).failed_job_registry.get_job_ids()
    # RQ 3.0.0 tiene Result.Type.STOPPED, pero guarda el paro como FAILED.
    resultado = largo.latest_result()
    assert resultado.type == Result.Type.FAILED
    assert resultado.exc_string == "Job stopped by user, work-horse terminated."


def test_un_trabajo_abandonado_avisa_en_el_proceso_que_limpia_el_registro(ejecucion):
    """Su worker murió (SIGKILL, con su proceso hijo) a mitad de trabajo. on_failure
    no lo llama nadie hasta que alguien limpia el registro de trabajos en marcha:
    aquí, `rq info`, que solo venía a mirar."""
    abandonado = ejecucion.trabajos["abandonado"]["largo"]
    assert abandonado.get_status() == JobStatus.STARTED  # Nadie se ha enterado.
    # La entrada del registro caduca a los 90 s; no esperamos tanto: la adelantamos.
    registro = Queue("opciones-abandono", connection=ejecucion.conexion).started_job_registry
    for entrada in ejecucion.conexion.zrange(registro.key, 0, -1):
        ejecucion.conexion.zadd(registro.key, {entrada: time.time() - 1})
    informe = ejecutar(orden_rq("info", "opciones-abandono"))
    assert informe.returncode == 0, informe.stdout
    assert "✘ tareas.tarea_pesada_y_falible(3000, fallar=False) falló: AbandonedJobError: \n" in informe.stdout
    assert abandonado.get_status() == JobStatus.FAILED


@pytest.mark.parametrize("opcion", ["on_success", "on_failure", "on_stopped"])
def test_callbacks_con_una_funcion_suelta_estan_obsoletos(cola, opcion):
    aviso = f"Passing a string or function for `{opcion}` is deprecated, pass `Callback` instead"
    with pytest.warns(DeprecationWarning, match=aviso):
        cola.enqueue(tarea_pesada_y_falible, 1, **{opcion: opciones_callbacks.al_parar})


def test_callback_admite_la_ruta_como_texto_y_un_timeout_de_60_por_defecto():
    por_ruta = Callback("opciones_callbacks.al_fallar")
    assert por_ruta.name == Callback(opciones_callbacks.al_fallar).name == "opciones_callbacks.al_fallar"
    assert por_ruta.timeout == CALLBACK_TIMEOUT == 60
    assert Callback(opciones_callbacks.al_fallar, timeout="2m").timeout == 120


def test_callback_solo_admite_funciones_o_rutas():
    import functools

    with pytest.raises(ValueError, match="Callback `func` must be a string or function"):
        Callback(functools.partial(opciones_callbacks.al_parar))


# --- job_id y unique -----------------------------------------------------

def test_job_id_repetido_pisa_el_trabajo_y_se_ejecuta_dos_veces(ejecucion):
    primero = ejecucion.trabajos["job_id"]["primero"]
    assert primero.id == "informe-2024-06"
    # Las dos ejecuciones usaron los argumentos del segundo enqueue.
    assert [r.return_value for r in primero.results()] == [2, 2]
    assert ejecucion.log.count(": opciones: tareas.tarea_pesada_y_falible(2, fallar=False) (informe-2024-06)") == 2


def test_unique_rechaza_un_id_que_ya_existe_aunque_el_trabajo_haya_terminado(ejecucion):
    cola = Queue("opciones", connection=ejecucion.conexion)
    with pytest.raises(DuplicateJobError, match="Job with ID 'informe-2024-06' already exists"):
        cola.enqueue(tarea_pesada_y_falible, 3, fallar=False, job_id="informe-2024-06", unique=True)
    assert len(cola) == 0


def test_unique_en_la_cola_y_sin_job_id(cola):
    cola.enqueue(tarea_pesada_y_falible, 1, job_id="unico", unique=True)
    with pytest.raises(DuplicateJobError, match="Job with ID 'unico' already exists"):
        cola.enqueue(tarea_pesada_y_falible, 2, job_id="unico", unique=True)
    assert cola.job_ids == ["unico"]
    with pytest.raises(ValueError, match="unique=True requires an explicit job_id"):
        cola.enqueue(tarea_pesada_y_falible, 2, unique=True)


@pytest.mark.parametrize("identificador", ["informe 2024/06", "factura:1", "añadido", "acción", ""])
def test_job_id_solo_admite_letras_numeros_guiones_y_subrayados(cola, identificador):
    with pytest.raises(ValueError, match="Job ID must only contain letters, numbers, underscores and dashes"):
        cola.enqueue(tarea_pesada_y_falible, 1, job_id=identificador)
    assert len(cola) == 0


# --- description y at_front ----------------------------------------------

def test_description_sustituye_a_la_llamada_en_el_log_del_worker(ejecucion):
    informe = ejecucion.trabajos["at_front"]["informe"]
    copia = ejecucion.trabajos["at_front"]["copia"]
    assert copia.description == "tareas.tarea_pesada_y_falible(3, fallar=False)"
    assert f"opciones: Informe semanal ({informe.id})" in ejecucion.log
    assert "Successfully completed Informe semanal job" in ejecucion.log
    assert f"opciones: tareas.tarea_pesada_y_falible(3, fallar=False) ({copia.id})" in ejecucion.log


def test_at_front_pasa_delante_de_los_que_esperaban(ejecucion):
    inicio = {
        nombre: ejecucion.log.index(f"({trabajo.id})")
        for nombre, trabajo in ejecucion.trabajos["at_front"].items()
    }
    assert sorted(inicio, key=inicio.get) == ["urgente", "informe", "copia"]
    # Delante incluso de todo lo que había en la cola.
    primero = ejecucion.log.index(": opciones: ")
    assert ejecucion.log[primero:].startswith(f": opciones: Devolución urgente ({ejecucion.trabajos['at_front']['urgente'].id})")


# --- depends_on ----------------------------------------------------------

def test_depends_on_aplaza_los_dependientes_hasta_que_acaban_los_suyos(ejecucion):
    trabajos = ejecucion.trabajos["depends_on"]
    # Al encolar, solo entraban en la cola los que no esperaban a nadie.
    assert ejecucion.en_cola_antes["cadena"] == [trabajos["descargar"].id, trabajos["roto"].id]
    assert ejecucion.en_cola_antes["aplazados"] == 5
    # Cada liberado va detrás de lo que ya había en la cola.
    assert ejecucion.descripciones_en_orden("opciones-cadena") == [
        "descargar", "descarga rota", "limpiar", "limpieza", "resumir", "publicar",
    ]
    for nombre in ("descargar", "limpiar", "resumir", "publicar", "siempre"):
        assert trabajos[nombre].get_status() == JobStatus.FINISHED


def test_una_dependencia_fallida_deja_al_dependiente_aplazado_salvo_allow_failure(ejecucion):
    trabajos = ejecucion.trabajos["depends_on"]
    assert trabajos["roto"].get_status() == JobStatus.FAILED
    assert trabajos["espera"].get_status() == JobStatus.DEFERRED
    cola = Queue("opciones-cadena", connection=ejecucion.conexion)
    assert cola.deferred_job_registry.get_job_ids() == [trabajos["espera"].id]
    assert trabajos["siempre"].get_status() == JobStatus.FINISHED


# --- meta ----------------------------------------------------------------

def test_meta_llega_al_trabajo_y_vuelve_con_lo_que_este_guardo(ejecucion):
    pedido = ejecucion.trabajos["meta"]["pedido"]
    assert pedido.return_value() == "Pedido 42 para Ana"
    assert pedido.get_meta() == {"cliente": "Ana", "canal": "web", "estado": "preparado"}


def test_meta_sin_save_meta_el_cambio_no_llega_a_redis(ejecucion):
    trabajo = ejecucion.trabajos["meta"]["sin_guardar"]
    assert trabajo.get_status() == JobStatus.FINISHED
    assert trabajo.get_meta() == {"cliente": "Ana"}


# --- args= y kwargs= -----------------------------------------------------

def test_sin_args_ni_kwargs_rq_se_queda_el_parametro_que_choca(ejecucion):
    mal = ejecucion.trabajos["args_kwargs"]["mal"]
    assert mal.description == "Lo nuevo de junio"
    assert mal.get_status() == JobStatus.FAILED
    ultima = mal.latest_result().exc_string.splitlines()[-1]
    assert ultima == "TypeError: publicar() missing 1 required positional argument: 'description'"


def test_con_args_y_kwargs_la_funcion_recibe_su_description(ejecucion):
    bien = ejecucion.trabajos["args_kwargs"]["bien"]
    assert bien.description == "Publicar las novedades"
    assert bien.return_value() == "Novedades: Lo nuevo de junio"


def test_con_args_un_argumento_con_nombre_que_no_es_opcion_se_pierde(cola):
    trabajo = cola.enqueue(opciones_args_kwargs.publicar, args=("Novedades",), description="Lo nuevo", otra="perdida")
    assert (trabajo.args, trabajo.kwargs, trabajo.description) == (("Novedades",), {}, "Lo nuevo")


def test_args_explicitos_no_admiten_ademas_posicionales_sueltos(cola):
    with pytest.raises(AssertionError, match="Extra positional arguments cannot be used"):
        cola.enqueue(opciones_args_kwargs.publicar, "Otra", args=("Novedades",))
    assert len(cola) == 0


PYTHON_OPTIMIZADO = """
from rq import Queue
from conexion import conectar
from opciones_args_kwargs import publicar
trabajo = Queue("rechazos", connection=conectar()).enqueue(publicar, "Otra", args=("Novedades",))
print(trabajo.args)
"""


def test_con_python_optimizado_los_posicionales_sueltos_se_pierden_sin_aviso(servidor_redis):
    """El rechazo es un assert: con -O no se comprueba."""
    # Con -O, Python usa otros .pyc (.opt-1.pyc): que los escriba la primera vez,
    # aunque el entorno diga PYTHONDONTWRITEBYTECODE, para no compilar rq entero cada vez.
    resultado = python("-O", "-c", PYTHON_OPTIMIZADO, PYTHONDONTWRITEBYTECODE="")
    assert resultado.returncode == 0, resultado.stdout
    assert resultado.stdout == "('Novedades',)\n"


# --- Opciones más recientes -----------------------------------------------

def test_las_opciones_nuevas_existen_en_rq_3():
    import rq

    assert rq.__version__ == "3.0.0"
    parametros = inspect.signature(Queue.enqueue_call).parameters
    for opcion in ("retry", "repeat", "unique", "rate_limit", "webhooks", "pipeline", "on_stopped"):
        assert opcion in parametros, opcion
    # Y se construyen como cuenta la tabla del capítulo.
    Retry(max=3, interval=[10, 30, 60])
    Repeat(times=3, interval=60)
    RateLimit(key="api-externa", concurrency=2)
    Webhook("https://ejemplo.org/avisos", "failed")
    Webhook("https://ejemplo.org/avisos", "finished")


def test_repeat_vuelve_a_encolar_lo_que_termina_bien_y_con_intervalo_espera_al_planificador(ejecucion):
    seguido = ejecucion.trabajos["repeat"]["seguido"]
    espaciado = ejecucion.trabajos["repeat"]["espaciado"]
    assert [r.type for r in seguido.results()] == [Result.Type.SUCCESSFUL] * 2
    # Sin planificador, el trabajo con intervalo se queda programado tras su primera vez.
    assert len(espaciado.results()) == 1
    assert espaciado.get_status() == JobStatus.SCHEDULED
    assert espaciado.id in Queue("opciones", connection=ejecucion.conexion).scheduled_job_registry.get_job_ids()


def test_rate_limit_deja_en_cola_como_mucho_concurrency_y_los_demas_esperan(cola):
    limite = RateLimit(key="api-externa", concurrency=2)
    trabajos = [cola.enqueue(tarea_pesada_y_falible, 1, fallar=False, rate_limit=limite) for _ in range(3)]
    assert len(cola) == 2
    assert [t.get_status() for t in trabajos] == [JobStatus.QUEUED, JobStatus.QUEUED, JobStatus.RATE_LIMITED]


def test_pipeline_no_guarda_el_trabajo_hasta_ejecutar_el_pipeline(conexion, cola):
    tuberia = conexion.pipeline()
    trabajo = cola.enqueue(tarea_pesada_y_falible, 1, pipeline=tuberia)
    assert not Job.exists(trabajo.id, connection=conexion)
    assert len(cola) == 0
    tuberia.execute()
    assert Job.exists(trabajo.id, connection=conexion)
    assert cola.job_ids == [trabajo.id]


def test_webhooks_piden_la_url_del_estado_en_que_acaba_el_trabajo(ejecucion):
    assert ejecucion.trabajos["webhooks"]["falla"].get_status() == JobStatus.FAILED
    assert ejecucion.trabajos["webhooks"]["termina"].get_status() == JobStatus.FINISHED
    assert sorted(ruta for _, ruta, _ in ejecucion.peticiones) == ["/bien", "/fallo"]
