"""Lo que el capítulo "Flujos de trabajos y garantías de entrega" afirma y no cabe en una salida.

Workers de verdad (en modo burst, o cuatro con rq worker-pool), un receptor
HTTP de verdad en este proceso y el Redis privado de las pruebas. Los
ejemplos se ejecutan desde examples/flujos con PYTHONPATH=../rq, como el
lector.
"""

import contextlib
import functools
import json
import logging
import time

import pytest
from redis.connection import Connection
from rq import Queue, RateLimit, Retry, Webhook
from rq.command import send_stop_job_command
from rq.exceptions import DuplicateJobError
from rq.group import Group
from rq.job import Dependency, Job, JobStatus
from rq.rate_limit import RateLimitRegistry

from tests.arnes import en_proceso, procesos
from tests.arnes.procesos import esperar, matar
from tests.arnes.servidor_web import receptor
from tests.test_fallos import WorkerSinCanal, senales_intactas, una_pasada
from tests.test_senales import adelantar_el_reloj

CARPETA = procesos.EJEMPLOS / "flujos"
ENTORNO = {"PYTHONPATH": "../rq"}
TAREA = "tareas.tarea_pesada_y_falible"


@pytest.fixture
def en_examples_flujos(monkeypatch):
    """Como un intérprete abierto en examples/flujos con PYTHONPATH=../rq."""
    with en_proceso.interprete_en("flujos", monkeypatch):
        yield


def por_orden_de_inicio(trabajos):
    """Los trabajos, en el orden en que los empezó el worker."""
    for trabajo in trabajos:
        trabajo.refresh()
    return sorted(trabajos, key=lambda t: t.started_at)


# --- Dependencias. ---

def test_un_hijo_de_un_padre_fallido_se_queda_aplazado_para_siempre(cola, redis_conexion, en_examples_flujos):
    """Ni caduca (sin ttl), ni lo mueve la limpieza del registro, ni lo cuenta `rq info`."""
    padre = cola.enqueue(TAREA, 1, fallar=True)
    hijo = cola.enqueue(TAREA, 1, fallar=False, depends_on=padre)
    una_pasada(cola)
    assert padre.get_status() == JobStatus.FAILED
    assert hijo.get_status() == JobStatus.DEFERRED
    assert redis_conexion.ttl(hijo.key) == -1  # La clave del trabajo no caduca.
    # La limpieza del registro de aplazados, como si hubieran pasado diez años: nada.
    cola.deferred_job_registry.cleanup(timestamp=time.time() + 10 * 365 * 86400)
    assert hijo.id in cola.deferred_job_registry.get_job_ids()
    una_pasada(cola)  # Otro worker, con su mantenimiento: nada cambia.
    assert hijo.get_status() == JobStatus.DEFERRED
    # pendientes.py lo encuentra; cancelado, pasa al registro de trabajos cancelados.
    from pendientes import sin_salida

    [(encontrado, su_padre)] = list(sin_salida(cola))
    assert (encontrado.id, su_padre.id) == (hijo.id, padre.id)
    encontrado.cancel()
    assert hijo.id in cola.canceled_job_registry.get_job_ids()
    assert hijo.id not in cola.deferred_job_registry.get_job_ids()
    info = procesos.ejecutar(procesos.orden_rq("info", "--only-queues"), carpeta="flujos")
    assert "1 failed" in info.stdout and "deferred" not in info.stdout.lower()


def test_volver_a_encolar_el_padre_arreglado_encola_a_sus_hijos(cola, en_examples_flujos):
    padre = cola.enqueue(TAREA, 1, fallar=True)
    hijo = cola.enqueue(TAREA, 1, fallar=False, depends_on=padre)
    una_pasada(cola)
    # "Arreglar la causa": aquí, que la tarea ya no tenga que fallar.
    padre.kwargs = {"fallar": False}
    padre.save()
    cola.failed_job_registry.requeue(padre.id)
    una_pasada(cola)
    assert padre.get_status() == JobStatus.FINISHED
    assert hijo.get_status() == JobStatus.FINISHED


