"""Capítulo de workers: del programa lento a las colas, con workers de verdad."""

import pytest
from redis import Redis
from rq import Queue
from rq.job import JobStatus
from rq.registry import FailedJobRegistry, FinishedJobRegistry

from tests.arnes import procesos
from tests.escenarios.workers import terminados

COLAS = ("high", "default", "low")


def trabajos_por_orden_de_inicio(conexion):
    """Todos los trabajos acabados de las tres colas, por hora de inicio."""
    trabajos = []
    for nombre in COLAS:
        cola = Queue(nombre, connection=conexion)
        for registro in (FinishedJobRegistry(queue=cola), FailedJobRegistry(queue=cola)):
            trabajos += [cola.fetch_job(i) for i in registro.get_job_ids()]
    return sorted(trabajos, key=lambda t: t.started_at)


def test_del_programa_lento_a_la_cola_y_al_worker(redis_conexion):
    # rq-demo-02.py deja exactamente diez trabajos en default...
    assert procesos.python("rq-demo-02.py").returncode == 0
    assert len(Queue("default", connection=redis_conexion)) == 10
    # ...rq-demo-03.py los cuenta...
    cuenta = procesos.python("rq-demo-03.py")
    assert cuenta.stdout == "default: 10\nlow: 0\nhigh: 0\n"
    # ...y un worker en modo burst los vacía y termina.
    worker = procesos.worker_burst(*COLAS)
    assert worker.returncode == 0, worker.stdout
    assert len(Queue("default", connection=redis_conexion)) == 0
    assert terminados() == 10
    fallidos = FailedJobRegistry(queue=Queue("default", connection=redis_conexion))
    assert fallidos.count >= 1  # Con la semilla de las pruebas, alguno falla.
    for id_ in fallidos.get_job_ids():
        trabajo = Queue("default", connection=redis_conexion).fetch_job(id_)
        assert trabajo.get_status() == JobStatus.FAILED
        assert "ValueError: la tarea de" in trabajo.latest_result().exc_string


def test_prioridad_estricta_por_orden_de_colas(redis_conexion):
    procesos.python("rq-demo-04.py")
    assert procesos.worker_burst(*COLAS).returncode == 0
    orden = [t.origin for t in trabajos_por_orden_de_inicio(redis_conexion)]
    # Todos los de high antes que cualquiera de default, y estos antes que los de low.
    assert orden == ["high", "high", "default", "default", "low", "low"]


@pytest.mark.parametrize("estrategia, esperado", [
    ("round_robin", ["high", "default", "low", "high", "default", "low"]),
    ("random", None),
])
def test_otras_estrategias_de_desencolado(redis_conexion, estrategia, esperado):
    procesos.python("rq-demo-04.py")
    worker = procesos.worker_burst(*COLAS, opciones=("--dequeue-strategy", estrategia))
    assert worker.returncode == 0, worker.stdout
    orden = [t.origin for t in trabajos_por_orden_de_inicio(redis_conexion)]
    if esperado:
        assert orden == esperado
    else:  # Al azar: no hay orden que comprobar, pero todos se hacen.
        assert sorted(orden) == sorted(["high", "default", "low"] * 2)


def test_una_estrategia_que_no_existe_se_rechaza(redis_url):
    worker = procesos.worker_burst("default", opciones=("--dequeue-strategy", "lifo"))
    assert worker.returncode == 1
    assert "Dequeue Strategy can only be one of" in worker.stdout


def test_rq_worker_lee_redis_url_del_entorno(redis_conexion, monkeypatch):
    """Sin --url ni -c, `rq worker` (como toda orden rq) usa REDIS_URL."""
    cola = Queue(connection=redis_conexion)
    trabajo = cola.enqueue("tareas.tarea_pesada_y_falible", 2, fallar=False)
    orden = [str(procesos.BIN / "rq"), "worker", "--burst"]
    assert "--url" not in orden
    worker = procesos.ejecutar(orden)
    assert worker.returncode == 0, worker.stdout
    assert trabajo.get_status() == JobStatus.FINISHED


def test_con_otro_redis_url_el_worker_no_ve_la_cola(redis_conexion):
    """El peligro de una REDIS_URL olvidada: el worker escucha otra base y no se queja."""
    cola = Queue(connection=redis_conexion)
    trabajo = cola.enqueue("tareas.tarea_pesada_y_falible", 2, fallar=False)
    otra_base = redis_conexion.connection_pool.connection_kwargs["db"] + 1
    url = procesos.entorno()["REDIS_URL"].rsplit("/", 1)[0] + f"/{otra_base}"
    worker = procesos.worker_burst(REDIS_URL=url)
    assert worker.returncode == 0 and "done, quitting" in worker.stdout
    assert trabajo.get_status() == JobStatus.QUEUED
    Redis.from_url(url).flushdb()


def test_tarea_con_fallar_true_o_false_no_depende_del_azar(redis_conexion):
    cola = Queue(connection=redis_conexion)
    siempre = [cola.enqueue("tareas.tarea_pesada_y_falible", s, fallar=True) for s in range(2, 8)]
    nunca = [cola.enqueue("tareas.tarea_pesada_y_falible", s, fallar=False) for s in range(2, 8)]
    assert procesos.worker_burst().returncode == 0
    assert {t.get_status() for t in siempre} == {JobStatus.FAILED}
    assert {t.get_status() for t in nunca} == {JobStatus.FINISHED}


def test_worker_pool_reparte_el_trabajo(redis_conexion):
    procesos.python("rq-demo-02.py")
    pool = procesos.ejecutar(procesos.orden_rq("worker-pool", "--burst", "-n", "2", "default"))
    assert pool.returncode == 0, pool.stdout
    assert terminados() == 10


def test_el_worker_necesita_poder_importar_la_tarea(redis_conexion):
    cola = Queue(connection=redis_conexion)
    # Desde examples/, sin --path, `tareas` no se puede importar: el trabajo falla.
    perdido = cola.enqueue("tareas.tarea_pesada_y_falible", 2)
    procesos.worker_burst("default", carpeta=".")
    assert perdido.get_status() == JobStatus.FAILED
    # RQ 3 no dice "ModuleNotFoundError": no encuentra el módulo y lo cuenta así.
    assert "ValueError: Invalid attribute name: tareas.tarea_pesada_y_falible" in perdido.latest_result().exc_string
    # Con --path rq, el worker lo encuentra.
    encontrado = cola.enqueue("tareas.tarea_pesada_y_falible", 2)
    procesos.worker_burst("default", opciones=("--path", "rq"), carpeta=".")
    assert encontrado.get_status() == JobStatus.FINISHED
    assert encontrado.return_value() == 2


@pytest.mark.parametrize("script", ["rq-demo-02.py", "rq-demo-03.py", "rq-demo-04.py", "medir_workers.py", "cambiar_tarea.py"])
def test_sin_redis_cada_script_da_una_linea_y_sale_con_1(script):
    resultado = procesos.python(script, REDIS_URL="redis://127.0.0.1:1/0")
    assert resultado.returncode == 1
    assert resultado.stdout.startswith("Error: no puedo conectar con Redis en redis://127.0.0.1:1/0.")
    assert resultado.stdout.count("\n") == 1
