"""Lo que el glosario afirma sobre RQ y no se enseña en ningún otro capítulo."""

import time

from rq import Queue, Worker
from rq.job import JobStatus

from tests.arnes import procesos
from tests.arnes.procesos import esperar, worker_vivo


def _ficha_del_worker(conexion):
    esperar(lambda: Worker.all(connection=conexion), que="que el worker se registrara")
    [worker] = Worker.all(connection=conexion)
    return worker


def test_la_ficha_de_un_worker_ocioso_caduca_worker_ttl_mas_60(redis_conexion):
    with worker_vivo("--worker-ttl", "30") as vivo:
        vivo.esperar_texto("Listening on")
        ficha = _ficha_del_worker(redis_conexion)
        assert 80 < redis_conexion.ttl(ficha.key) <= 90


def test_la_ficha_de_un_worker_ocupado_caduca_job_monitoring_interval_mas_60(redis_conexion):
    cola = Queue(connection=redis_conexion)
    with worker_vivo("--worker-ttl", "300", "--job-monitoring-interval", "5") as vivo:
        trabajo = cola.enqueue("tareas.tarea_pesada_y_falible", 200, fallar=False)
        vivo.esperar_texto("tarea_pesada_y_falible (200)")
        ficha = _ficha_del_worker(redis_conexion)
        esperar(lambda: redis_conexion.ttl(ficha.key) <= 65, que="el latido del worker ocupado")
        assert redis_conexion.ttl(ficha.key) > 55
        assert trabajo.get_status() == JobStatus.STARTED


def test_leer_un_registro_lo_limpia(redis_conexion):
    cola = Queue(connection=redis_conexion)
    trabajo = cola.enqueue("tareas.tarea_pesada_y_falible", 2, fallar=False, result_ttl=1)
    assert procesos.worker_burst().returncode == 0
    registro = cola.finished_job_registry
    clave = registro.key
    # La entrada caduca con el resultado; sin que nadie lea, sigue ahí.
    time.sleep(1.2)
    assert redis_conexion.zcard(clave) == 1
    assert registro.get_job_ids(cleanup=False) == [trabajo.id]
    # Con sus métodos normales, leer ya limpia.
    assert len(registro) == 0
    assert redis_conexion.zcard(clave) == 0


def test_rq_info_tambien_limpia_los_registros_que_cuenta(redis_conexion):
    cola = Queue(connection=redis_conexion)
    cola.enqueue("tareas.tarea_pesada_y_falible", 2, fallar=False, result_ttl=1)
    assert procesos.worker_burst().returncode == 0
    time.sleep(1.2)
    assert redis_conexion.zcard(cola.finished_job_registry.key) == 1
    assert procesos.ejecutar("rq info").returncode == 0
    assert redis_conexion.zcard(cola.finished_job_registry.key) == 0


def test_el_registro_de_listos_se_vacia_solo_al_encolar_los_dependientes(redis_conexion):
    cola = Queue(connection=redis_conexion)
    primero = cola.enqueue("tareas.tarea_pesada_y_falible", 2, fallar=False)
    segundo = cola.enqueue("tareas.tarea_pesada_y_falible", 3, fallar=False, depends_on=primero)
    assert segundo.get_status() == JobStatus.DEFERRED
    assert procesos.worker_burst().returncode == 0
    assert segundo.get_status() == JobStatus.FINISHED
    assert redis_conexion.zcard(f"rq:ready:{cola.name}") == 0
