"""Salidas del capítulo "Colas y workers" (docs/workers.rst), en el orden del capítulo.

Todo se ejecuta desde examples/rq, como el lector. Lo que el texto pide
hacer en otra terminal (un worker que se queda escuchando) va en
``sesion.en_otra_terminal``.
"""

import re

from redis import Redis
from rq import Queue

from tests.arnes import procesos
from tests.arnes.procesos import esperar
from tests.arnes.transcripciones import escenario, tiempo_real

INICIO_TRABAJO = re.compile(r": (high|default|low): tareas\.")
FIN_DEL_WORKER = re.compile(r"shut down requested|unsubscribing|done, quitting")
TABLA = re.compile(r"^\s+(\d)\s+(\d+\.\d) s", re.M)


def terminados(cola="default"):
    """Cuántos trabajos de la cola han acabado, bien o mal."""
    q = Queue(cola, connection=Redis.from_url(procesos.entorno()["REDIS_URL"]))
    return q.finished_job_registry.count + q.failed_job_registry.count


def recortar_log(texto, trabajos=3):
    """Deja la cabecera, los primeros `trabajos` trabajos, "[...]" y el final del log."""
    lineas = texto.splitlines()
    inicios = [i for i, linea in enumerate(lineas) if INICIO_TRABAJO.search(linea)]
    if len(inicios) <= trabajos:
        return texto
    cabeza = lineas[: inicios[trabajos]]
    cola = [linea for linea in lineas[inicios[-1]:] if FIN_DEL_WORKER.search(linea)]
    return "\n".join([*cabeza, "[...]", *cola]) + "\n"


@escenario("workers/vaciar")
def vaciar(s):
    s.ejecutar("python vaciar_redis.py")


@escenario("workers/demo-01")
def demo_01(s):
    s.ejecutar("python rq-demo-01.py")


@escenario("workers/demo-02")
def demo_02(s):
    s.ejecutar("python rq-demo-02.py")


@escenario("workers/demo-03")
def demo_03(s):
    s.ejecutar("python rq-demo-03.py")


@escenario("workers/worker")
def worker(s):
    """El worker de la segunda terminal hace los diez trabajos; luego, Ctrl+C."""
    orden = "rq worker high default low"
    with s.en_otra_terminal(orden) as w:
        esperar(lambda: terminados() == 10, limite=120, que="que acabaran los diez trabajos")
        w.ctrl_c()
    s.anotar(f"$ {orden}", recortar_log(w.texto()))


@escenario("workers/cambios")
def cambios(s):
    """cambiar_tarea.py con un worker normal y con un SimpleWorker en la otra terminal."""
    for orden in ("rq worker cambios", "rq worker --worker-class rq.worker.SimpleWorker cambios"):
        with s.en_otra_terminal(orden) as w:
            w.esperar_texto("Listening on")
            s.ejecutar("python cambiar_tarea.py")
            w.ctrl_c()


@escenario("workers/prioridad")
def prioridad(s):
    s.ejecutar("python rq-demo-04.py")
    s.ejecutar("rq worker --burst high default low")


@escenario("workers/round-robin")
def round_robin(s):
    s.ejecutar("python rq-demo-04.py")
    s.ejecutar(
        "rq worker --burst --dequeue-strategy round_robin high default low 2>&1"
        " | grep -E ': (high|default|low): tareas'"
    )


@escenario("workers/tabla")
def tabla(s):
    """La tabla de medir_workers.py; bajo prueba, con la tarea a 0.05.

    A 0.01, el fork de cada trabajo pesaría más que la propia tarea, y la
    aceleración no significaría nada. Comprobamos solo lo robusto: con más
    workers se tarda menos (lo ideal sería 1/2 y 1/4).
    """
    escala = {} if tiempo_real() else {"TAREAS_ESCALA": "0.05"}
    resultado = s.ejecutar("python medir_workers.py", timeout=300, **escala)
    tiempos = {int(n): float(t) for n, t in TABLA.findall(resultado.stdout)}
    assert tiempos[2] < 0.8 * tiempos[1], resultado.stdout
    assert tiempos[4] < 0.65 * tiempos[1], resultado.stdout
