"""Capítulo "Opciones al encolar": cada opción de enqueue, comprobada con un worker de verdad.

Para no arrancar un worker por opción, la preparación del módulo encola los
ejemplos de todas (opciones_*.py) y un solo `rq worker --burst` los ejecuta.
Después, cada prueba mira en Redis lo que su opción ha dejado.

El worker atiende tres colas, en este orden:

* ``opciones-parar``: un trabajo largo que paramos a mano (on_stopped);
* ``opciones``: todos los demás, entre ellos uno que agota su job_timeout
  de 1 segundo;
* ``opciones-tarde``: el trabajo con ttl=1. Cuando el worker llega a él, ya
  ha pasado por lo menos ese segundo de job_timeout: el trabajo ha caducado.
"""

import functools
import inspect
import sys
import time
from dataclasses import dataclass

import pytest
from redis import Redis
from rq import Callback, Queue
from rq.exceptions import DuplicateJobError, TimeoutFormatError
from rq.job import Job, JobStatus
from rq.registry import FailedJobRegistry
from rq.results import Result

from tests.arnes.procesos import EJEMPLOS, en_marcha, orden_worker, python

sys.path.insert(0, str(EJEMPLOS / "rq"))

import opciones_args_kwargs  # noqa: E402
import opciones_at_front  # noqa: E402
import opciones_callbacks  # noqa: E402
import opciones_depends_on  # noqa: E402
import opciones_description  # noqa: E402
import opciones_failure_ttl  # noqa: E402
import opciones_job_id  # noqa: E402
import opciones_meta  # noqa: E402
import opciones_result_ttl  # noqa: E402
import opciones_timeout  # noqa: E402
import opciones_ttl  # noqa: E402
from tareas_opciones import sumar  # noqa: E402

UN_ANYO = 365 * 24 * 3600


@dataclass
class Ejecucion:
    conexion: Redis
    trabajos: dict
    registro: str  # Lo que el worker escribió en su terminal.

    def ttl(self, trabajo):
        return self.conexion.ttl(trabajo.key)

    def ttl_resultados(self, trabajo):
        return self.conexion.ttl(Result.get_key(trabajo.id))

    def lista(self, nombre):
        return [v.decode() for v in self.conexion.lrange(nombre, 0, -1)]


def _esperar(condicion, limite=10.0):
    fin = time.monotonic() + limite
    while not condicion():
        if time.monotonic() > fin:
            raise AssertionError("la condición no se cumplió a tiempo")
        time.sleep(0.02)


@pytest.fixture(scope="module")
def ejecucion(servidor_redis):
    conexion = Redis.from_url(servidor_redis)
    conexion.flushdb()
    cola = Queue("opciones", connection=conexion)
    parar = Queue("opciones-parar", connection=conexion)
    tarde = Queue("opciones-tarde", connection=conexion)
    trabajos = {
        "job_timeout": {
            **opciones_timeout.encolar_con_tiempo_maximo(cola),
            **opciones_timeout.encolar_con_tiempos_en_texto(cola),
        },
        "result_ttl": opciones_result_ttl.encolar_con_distintos_result_ttl(cola),
        "failure_ttl": opciones_failure_ttl.encolar_fallos(cola),
        "callbacks": opciones_callbacks.encolar_con_callbacks(cola),
        "job_id": opciones_job_id.encolar_con_id_propio(cola),
        "at_front": opciones_at_front.encolar_uno_urgente(cola),
        "description": opciones_description.encolar_con_descripcion(cola),
        "depends_on": {
            **opciones_depends_on.encolar_cadena(cola),
            **opciones_depends_on.encolar_tras_un_fallo(cola),
        },
        "args_kwargs": opciones_args_kwargs.encolar_publicaciones(cola),
        "meta": opciones_meta.encolar_pedido(cola),
        "on_stopped": opciones_callbacks.encolar_para_parar(parar),
        "ttl": opciones_ttl.encolar_aviso_con_caducidad(tarde, ttl=1),
    }
    orden = orden_worker("opciones-parar", "opciones", "opciones-tarde", opciones=("--burst",))
    with en_marcha(orden) as worker:
        largo = trabajos["on_stopped"]["largo"]
        _esperar(lambda: largo.get_status() == JobStatus.STARTED)
        opciones_callbacks.parar(largo)
        registro, _ = worker.communicate(timeout=60)
    assert worker.returncode == 0, registro
    yield Ejecucion(conexion, trabajos, registro)
    conexion.flushdb()
    conexion.close()


# --- job_timeout ---------------------------------------------------------