def test_at_front_en_el_enqueue_no_vale_para_un_trabajo_aplazado(cola, en_examples_flujos):
    """at_front=True solo cuenta si el trabajo entra en la cola al encolarlo;
    si queda aplazado, entra al final. Dependency(enqueue_at_front=True), al principio."""
    padre = cola.enqueue(TAREA, 1, fallar=False, description="padre")
    trabajos = [
        padre,
        cola.enqueue(TAREA, 1, fallar=False, description="aplazado con at_front", depends_on=padre, at_front=True),
        cola.enqueue(TAREA, 1, fallar=False, description="con Dependency",
                     depends_on=Dependency(jobs=[padre], enqueue_at_front=True)),
        cola.enqueue(TAREA, 1, fallar=False, description="otro"),
    ]
    una_pasada(cola)
    assert [t.description for t in por_orden_de_inicio(trabajos)] == [
        "padre", "con Dependency", "otro", "aplazado con at_front",
    ]
    # Con la dependencia ya cumplida al encolar, at_front sí cuenta.
    cola.enqueue(TAREA, 1, fallar=False, description="normal")
    cola.enqueue(TAREA, 1, fallar=False, description="al principio", depends_on=padre, at_front=True)
    assert [cola.fetch_job(i).description for i in cola.job_ids] == ["al principio", "normal"]


# --- Encolar en bloque. ---

@contextlib.contextmanager
def contar_viajes():
    """Cuántas veces manda algo el cliente a Redis: un pipeline entero es un solo envío."""
    cuenta = {"viajes": 0}
    original = Connection.send_packed_command

    def contando(self, *argumentos, **opciones):
        cuenta["viajes"] += 1
        return original(self, *argumentos, **opciones)

    Connection.send_packed_command = contando
    try:
        yield cuenta
    finally:
        Connection.send_packed_command = original


def test_enqueue_many_es_un_viaje_y_enqueue_dos_por_trabajo(cola, en_examples_flujos):
    from lote import encolar_lote
    from tareas import tarea_pesada_y_falible

    cola.get_redis_server_version()  # RQ la pregunta una vez por cola y la guarda.
    datos = [Queue.prepare_data(tarea_pesada_y_falible, args=(1,)) for _ in range(50)]
    with contar_viajes() as en_bloque:
        cola.enqueue_many(datos)
    with contar_viajes() as uno_a_uno:
        for _ in range(50):
            cola.enqueue(tarea_pesada_y_falible, 1)
    with contar_viajes() as en_grupo:
        encolar_lote(cola, "lote-de-prueba", [1] * 50)
    assert (en_bloque["viajes"], uno_a_uno["viajes"], en_grupo["viajes"]) == (1, 100, 1)
    assert len(cola) == 150


def test_prepare_data_no_admite_rate_limit_ni_unique():
    with pytest.raises(TypeError):
        Queue.prepare_data(TAREA, rate_limit=RateLimit("x", 1))
    with pytest.raises(TypeError):
        Queue.prepare_data(TAREA, unique=True)


def test_en_prepare_data_el_tiempo_maximo_se_llama_timeout(cola):
    with pytest.raises(TypeError):
        Queue.prepare_data(TAREA, args=(1,), job_timeout=5)
    [trabajo] = cola.enqueue_many([Queue.prepare_data(TAREA, args=(1,), timeout=5)])
    assert trabajo.timeout == 5


def test_un_grupo_pierde_sus_trabajos_caducados_y_desaparece_vacio(cola, redis_conexion, como_script):
    from lote import encolar_lote

    trabajos = encolar_lote(cola, "efimero", [1, 2])
    assert redis_conexion.smembers("rq:group:efimero") == {t.id.encode() for t in trabajos}
    for trabajo in trabajos:
        trabajo.delete()
    Group.clean_registries(redis_conexion)  # Lo que hacen los workers en su mantenimiento.
    assert Group.all(redis_conexion) == []
    # sys.exit con un texto: el texto va a stderr y el código de salida es 1.
    assert como_script("lote.py", "efimero") == "Error: no existe el grupo efimero (o ya caducaron todos sus trabajos)."


