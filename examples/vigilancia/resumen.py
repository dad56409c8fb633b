"""El estado de RQ en pocas líneas: una por cola, una por límite de concurrencia y una por worker.

Uso: python resumen.py [COLA...]   (todas las colas si no dices cuáles)

Pensado para mirarlo en la terminal, dejarlo en un cron o usarlo como base
de una comprobación de salud. Como `rq info`, limpia los registros al
contarlos: da las mismas cifras que él.
"""

import sys
from datetime import datetime, timezone

from rq import Queue, Worker
from rq.rate_limit import RateLimitRegistry

from conexion import conectar

USO = "Uso: python resumen.py [COLA...]"


def espera(cola):
    """Segundos que lleva en la cola su primer trabajo, el siguiente en salir (0 si está vacía)."""
    ids = cola.get_job_ids(0, 1)
    trabajo = cola.fetch_job(ids[0]) if ids else None
    if trabajo is None or trabajo.enqueued_at is None:
        return 0.0
    return (datetime.now(timezone.utc) - trabajo.enqueued_at).total_seconds()


def plural(cuantos, palabra):
    return f"{cuantos} {palabra}{'' if cuantos == 1 else 's'}"


def linea_de_cola(cola):
    en_espera = len(cola)
    detalle = f" (el primero desde hace {espera(cola):.0f} segundos)" if en_espera else ""
    workers = Worker.all(queue=cola)
    return (
        f"{cola.name}: {en_espera} en espera{detalle}, "
        f"{len(cola.started_job_registry)} en curso, "
        f"{len(cola.finished_job_registry)} terminados, "
        f"{len(cola.failed_job_registry)} fallidos; {plural(len(workers), 'worker')}"
    )


def linea_de_limite(limite):
    return (
        f"límite {limite.key}: {limite.get_allowed_job_count()} de {limite.concurrency} plazas ocupadas, "
        f"{limite.get_rate_limited_job_count()} esperando turno"
    )


def linea_de_worker(worker):
    trabajo = worker.get_current_job()
    ahora = f"; ahora, {trabajo.description}" if trabajo else ""
    return (
        f"worker {worker.name}: {worker.get_state()} en {', '.join(worker.queue_names())}; "
        f"{worker.successful_job_count} bien, {worker.failed_job_count} mal, "
        f"{worker.total_working_time:.1f} segundos trabajando{ahora}"
    )


def main(argumentos):
    if any(a.startswith("-") for a in argumentos):
        print(USO, file=sys.stderr)
        return 2
    conexion = conectar()
    if argumentos:
        colas = [Queue(nombre, connection=conexion) for nombre in argumentos]
    else:
        # Queue.all no garantiza ningún orden: las ordenamos por nombre.
        colas = sorted(Queue.all(connection=conexion), key=lambda cola: cola.name)
    for cola in colas:
        print(linea_de_cola(cola))
    for limite in sorted(RateLimitRegistry.all(conexion), key=lambda limite: limite.key):
        print(linea_de_limite(limite))
    for worker in sorted(Worker.all(connection=conexion), key=lambda worker: worker.name):
        print(linea_de_worker(worker))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
