"""Salidas del capítulo de workers: las demos, los logs del worker y la tabla de tiempos."""

import contextlib
import os
import re
import signal

from redis import Redis
from rq import Queue, Worker
from rq.registry import FailedJobRegistry, FinishedJobRegistry

from tests.arnes import procesos
from tests.arnes.procesos import esperar
from tests.arnes.transcripciones import escenario

INICIO_TRABAJO = re.compile(r": (high|default|low): tareas\.")
FIN_DEL_WORKER = re.compile(r"shut down requested|unsubscribing|done, quitting")


def conexion():
    return Redis.from_url(os.environ["REDIS_URL"])


def terminados(cola="default"):
    """Cuántos trabajos de la cola han acabado, bien o mal."""
    q = Queue(cola, connection=conexion())
    return FinishedJobRegistry(queue=q).count + FailedJobRegistry(queue=q).count


def recortar_registro(texto, trabajos=3):
    """Deja la cabecera, los primeros `trabajos` trabajos, "[...]" y el final del log."""
    lineas = texto.splitlines()
    inicios = [i for i, linea in enumerate(lineas) if INICIO_TRABAJO.search(linea)]
    if len(inicios) <= trabajos:
        return texto
    cabeza = lineas[: inicios[trabajos]]
    cola = [linea for linea in lineas[inicios[-1]:] if FIN_DEL_WORKER.search(linea)]
    return "\n".join([*cabeza, "[...]", *cola]) + "\n"


@contextlib.contextmanager
def workers_en_marcha(cuantos, *colas):
    """Arranca `cuantos` workers normales y espera a que estén escuchando."""
    with contextlib.ExitStack() as pila:
        procesos_w = [
            pila.enter_context(procesos.en_marcha(procesos.orden_worker(*colas)))
            for _ in range(cuantos)
        ]
        # Registrado no basta: esperamos a que todos estén ya esperando trabajo
        # (idle), para que ninguno empiece con ventaja.
        esperar(lambda: _ociosos() >= cuantos, que=f"que {cuantos} workers esperaran trabajo")
        yield procesos_w


def _ociosos():
    return sum(w.get_state() == "idle" for w in Worker.all(connection=conexion()))


def tiempo_total(cola="default"):
    """De que empieza el primer trabajo a que acaba el último, en segundos."""
    q = Queue(cola, connection=conexion())
    ids = FinishedJobRegistry(queue=q).get_job_ids() + FailedJobRegistry(queue=q).get_job_ids()
    trabajos = [q.fetch_job(i) for i in ids]
    inicio = min(t.started_at for t in trabajos)
    fin = max(t.ended_at for t in trabajos)
    return (fin - inicio).total_seconds()


def medir_con_workers(cuantos, **entorno):
    """Encola las diez llamadas de rq-demo-02.py y mide cuánto tardan `cuantos` workers."""
    conexion().flushdb()
    with workers_en_marcha(cuantos, "default"):
        procesos.python("rq-demo-02.py", **entorno)
        esperar(lambda: terminados() == 10, limite=120, que="que acabaran los diez trabajos")
    return tiempo_total()


@escenario("workers/demo-01")
def demo_01(s):
    s.ejecutar("python rq-demo-01.py")


@escenario("workers/demo-02")
def demo_02(s):
    s.ejecutar("python rq-demo-02.py")


@escenario("workers/demo-03")
def demo_03(s):
    s.ejecutar("python rq-demo-02.py", anotar=False)
    s.ejecutar("python rq-demo-03.py")


@escenario("workers/sin-redis")
def sin_redis(s):
    # 6390: un puerto donde no hay Redis (la prueba comprueba que está libre).
    import sys

    s.ejecutar(
        "REDIS_URL=redis://localhost:6390/0 python rq-demo-03.py",
        real=[sys.executable, "rq-demo-03.py"],
        REDIS_URL="redis://localhost:6390/0",
        codigo=1,
    )


@escenario("workers/worker")
def worker(s):
    """Un worker normal con los diez trabajos; lo paramos con Ctrl+C al acabar."""
    s.ejecutar("python rq-demo-02.py", anotar=False)
    with procesos.en_marcha(procesos.orden_worker("high", "default", "low")) as w:
        esperar(lambda: terminados() == 10, limite=120, que="que acabaran los diez trabajos")
        w.send_signal(signal.SIGINT)  # Lo mismo que Ctrl+C en la terminal.
        w.wait(timeout=10)
        s.anotar("$ rq worker high default low", recortar_registro(w.stdout.read()))


@escenario("workers/prioridad")
def prioridad(s):
    s.ejecutar("python rq-demo-04.py")
    s.ejecutar("rq worker --burst high default low")


@escenario("workers/round-robin")
def round_robin(s):
    s.ejecutar("python rq-demo-04.py")
    s.ejecutar(
        "rq worker --burst --dequeue-strategy round_robin high default low"
        " | grep -E ': (high|default|low): tareas'"
    )


@escenario("workers/desde-main")
def desde_main(s):
    s.ejecutar("python desde_main.py")


@escenario("workers/tabla")
def tabla(s):
    """Tiempo total de los diez trabajos con 1, 2 y 4 workers."""
    tiempos = {n: medir_con_workers(n) for n in (1, 2, 4)}
    filas = [f"{'workers':>7}  {'tiempo total':>12}  {'aceleración':>11}"]
    for n, t in tiempos.items():
        filas.append(f"{n:>7}  {t:>10.1f} s  {tiempos[1] / t:>10.1f}×")
    s.anotar("\n".join(filas))
