"""¿Cuánto se gana con más workers? Mide los diez trabajos de rq-demo-02.py con 1, 2 y 4.

Uso: python medir_workers.py

Para cada número de workers, arranca esos `rq worker` en la cola 'medida',
les encola las mismas diez llamadas que rq-demo-02.py y mide desde que
empieza el primer trabajo hasta que acaba el último. Al terminar, para los
workers y borra los trabajos. A velocidad real tarda cerca de un minuto.
"""

import subprocess
import sys
import time

from rq import Queue, Worker
from rq.job import Job, JobStatus

from conexion import conectar
from tareas import duraciones_al_azar, tarea_pesada_y_falible

COLA = "medida"
WORKERS = (1, 2, 4)
ACABADOS = (JobStatus.FINISHED, JobStatus.FAILED)


def esperar(condicion, limite=300):
    fin = time.monotonic() + limite
    while not condicion():
        if time.monotonic() > fin:
            sys.exit(f"Error: pasaron {limite} s y los workers no terminaban")
        time.sleep(0.05)


def arrancar_workers(cuantos):
    # Los mismos `rq worker` que arrancarías en otras terminales.
    orden = [sys.executable, "-m", "rq.cli", "worker", COLA]
    return [
        subprocess.Popen(orden, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(cuantos)
    ]


def medir(cola, cuantos):
    """Segundos desde que empieza el primer trabajo hasta que acaba el último."""
    workers = arrancar_workers(cuantos)
    try:
        # Que todos esperen ya trabajo antes de encolar: ninguno sale con ventaja.
        esperar(lambda: sum(w.get_state() == "idle" for w in Worker.all(queue=cola)) >= cuantos)
        ids = [cola.enqueue(tarea_pesada_y_falible, s).id for s in duraciones_al_azar(10)]
        esperar(lambda: all(
            t.get_status() in ACABADOS for t in Job.fetch_many(ids, connection=cola.connection)
        ))
    finally:
        for worker in workers:
            worker.terminate()  # SIGTERM: un worker ocioso sale al momento.
        for worker in workers:
            worker.wait()
    trabajos = Job.fetch_many(ids, connection=cola.connection)
    inicio = min(t.started_at for t in trabajos)
    fin = max(t.ended_at for t in trabajos)
    for trabajo in trabajos:
        trabajo.delete()
    return (fin - inicio).total_seconds()


def main():
    cola = Queue(COLA, connection=conectar())
    tiempos = {cuantos: medir(cola, cuantos) for cuantos in WORKERS}
    cola.delete()
    print(f"{'workers':>7}  {'tiempo total':>12}  {'aceleración':>11}")
    for cuantos, tiempo in tiempos.items():
        print(f"{cuantos:>7}  {tiempo:>10.1f} s  {tiempos[1] / tiempo:>10.1f}×")


if __name__ == "__main__":
    main()