def test_job_timeout_corta_el_trabajo_con_JobTimeoutException(ejecucion):
    lento = ejecucion.trabajos["job_timeout"]["demasiado_lento"]
    assert lento.get_status() == JobStatus.FAILED
    ultima = lento.latest_result().exc_string.splitlines()[-1]
    assert ultima == "rq.timeouts.JobTimeoutException: Task exceeded maximum timeout value (1 seconds)"


@pytest.mark.parametrize(
    "nombre, segundos",
    [("noventa", 90), ("una_hora", 3600), ("media_hora", 1800), ("quince", 15)],
)
def test_job_timeout_acepta_enteros_y_textos_con_unidad(ejecucion, nombre, segundos):
    trabajo = ejecucion.trabajos["job_timeout"][nombre]
    assert Job.fetch(trabajo.id, connection=ejecucion.conexion).timeout == segundos
    assert trabajo.get_status() == JobStatus.FINISHED


@pytest.mark.parametrize("texto", ["hora y media", "1.5h", "10x"])
def test_job_timeout_rechaza_un_texto_invalido_sin_encolar_nada(ejecucion, texto):
    cola = Queue("rechazos-timeout", connection=ejecucion.conexion)
    with pytest.raises(TimeoutFormatError, match='unit can be "d", "h", "m", "s"'):
        cola.enqueue(sumar, 1, 1, job_timeout=texto)
    assert len(cola) == 0


def test_job_timeout_cero_no_se_admite(ejecucion):
    with pytest.raises(ValueError, match="0 timeout is not allowed. Use -1 for infinite timeout"):
        Queue("rechazos", connection=ejecucion.conexion).enqueue(sumar, 1, 1, job_timeout=0)


def test_job_timeout_por_defecto_es_el_de_la_cola(ejecucion):
    por_defecto = Queue("rechazos-timeout", connection=ejecucion.conexion)
    diez_minutos = Queue("rechazos-timeout", connection=ejecucion.conexion, default_timeout="10m")
    assert por_defecto.enqueue(sumar, 1, 1).timeout == 180
    assert diez_minutos.enqueue(sumar, 1, 1).timeout == 600
    por_defecto.empty()


# --- result_ttl ----------------------------------------------------------

def test_result_ttl_por_defecto_guarda_trabajo_y_resultado_500_segundos(ejecucion):
    trabajo = ejecucion.trabajos["result_ttl"]["por_defecto"]
    # Unos segundos menos de 500: los que han pasado desde que terminó.
    assert 480 < ejecucion.ttl(trabajo) <= 500
    assert 480 < ejecucion.ttl_resultados(trabajo) <= 500
    assert f"job {trabajo.id} result is kept for 500 seconds" in ejecucion.registro


def test_result_ttl_cero_borra_el_trabajo_al_terminar(ejecucion):
    trabajo = ejecucion.trabajos["result_ttl"]["sin_guardar"]
    assert not Job.exists(trabajo.id, connection=ejecucion.conexion)
    assert trabajo.latest_result() is None
    assert f"job {trabajo.id} result discarded immediately" in ejecucion.registro


def test_result_ttl_menos_uno_no_caduca_nunca(ejecucion):
    trabajo = ejecucion.trabajos["result_ttl"]["para_siempre"]
    assert ejecucion.ttl(trabajo) == -1  # -1: la clave existe y no caduca.
    assert ejecucion.ttl_resultados(trabajo) == -1
    assert trabajo.return_value() == 6


# --- failure_ttl ---------------------------------------------------------

def test_failure_ttl_por_defecto_guarda_el_fallo_un_anyo(ejecucion):
    trabajo = ejecucion.trabajos["failure_ttl"]["por_defecto"]
    assert trabajo.get_status() == JobStatus.FAILED
    assert UN_ANYO - 60 < ejecucion.ttl(trabajo) <= UN_ANYO
    registro = FailedJobRegistry("opciones", connection=ejecucion.conexion)
    caduca = ejecucion.conexion.zscore(registro.key, trabajo.id)
    assert UN_ANYO - 60 < caduca - time.time() <= UN_ANYO


def test_failure_ttl_propio_acepta_texto_con_unidad(ejecucion):
    trabajo = ejecucion.trabajos["failure_ttl"]["un_dia"]
    assert trabajo.get_status() == JobStatus.FAILED
    assert 86400 - 60 < ejecucion.ttl(trabajo) <= 86400
    assert 86400 - 60 < ejecucion.ttl_resultados(trabajo) <= 86400