# --- Límites de concurrencia. ---

def llamadas(cola, cuantas, limite=None, segundos=30):
    """Trabajos de `segundos` "segundos": bajo prueba, 0,3 s de verdad, para que coincidan."""
    return [cola.enqueue(TAREA, segundos, fallar=False, rate_limit=limite) for _ in range(cuantas)]


@pytest.mark.parametrize("limite", [None, RateLimit("api-externa", 2)], ids=["sin-limite", "dos"])
def test_con_cuatro_workers_nunca_hay_mas_de_dos_a_la_vez(limite, redis_conexion, en_examples_flujos):
    """Sin límite, los cuatro workers trabajan a la vez (la prueba sabe verlo);
    con concurrency=2, nunca más de dos."""
    from limite import a_la_vez

    cola = Queue("api", connection=redis_conexion)
    orden = procesos.orden_rq("worker-pool", "-n", "4", "api")
    with procesos.en_marcha(orden, carpeta="flujos", cortesia=False, **ENTORNO) as pool:
        esperar(lambda: pool.texto().count("Listening on api") == 4, limite=30, que="los cuatro workers")
        trabajos = llamadas(cola, 8, limite)
        esperar(lambda: all(t.get_status() == JobStatus.FINISHED for t in trabajos), limite=30,
                que="que acabaran las ocho llamadas")
    for trabajo in trabajos:
        trabajo.refresh()
    if limite is None:
        assert a_la_vez(trabajos) > 2
    else:
        assert a_la_vez(trabajos) == 2


def test_un_trabajo_que_falla_tambien_deja_su_sitio(cola, en_examples_flujos):
    limite = RateLimit("api-externa", 1)
    roto = cola.enqueue(TAREA, 1, fallar=True, rate_limit=limite)
    espera = cola.enqueue(TAREA, 1, fallar=False, rate_limit=limite)
    assert espera.get_status() == JobStatus.RATE_LIMITED
    assert RateLimitRegistry("api-externa", cola.connection).get_rate_limited_job_ids() == [espera.id]
    una_pasada(cola)
    assert (roto.get_status(), espera.get_status()) == (JobStatus.FAILED, JobStatus.FINISHED)


def test_entre_los_que_esperan_turno_en_el_mismo_segundo_manda_el_identificador(cola, en_examples_flujos):
    """El turno va por la hora de llegada en segundos enteros; a igual hora, por el id."""
    limite = RateLimit("api-externa", 1)
    # Los tres en el mismo segundo: empezamos justo después de un cambio de segundo.
    esperar(lambda: time.time() % 1 < 0.3, limite=2, que="el principio de un segundo")
    trabajos = [cola.enqueue(TAREA, 1, fallar=False, job_id=i, rate_limit=limite) for i in ("primero", "zeta", "alfa")]
    una_pasada(cola)
    assert [t.id for t in por_orden_de_inicio(trabajos)] == ["primero", "alfa", "zeta"]


def test_la_clave_cuenta_en_todas_las_colas_y_los_que_esperan_estan_en_su_registro(
        redis_conexion, en_examples_flujos):
    from limite import sin_turno

    limite = RateLimit("api-externa", 1)
    una = Queue("una", connection=redis_conexion).enqueue(TAREA, 1, rate_limit=limite)
    otra = Queue("otra", connection=redis_conexion).enqueue(TAREA, 1, rate_limit=limite)
    assert (una.get_status(), otra.get_status()) == (JobStatus.QUEUED, JobStatus.RATE_LIMITED)
    assert redis_conexion.zrange("rq:rl:api-externa:rate_limited", 0, -1) == [otra.id.encode()]
    assert redis_conexion.zrange("rq:rl:api-externa:allowed", 0, -1) == [una.id.encode()]
    # Lo que enseña limite.py: la misma clave de Redis, leída con RateLimitRegistry.
    assert sin_turno(redis_conexion) == ("rq:rl:api-externa:rate_limited", [otra.id])


