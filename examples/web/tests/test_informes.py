"""La tarea de los informes, probada de la forma más rápida a la más real."""

import pytest
from rq import Queue, Retry
from rq.job import JobStatus

from informes import generar_informe


# [sin rq]
def test_la_tarea_sin_rq():
    # Una tarea es una función: se puede llamar sin cola, sin worker y sin Redis.
    assert generar_informe(3) == 3
    with pytest.raises(ValueError, match="fallo simulado"):
        generar_informe(2, fallar=True)
# [fin sin rq]


# [sincrona]
def test_cola_sincrona(conexion):
    # is_async=False: enqueue hace el trabajo ahí mismo, en este proceso...
    cola = Queue("informes", connection=conexion, is_async=False)
    trabajo = cola.enqueue(generar_informe, 2)
    assert trabajo.get_status() == JobStatus.FINISHED
    assert trabajo.return_value() == 2
    # ...pero con Redis: el trabajo, su progreso y su resultado se guardan allí.
    assert trabajo.meta["progreso"] == 50


def test_cola_sincrona_no_reintenta(conexion):
    cola = Queue("informes", connection=conexion, is_async=False)
    trabajo = cola.enqueue(generar_informe, 2, fallar=True, retry=Retry(max=2))
    assert trabajo.get_status() == JobStatus.FAILED
    assert trabajo.retries_left == 2  # ni un reintento
# [fin sincrona]


# [simpleworker]
def test_simpleworker(cola, trabajar):
    trabajo = cola.enqueue(generar_informe, 2)
    assert trabajo.get_status() == JobStatus.QUEUED
    trabajar()
    assert trabajo.get_status() == JobStatus.FINISHED
    assert trabajo.return_value() == 2


def test_simpleworker_reintenta(cola, trabajar, capsys):
    trabajo = cola.enqueue(generar_informe, 2, fallar=True, retry=Retry(max=2))
    trabajar()
    assert trabajo.get_status() == JobStatus.FAILED
    # Tres intentos, el primero y dos reintentos: la tarea se quejó tres veces.
    assert capsys.readouterr().out.count("¡Ay! Hoy no me sale.") == 3
# [fin simpleworker]


# [rq worker]
def test_rq_worker(cola, rq_worker):
    trabajo = cola.enqueue(generar_informe, 2)
    worker = rq_worker()
    assert worker.returncode == 0, worker.stderr
    assert trabajo.get_status() == JobStatus.FINISHED
    # Lo que imprime la tarea sale por el worker, no por la prueba.
    assert worker.stdout.count("tarea_pesada_y_falible (1) . [OK]") == 2
# [fin rq worker]
