"""Métricas de RQ para Prometheus sin Django: un colector propio sobre prometheus_client.

Uso: python metricas.py [PUERTO]   (9726 si no dices otro)

Sirve las métricas en http://127.0.0.1:PUERTO/metrics. Cada vez que
Prometheus pregunta, el colector lee de Redis las colas, sus registros, los
límites de concurrencia y los workers. Solo mira: no limpia ningún registro
(de eso se encargan los workers). Se para con Ctrl+C.
"""

import sys
import threading

from prometheus_client import CollectorRegistry, start_http_server
from prometheus_client.core import GaugeMetricFamily
from rq import Queue, Worker
from rq.rate_limit import RateLimitRegistry

from conexion import conectar
from resumen import espera

USO = "Uso: python metricas.py [PUERTO]"
PUERTO = 9726


def registros(cola):
    """Los registros de una cola, por el estado de sus trabajos."""
    return {
        "started": cola.started_job_registry,
        "finished": cola.finished_job_registry,
        "failed": cola.failed_job_registry,
        "deferred": cola.deferred_job_registry,
        "scheduled": cola.scheduled_job_registry,
        "canceled": cola.canceled_job_registry,
    }


class ColectorRQ:
    """Un colector de prometheus_client: collect() devuelve las métricas del momento."""

    def __init__(self, conexion):
        self.conexion = conexion

    def collect(self):
        # rq_jobs, con los mismos nombres y etiquetas que la vista de django-rq:
        # la regla de alerta de los fallidos sirve para los dos.
        trabajos = GaugeMetricFamily("rq_jobs", "Trabajos de RQ por cola y estado", labels=["queue", "status"])
        workers = GaugeMetricFamily("rq_queue_workers", "Workers vivos que escuchan la cola", labels=["queue"])
        esperando = GaugeMetricFamily(
            "rq_queue_wait_seconds", "Segundos que lleva esperando el primer trabajo de la cola", labels=["queue"]
        )
        limitados = GaugeMetricFamily(
            "rq_rate_limited_jobs", "Trabajos que esperan turno por un límite de concurrencia", labels=["key"]
        )
        # Queue.all y RateLimitRegistry.all no garantizan ningún orden: por nombre.
        for cola in sorted(Queue.all(connection=self.conexion), key=lambda cola: cola.name):
            trabajos.add_metric([cola.name, "queued"], cola.count)
            for estado, registro in registros(cola).items():
                # cleanup=False: contar sin mover nada.
                trabajos.add_metric([cola.name, estado], registro.get_job_count(cleanup=False))
            workers.add_metric([cola.name], len(Worker.all(queue=cola)))
            esperando.add_metric([cola.name], espera(cola))
        for limite in sorted(RateLimitRegistry.all(self.conexion), key=lambda limite: limite.key):
            limitados.add_metric([limite.key], limite.get_rate_limited_job_count())
        yield from (trabajos, workers, esperando, limitados)


def servir(conexion, puerto):
    registro = CollectorRegistry()
    registro.register(ColectorRQ(conexion))
    try:
        servidor, _ = start_http_server(puerto, addr="127.0.0.1", registry=registro)
    except OSError as error:
        sys.exit(f"Error: no puedo escuchar en el puerto {puerto}: {error.strerror}.")
    print(f"Métricas de RQ en http://127.0.0.1:{puerto}/metrics (Ctrl+C para parar)")
    try:
        threading.Event().wait()  # El servidor atiende en su hilo; aquí solo esperamos.
    except KeyboardInterrupt:
        servidor.shutdown()


def main(argumentos):
    if len(argumentos) > 1 or (argumentos and not argumentos[0].isdigit()):
        print(USO, file=sys.stderr)
        return 2
    servir(conectar(), int(argumentos[0]) if argumentos else PUERTO)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