def test_rate_limit_no_se_admite_con_unique_pipeline_ni_cola_sincrona(cola, redis_conexion):
    limite = RateLimit("api-externa", 2)
    with pytest.raises(ValueError, match="unique=True is not supported with rate-limited jobs"):
        cola.enqueue(TAREA, 1, job_id="x", unique=True, rate_limit=limite)
    with redis_conexion.pipeline() as pipeline, pytest.raises(ValueError, match="cannot be enqueued with a pipeline"):
        cola.enqueue(TAREA, 1, rate_limit=limite, pipeline=pipeline)
    with pytest.raises(ValueError, match="synchronous queues"):
        Queue(connection=redis_conexion, is_async=False).enqueue(TAREA, 1, rate_limit=limite)


def test_rate_limit_no_se_admite_con_prefijos_de_clave_propios(redis_conexion):
    """Con una clase de cola, o de trabajo, que cambia el prefijo de sus claves en Redis."""
    limite = RateLimit("api-externa", 2)

    class OtraCola(Queue):
        redis_queue_namespace_prefix = "miapp:queue:"

    class OtroTrabajo(Job):
        redis_job_namespace_prefix = "miapp:job:"

    for cola in (OtraCola(connection=redis_conexion), Queue(connection=redis_conexion, job_class=OtroTrabajo)):
        with pytest.raises(ValueError, match="custom job or queue key prefixes"):
            cola.enqueue(TAREA, 1, rate_limit=limite)
    # Sin rate_limit, las dos encolan sin problema.
    assert OtraCola(connection=redis_conexion).enqueue(TAREA, 1).get_status() == JobStatus.QUEUED


# --- Webhooks. ---

def test_webhooks_el_cuerpo_del_post_el_get_sin_cuerpo_y_nada_mientras_quedan_reintentos(cola, en_examples_flujos):
    with receptor() as (url, recibidas):
        bien = cola.enqueue(TAREA, 1, fallar=False, webhooks=[
            Webhook(f"{url}/terminado", "finished", method="POST"), Webhook(f"{url}/get", "finished"),
        ])
        mal = cola.enqueue(TAREA, 1, fallar=True, retry=Retry(max=1),
                           webhooks=[Webhook(f"{url}/fallido", "failed", method="POST")])
        una_pasada(cola)
    por_ruta = {ruta: (metodo, cuerpo) for metodo, ruta, cuerpo in recibidas}
    assert sorted(por_ruta) == ["/fallido", "/get", "/terminado"]
    assert len(recibidas) == 3  # El primer intento fallido, que se reintentó, no avisa.
    assert por_ruta["/get"] == ("GET", b"")
    metodo, cuerpo = por_ruta["/terminado"]
    datos = json.loads(cuerpo)
    assert metodo == "POST"
    assert set(datos) == {"job_id", "func_name", "status", "enqueued_at", "ended_at"}
    assert (datos["job_id"], datos["func_name"], datos["status"]) == (bien.id, TAREA, "finished")
    fallo = json.loads(por_ruta["/fallido"][1])
    assert (fallo["job_id"], fallo["status"]) == (mal.id, "failed")
    assert fallo["exc_info"].strip().endswith("ValueError: la tarea de 1 s se ha torcido (fallo simulado)")
    assert Webhook(url, "finished").timeout == 10


def test_si_nadie_escucha_el_trabajo_acaba_igual_y_el_aviso_se_pierde(cola, caplog, en_examples_flujos):
    with receptor() as (url, _):
        pass  # Cerrado: en ese puerto ya no escucha nadie.
    trabajo = cola.enqueue(TAREA, 1, fallar=False, webhooks=[Webhook(url, "finished", method="POST")])
    una_pasada(cola)
    avisos = [r for r in caplog.records if r.name == "rq.webhook"]
    assert [r.getMessage() for r in avisos] == [f"Failed to send webhook to {url} for job {trabajo.id}"]  # Una vez.
    assert trabajo.get_status() == JobStatus.FINISHED
    # El logger rq.webhook no tiene manejador propio (el worker configura rq.worker y rq.job).
    assert not logging.getLogger("rq.webhook").handlers


