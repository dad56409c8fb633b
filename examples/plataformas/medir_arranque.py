"""¿Cuánto le cuesta a cada clase de worker empezar un trabajo?

Uso: python medir_arranque.py [TRABAJOS]   (5 por omisión)

Para cada clase encola TRABAJOS avisos en la cola 'arranque', los hace con
`rq worker --burst` y mide el tiempo medio entre el principio de un trabajo
y el del siguiente. La tarea no hace casi nada: lo que se mide es lo que
pone el worker alrededor (crear el proceso hijo, importar, conectar).
"""

import subprocess
import sys

from rq import Queue
from rq.registry import FinishedJobRegistry

from avisos import avisar
from conexion import conectar

CLASES = ["rq.worker.Worker", "rq.worker.SpawnWorker", "rq.worker.SimpleWorker"]


def medir(cola, clase, trabajos):
    """Milisegundos por trabajo con `clase`: del inicio del primero al del último."""
    ids = [cola.enqueue(avisar, f"usuario {i}").id for i in range(trabajos)]
    subprocess.run(["rq", "worker", "--burst", "--quiet", "--worker-class", clase, cola.name], check=True)
    inicios = sorted(cola.fetch_job(i).started_at for i in ids)
    return (inicios[-1] - inicios[0]).total_seconds() * 1000 / (trabajos - 1)


def main(argumentos):
    try:
        trabajos = int(argumentos[0]) if argumentos else 5
        if trabajos < 2 or len(argumentos) > 1:
            raise ValueError
    except ValueError:
        print("Uso: python medir_arranque.py [TRABAJOS]   (un número, 2 o más)", file=sys.stderr)
        return 2
    cola = Queue("arranque", connection=conectar())
    print(f"{'Clase':<24}{'por trabajo':>12}")
    medidas = {clase: medir(cola, clase, trabajos) for clase in CLASES}
    for clase, ms in medidas.items():
        print(f"{clase:<24}{ms:>9.1f} ms")
    FinishedJobRegistry(queue=cola).cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
