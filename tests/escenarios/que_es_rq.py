"""Salidas del capítulo "Qué es RQ" (docs/que-es-rq.rst)."""

from tests.arnes.transcripciones import escenario


@escenario("que-es-rq/vaciar")
def vaciar(sesion):
    sesion.ejecutar("python vaciar_redis.py")