def test_un_trabajo_detenido_no_manda_webhook(cola, redis_conexion):
    """Ni el de "failed" ni el de "finished". Otro trabajo detrás, con su aviso, marca
    que el worker ya ha acabado con el detenido."""
    with receptor() as (url, recibidas), procesos.worker_vivo(carpeta="flujos", **ENTORNO) as worker:
        avisos = [Webhook(f"{url}/fallido", "failed", method="POST"), Webhook(f"{url}/terminado", "finished")]
        parado = cola.enqueue(TAREA, 1000, fallar=False, webhooks=avisos)
        detras = cola.enqueue(TAREA, 1, fallar=False, webhooks=[Webhook(f"{url}/detras", "finished")])
        worker.esperar_texto("tarea_pesada_y_falible (1000) ")
        send_stop_job_command(redis_conexion, parado.id)
        esperar(lambda: detras.get_status() == JobStatus.FINISHED and recibidas, que="el aviso del de detrás")
    assert parado.get_status() == JobStatus.STOPPED
    assert [(metodo, ruta) for metodo, ruta, _ in recibidas] == [("GET", "/detras")]


# --- Garantías e idempotencia. ---

def test_si_muere_el_proceso_hijo_un_trabajo_con_retry_se_repite(cola):
    """La fila "muere el proceso hijo" de la tabla, con retry= (sin él, senales lo enseña)."""
    with procesos.worker_vivo(carpeta="flujos", **ENTORNO) as worker:
        trabajo = cola.enqueue(TAREA, 100, fallar=False, retry=Retry(max=1))
        worker.esperar_texto("tarea_pesada_y_falible (100) ")
        matar(worker.hijo())
        worker.esperar_texto("tarea_pesada_y_falible (100) ", veces=2)
        esperar(lambda: trabajo.get_status() == JobStatus.FINISHED, que="que el reintento terminara")
    assert "Work horse killed" in worker.texto()


def test_si_se_agota_el_tiempo_maximo_un_trabajo_con_retry_se_repite(cola, caplog, en_examples_flujos):
    """La fila "se agota su tiempo máximo": handle_job_failure lo reintenta como a
    cualquier fallo. Una tarea de 1000 "segundos" (10 s bajo prueba) con un
    tiempo máximo de 1 s: dos intentos cortados y, sin más reintentos, fallido."""
    trabajo = cola.enqueue(TAREA, 1000, fallar=False, job_timeout=1, retry=Retry(max=1))
    una_pasada(cola)
    assert caplog.text.count("JobTimeoutException: Task exceeded maximum timeout value (1 seconds)") == 2
    assert caplog.text.count(f"default: {TAREA}(1000, fallar=False) ({trabajo.id})") == 2
    assert trabajo.get_status() == JobStatus.FAILED
    trabajo.refresh()
    assert trabajo.retries_left == 0


def test_si_muere_solo_el_worker_con_retry_el_trabajo_puede_ejecutarse_dos_veces_a_la_vez(
        cola, caplog, en_examples_flujos):
    """La fila "muere solo el worker": el hijo huérfano sigue, pero nadie renueva su
    entrada en el registro de trabajos en curso. Si caduca y alguien limpia el
    registro, con retry= el trabajo vuelve a la cola y otro worker lo empieza
    mientras el huérfano sigue con él; los dos acaban bien."""
    with procesos.worker_vivo(carpeta="flujos", **ENTORNO) as worker:
        trabajo = cola.enqueue(TAREA, 200, fallar=False, retry=Retry(max=1))
        worker.esperar_texto("tarea_pesada_y_falible (200) ")
        huerfano = worker.hijo()
        matar(worker.pid)
        worker.esperar_fin(recoger=0)
        adelantar_el_reloj(cola.started_job_registry)  # Como si ya hubiera pasado su hora.
        cola.started_job_registry.cleanup()
        assert trabajo.get_status() == JobStatus.QUEUED  # Reintentado...
        assert not procesos.muerto(huerfano)  # ...con el huérfano aún en marcha,
        una_pasada(cola)  # ...y otro worker lo empieza: dos ejecuciones a la vez.
        esperar(lambda: procesos.muerto(huerfano), que="que el huérfano acabara")
        worker.esperar_texto("Successfully completed")  # El huérfano.
    assert caplog.text.count("Successfully completed") == 1  # El reintento.
    assert trabajo.get_status() == JobStatus.FINISHED


