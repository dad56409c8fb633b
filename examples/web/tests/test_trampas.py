"""Trampas al probar código que encola. Cada una es una prueba marcada xfail:
dice lo que uno esperaría y falla, como debe. `pytest --runxfail` enseña cómo."""

from unittest.mock import Mock

import fakeredis
import pytest
from redis.exceptions import ResponseError
from rq import Queue, RateLimit, SimpleWorker, Worker
from rq.job import JobStatus

from informes import generar_informe


# [mock]
@pytest.mark.xfail(
    strict=True, raises=AssertionError, reason="el mock apunta las llamadas en el proceso hijo"
)
def test_un_mock_y_un_worker_con_fork(cola, monkeypatch):
    falsa = Mock()
    monkeypatch.setattr("informes.tarea_pesada_y_falible", falsa)
    trabajo = cola.enqueue(generar_informe, 2)
    Worker([cola], connection=cola.connection).work(burst=True)
    assert trabajo.get_status() == JobStatus.FINISHED  # el trabajo se hizo...
    llamadas = falsa.call_count
    assert llamadas == 2  # ...con sus dos tramos, pero este mock no vio ninguno
# [fin mock]


# [fakeredis]
@pytest.fixture
def cola_falsa():
    """Una cola sobre fakeredis: un "Redis" en la memoria de este proceso."""
    return Queue("informes", connection=fakeredis.FakeRedis())


def test_fakeredis_con_simpleworker(cola_falsa):
    trabajo = cola_falsa.enqueue(generar_informe, 2)
    SimpleWorker([cola_falsa], connection=cola_falsa.connection).work(burst=True)
    assert trabajo.return_value() == 2


@pytest.mark.xfail(strict=True, raises=ResponseError, reason="fakeredis no ejecuta Lua")
def test_fakeredis_y_ratelimit(cola_falsa):
    cola_falsa.enqueue(generar_informe, 2, rate_limit=RateLimit("informes", 2))


@pytest.mark.xfail(strict=True, raises=AssertionError, reason="el hijo usa su copia de fakeredis")
def test_fakeredis_y_un_worker_con_fork(cola_falsa):
    trabajo = cola_falsa.enqueue(generar_informe, 2)
    Worker([cola_falsa], connection=cola_falsa.connection).work(burst=True)
    estado = trabajo.get_status().value
    assert estado == "finished"
# [fin fakeredis]