def test_sin_failure_ttl_el_resultado_del_fallo_no_caduca(ejecucion):
    # RQ 3.0.0 solo pone caducidad a rq:results:<id> si el trabajo trae
    # failure_ttl; el año por defecto se aplica al trabajo, no a su resultado.
    trabajo = ejecucion.trabajos["failure_ttl"]["por_defecto"]
    assert ejecucion.ttl_resultados(trabajo) == -1
    assert trabajo.latest_result().type == Result.Type.FAILED


# --- ttl -----------------------------------------------------------------

def test_ttl_descarta_el_trabajo_que_no_empezo_a_tiempo(ejecucion):
    aviso = ejecucion.trabajos["ttl"]["aviso"]
    assert not Job.exists(aviso.id, connection=ejecucion.conexion)
    assert aviso.latest_result() is None
    assert ejecucion.lista("avisos-enviados") == []
    assert aviso.id not in ejecucion.registro  # El worker ni lo menciona.
    assert len(Queue("opciones-tarde", connection=ejecucion.conexion)) == 0


def test_ttl_tiene_que_ser_positivo(ejecucion):
    with pytest.raises(ValueError, match="Job ttl must be greater than 0"):
        Queue("rechazos", connection=ejecucion.conexion).enqueue(sumar, 1, 1, ttl=0)


# --- on_success, on_failure, on_stopped ---------------------------------

def test_on_success_y_on_failure_reciben_el_trabajo_la_conexion_y_lo_suyo(ejecucion):
    avisos = ejecucion.lista("avisos")
    assert "✔ tareas_opciones.sumar(2, 3) devolvió 5" in avisos
    assert "✘ tareas_opciones.fallar('a propósito') falló: RuntimeError: a propósito" in avisos


def test_on_stopped_se_llama_al_parar_un_trabajo_que_queda_stopped(ejecucion):
    largo = ejecucion.trabajos["on_stopped"]["largo"]
    assert "■ tareas_opciones.dormir(30) parado a mano" in ejecucion.lista("avisos")
    assert largo.get_status() == JobStatus.STOPPED
    assert largo.id in FailedJobRegistry("opciones-parar", connection=ejecucion.conexion).get_job_ids()
    # RQ 3.0.0 tiene Result.Type.STOPPED, pero guarda el paro como FAILED.
    resultado = largo.latest_result()
    assert resultado.type == Result.Type.FAILED
    assert resultado.exc_string == "Job stopped by user, work-horse terminated."


@pytest.mark.parametrize("opcion", ["on_success", "on_failure", "on_stopped"])
def test_callbacks_con_una_funcion_suelta_estan_obsoletos(ejecucion, opcion):
    cola = Queue("rechazos", connection=ejecucion.conexion)
    aviso = f"Passing a string or function for `{opcion}` is deprecated, pass `Callback` instead"
    with pytest.warns(DeprecationWarning, match=aviso):
        cola.enqueue(sumar, 1, 1, **{opcion: opciones_callbacks.al_parar})


def test_callback_admite_la_ruta_como_texto_y_un_timeout_de_60_por_defecto():
    por_ruta = Callback("opciones_callbacks.al_fallar")
    assert por_ruta.name == Callback(opciones_callbacks.al_fallar).name == "opciones_callbacks.al_fallar"
    assert por_ruta.timeout == 60
    assert Callback(opciones_callbacks.al_fallar, timeout="2m").timeout == 120


def test_callback_solo_admite_funciones_o_rutas():
    with pytest.raises(ValueError, match="Callback `func` must be a string or function"):
        Callback(functools.partial(opciones_callbacks.al_parar))


# --- job_id --------------------------------------------------------------

def test_job_id_repetido_pisa_el_trabajo_y_se_ejecuta_dos_veces(ejecucion):
    primero = ejecucion.trabajos["job_id"]["primero"]
    assert primero.id == "factura-2024-0001"
    # Las dos ejecuciones usaron los argumentos del segundo enqueue.
    assert [r.return_value for r in primero.results()] == [30, 30]


@pytest.mark.parametrize("identificador", ["factura 1", "factura:1", "factura/1", "añadido", ""])
def test_job_id_solo_admite_letras_numeros_guiones_y_subrayados(ejecucion, identificador):
    cola = Queue("rechazos-job-id", connection=ejecucion.conexion)
    with pytest.raises(ValueError, match="Job ID must only contain letters, numbers, underscores and dashes"):
        cola.enqueue(sumar, 1, 1, job_id=identificador)
    assert len(cola) == 0


