"""Salidas del capítulo "RQ frente a Celery, Dramatiq y Huey, medidos" (docs/comparativa.rst).

Desde examples/rendimiento, con PYTHONPATH=../rq, como el capítulo de
rendimiento. Sus datos y gráficos van a docs/salidas/comparativa/.
"""

from tests.arnes.transcripciones import escenario
from tests.escenarios.rendimiento import mediana, medir

CARPETA = "rendimiento"
ENTORNO = {"PYTHONPATH": "../rq"}


@escenario("comparativa/vaciar")
def vaciar(s):
    s.ejecutar("python ../rq/vaciar_redis.py")


@escenario("comparativa/medida")
def medida(s):
    sistemas = medir(s, "comparativa", capitulo="comparativa")["sistemas"]
    # Todos hacen todas las tareas (si no, comparativa.py no habría
    # terminado). Y lo que dice el texto, que es lo robusto: con la tarea
    # vacía, RQ (un proceso hijo por trabajo) hace menos que los demás y
    # tarda más en empezar; con la de 50 ms, Dramatiq (ocho hilos por
    # proceso) hace más que los demás.
    assert set(sistemas) == {"RQ", "Celery", "Dramatiq", "Huey"}
    otros = [s for s in sistemas if s != "RQ"]
    assert all(sistemas["RQ"]["vacias"] < sistemas[s]["vacias"] for s in otros), sistemas
    latencia = {s: mediana(m["latencias"]) for s, m in sistemas.items()}
    assert all(latencia["RQ"] > latencia[s] for s in otros), latencia
    assert all(sistemas["Dramatiq"]["de_50ms"] > sistemas[s]["de_50ms"] for s in sistemas if s != "Dramatiq"), sistemas