def test_el_correo_se_manda_una_vez_y_un_fallo_deja_reintentar(redis_conexion, monkeypatch, en_examples_flujos):
    import tareas_flujos

    sincrona = Queue(connection=redis_conexion, is_async=False)  # La tarea, en este proceso.
    assert sincrona.enqueue(tareas_flujos.mandar_correo, "1").return_value() == "mandado"
    assert sincrona.enqueue(tareas_flujos.mandar_correo, "1").return_value() == "ya estaba"
    assert redis_conexion.lrange(tareas_flujos.BUZON, 0, -1) == [b"Tu pedido 1 ya est\xc3\xa1 en camino"]
    assert redis_conexion.ttl("guia:correo:1") == -1  # Mandado: la marca ya no caduca.

    def roto(conexion, pedido):
        raise ConnectionError("el servidor de correo no contesta")

    with monkeypatch.context() as parche:
        parche.setattr(tareas_flujos, "_enviar", roto)
        fallido = sincrona.enqueue(tareas_flujos.mandar_correo, "2")
    assert fallido.get_status() == JobStatus.FAILED
    assert not redis_conexion.exists("guia:correo:2")  # Sin marca: el reintento lo puede mandar.
    assert sincrona.enqueue(tareas_flujos.mandar_correo, "2").return_value() == "mandado"


def test_la_marca_caduca_si_nadie_confirma_el_envio(redis_conexion, monkeypatch, en_examples_flujos):
    """Mientras se manda, la marca dura diez minutos: si el worker muere a mitad, caduca."""
    import tareas_flujos

    class Muere(BaseException):
        """Como si el proceso muriera justo después de mandar: la tarea no llega a más."""

    def manda_y_muere(conexion, pedido):
        raise Muere

    monkeypatch.setattr(tareas_flujos, "_enviar", manda_y_muere)
    trabajo = Queue(connection=redis_conexion, is_async=False).enqueue(tareas_flujos.mandar_correo, "3")
    assert trabajo.get_status() == JobStatus.FAILED
    assert redis_conexion.get("guia:correo:3") == b"mandando"
    assert 0 < redis_conexion.ttl("guia:correo:3") <= 600


def test_con_la_marca_mandando_no_acaba_bien_sino_que_reintenta(cola, redis_conexion, caplog, en_examples_flujos):
    """Lo que encontró el lector: un intento murió tras el SET NX y antes de mandar.
    El siguiente no acaba `finished` sin mandar nada: falla con CorreoEnCurso y
    Retry lo vuelve a probar a los cinco minutos; con la marca caducada, lo manda."""
    import correo
    import tareas_flujos

    assert (correo.REINTENTOS.max, correo.REINTENTOS.intervals) == (3, [300])
    assert correo.REINTENTOS.max * 300 > 600  # El último reintento llega con la marca ya caducada.
    marca = "guia:correo:999"
    redis_conexion.set(marca, "mandando", ex=600)  # Lo que dejó el intento muerto.
    trabajo = cola.enqueue(tareas_flujos.mandar_correo, "999", retry=correo.REINTENTOS)
    antes = time.time()
    una_pasada(cola)
    assert trabajo.get_status() == JobStatus.SCHEDULED
    trabajo.refresh()
    assert trabajo.retries_left == 2
    assert "tareas_flujos.CorreoEnCurso: el correo del pedido 999" in caplog.text  # El log del worker.
    cuando = cola.scheduled_job_registry.get_scheduled_time(trabajo).timestamp()
    assert antes + 299 <= cuando <= time.time() + 301
    assert redis_conexion.llen(tareas_flujos.BUZON) == 0

    redis_conexion.delete(marca)  # Lo que hace Redis a los diez minutos.
    cola.scheduled_job_registry.remove(trabajo)  # Y el reintento, sin esperar cinco minutos.
    cola.enqueue_job(trabajo)
    una_pasada(cola)
    assert trabajo.get_status() == JobStatus.FINISHED
    assert trabajo.return_value() == "mandado"
    assert redis_conexion.lrange(tareas_flujos.BUZON, 0, -1) == [b"Tu pedido 999 ya est\xc3\xa1 en camino"]