def test_unique_rechaza_un_job_id_que_ya_existe(ejecucion):
    cola = Queue("unicos", connection=ejecucion.conexion)
    cola.enqueue(sumar, 1, 1, job_id="unico", unique=True)
    with pytest.raises(DuplicateJobError, match="Job with ID 'unico' already exists"):
        cola.enqueue(sumar, 2, 2, job_id="unico", unique=True)
    assert cola.job_ids == ["unico"]


# --- at_front ------------------------------------------------------------

def test_at_front_pasa_delante_de_los_que_esperaban(ejecucion):
    assert ejecucion.lista("llegadas") == ["urgente", "normal 1", "normal 2"]


# --- description ---------------------------------------------------------

def test_description_sustituye_a_la_llamada_en_el_registro_del_worker(ejecucion):
    propia = ejecucion.trabajos["description"]["propia"]
    automatica = ejecucion.trabajos["description"]["automatica"]
    assert automatica.description == "tareas_opciones.sumar(4, 4)"
    assert f"opciones: Cuadrar la caja del día ({propia.id})" in ejecucion.registro
    assert f"opciones: tareas_opciones.sumar(4, 4) ({automatica.id})" in ejecucion.registro


# --- depends_on ----------------------------------------------------------

def test_depends_on_con_uno_con_lista_y_en_cadena_respeta_el_orden(ejecucion):
    assert ejecucion.lista("cadena") == ["descargar", "limpiar", "resumir", "publicar"]
    for trabajo in ejecucion.trabajos["depends_on"].values():
        if trabajo.description.startswith("tareas_opciones.apuntar('cadena'"):
            assert trabajo.get_status() == JobStatus.FINISHED


def test_una_dependencia_fallida_deja_al_dependiente_en_espera(ejecucion):
    roto = ejecucion.trabajos["depends_on"]["roto"]
    espera = ejecucion.trabajos["depends_on"]["espera"]
    assert roto.get_status() == JobStatus.FAILED
    assert espera.get_status() == JobStatus.DEFERRED
    cola = Queue("opciones", connection=ejecucion.conexion)
    assert espera.id in cola.deferred_job_registry.get_job_ids()
    assert "resumen" not in ejecucion.lista("tras-fallo")


def test_dependency_allow_failure_ejecuta_aunque_la_dependencia_falle(ejecucion):
    siempre = ejecucion.trabajos["depends_on"]["siempre"]
    assert siempre.get_status() == JobStatus.FINISHED
    assert ejecucion.lista("tras-fallo") == ["limpieza"]


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


def test_args_explicitos_no_admiten_ademas_posicionales_sueltos(ejecucion):
    cola = Queue("rechazos", connection=ejecucion.conexion)
    with pytest.raises(AssertionError, match="Extra positional arguments cannot be used"):
        cola.enqueue(opciones_args_kwargs.publicar, "Novedades", args=("Otra",))


# --- meta ----------------------------------------------------------------

def test_meta_llega_al_trabajo_y_vuelve_con_lo_que_este_guardo(ejecucion):
    pedido = ejecucion.trabajos["meta"]["pedido"]
    assert pedido.return_value() == "Pedido 42 para Ana"
    assert pedido.get_meta() == {"cliente": "Ana", "canal": "web", "estado": "preparado"}


# --- Opciones que las notas no traían ------------------------------------

def test_las_opciones_nuevas_existen_en_rq_3():
    import rq
    from rq import RateLimit, Repeat, Retry, Webhook

    assert rq.__version__ == "3.0.0"
    parametros = inspect.signature(Queue.enqueue_call).parameters
    for opcion in ("retry", "repeat", "unique", "rate_limit", "webhooks", "pipeline", "on_stopped"):
        assert opcion in parametros, opcion
    # Y se construyen como cuenta la tabla del capítulo.
    Retry(max=3, interval=[10, 30, 60])
    Repeat(times=3, interval=60)
    RateLimit(key="api-externa", concurrency=2)
    Webhook("https://ejemplo.org/avisos", "failed")


# --- El script del lector ------------------------------------------------

def test_probar_opciones_con_una_opcion_desconocida_explica_el_uso():
    resultado = python("probar_opciones.py", "no_existe")
    assert resultado.returncode == 2
    assert resultado.stdout.startswith("Uso: python probar_opciones.py OPCIÓN (una de: args_kwargs, ")
    assert resultado.stdout.count("\n") == 1


@pytest.mark.parametrize("argumentos", [[], ["ttl", "meta"]], ids=["nada", "dos"])
def test_probar_opciones_pide_exactamente_una_opcion(argumentos, capsys):
    import probar_opciones

    assert probar_opciones.main(argumentos) == 2
    assert capsys.readouterr().err.startswith("Uso: python probar_opciones.py OPCIÓN")
