"""Escenarios del capítulo "Programar trabajos" (docs/programar.rst).

Todo se ejecuta desde examples/programar, como el lector, con
PYTHONPATH=../rq para la tarea y la conexión. ``rq cron`` se ejecuta de
verdad, unos segundos, en otra terminal, y un worker hace lo que encola.
"""

import os

from tests.arnes.transcripciones import escenario
from tests.arnes.vigia import vigilar_trabajos

CARPETA = "programar"
ENTORNO = {"PYTHONPATH": "../rq"}


def url():
    return os.environ["REDIS_URL"]


@escenario("programar/vaciar")
def vaciar(sesion):
    sesion.ejecutar("python ../rq/vaciar_redis.py")


@escenario("programar/sin-planificador")
def sin_planificador(sesion):
    with vigilar_trabajos(url()):
        sesion.ejecutar("python programar.py")
        sesion.ejecutar("sleep 1")
        sesion.ejecutar("rq worker --burst")
        sesion.ejecutar("python ../rq/fallos_informe.py")


@escenario("programar/planificador")
def planificador(sesion):
    with vigilar_trabajos(url()):
        sesion.ejecutar("rq worker --burst --with-scheduler")
        sesion.ejecutar("python ../rq/fallos_informe.py")


@escenario("programar/cron")
def cron(sesion):
    """rq cron en la segunda terminal; un worker en la primera; Ctrl+C a rq cron."""
    with vigilar_trabajos(url()):
        orden = "rq cron periodicos.py"
        with sesion.en_otra_terminal(orden) as cron:
            cron.esperar_texto("Enqueued job tarea_pesada_y_falible to queue default")
            worker = sesion.ejecutar("rq worker --burst", anotar=False)
            assert cron.ctrl_c() == 0
        # Con el "^C" que escribe la terminal al pulsar Ctrl+C, como la ve el lector.
        sesion.anotar(f"$ {orden}", cron.en_pantalla())
        sesion.anotar("$ rq worker --burst", worker.stdout)