def test_un_reintento_con_espera_solo_vuelve_a_la_cola_con_planificador(cola, redis_conexion, en_examples_flujos):
    """Lo que dice el capítulo de Retry(max=3, interval=300) con `rq worker --burst`:
    sin planificador, el reintento se queda programado aunque ya le toque."""
    import correo
    import tareas_flujos

    redis_conexion.set("guia:correo:77", "mandando", ex=600)
    trabajo = cola.enqueue(tareas_flujos.mandar_correo, "77", retry=correo.REINTENTOS)

    def sin_planificador():  # Como `rq worker --burst`.
        with senales_intactas():
            WorkerSinCanal([cola], connection=redis_conexion).work(burst=True)

    sin_planificador()
    assert trabajo.get_status() == JobStatus.SCHEDULED
    redis_conexion.delete("guia:correo:77")
    adelantar_el_reloj(cola.scheduled_job_registry)  # Ya le toca...
    sin_planificador()
    assert trabajo.get_status() == JobStatus.SCHEDULED  # ...pero sin planificador nadie lo mueve.
    una_pasada(cola)  # Con planificador.
    assert trabajo.get_status() == JobStatus.FINISHED


def test_unique_rechaza_el_repetido_solo_mientras_existe_el_primero(cola):
    primero = cola.enqueue(TAREA, 1, fallar=False, job_id="correo-1234", unique=True)
    with pytest.raises(DuplicateJobError):
        cola.enqueue(TAREA, 1, fallar=False, job_id="correo-1234", unique=True)
    primero.delete()  # Lo que hace Redis cuando caduca su resultado.
    assert cola.enqueue(TAREA, 1, fallar=False, job_id="correo-1234", unique=True).id == "correo-1234"


# --- Los ejemplos: su uso en una línea y código 2. ---

USOS_MALOS = [
    ("abanico.py", []),
    ("abanico.py", ["tres"]),
    ("abanico.py", ["0"]),
    ("abanico.py", ["3", "--falla", "2"]),
    ("pendientes.py", ["a", "b"]),
    ("pendientes.py", ["-x"]),
    ("lote.py", []),
    ("lote.py", ["lote", "dos"]),
    ("limite.py", ["--otra"]),
    ("correo.py", []),
    ("correo.py", ["--otra"]),
]


@pytest.fixture
def como_script(monkeypatch, en_examples_flujos):
    """Ejecuta un ejemplo como `python script ...`, pero sin pagar otro intérprete."""
    return functools.partial(en_proceso.como_script, "flujos", monkeypatch)


@pytest.mark.parametrize("script, argumentos", USOS_MALOS, ids=[" ".join([s, *a]) for s, a in USOS_MALOS])
def test_argumentos_malos_dan_el_uso_y_codigo_2(script, argumentos, como_script, capsys):
    assert como_script(script, *argumentos) == 2
    error = capsys.readouterr().err
    assert error.startswith("Uso: python ") and error.count("\n") == 1


def test_limite_sin_llamadas_lo_dice_en_una_linea(redis_url, como_script):
    # sys.exit con un texto: el texto va a stderr y el código de salida es 1.
    assert como_script("limite.py", "--cronologia") == (
        "Error: no hay llamadas terminadas. Encólalas antes con: python limite.py"
    )


def test_el_receptor_con_el_puerto_ocupado_lo_dice_en_una_linea(como_script, monkeypatch):
    with receptor() as (url, _):
        puerto = url.rsplit(":", 1)[1]
        monkeypatch.setenv("PUERTO_RECEPTOR", puerto)
        assert como_script("receptor.py") == f"Error: no puedo escuchar en el puerto {puerto} (Address already in use)."
