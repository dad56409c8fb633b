"""¿Cuántos trabajos por segundo? Con 1, 2, 4 y 8 workers de cada clase y con rq worker-pool.

Uso: python trabajos_por_segundo.py

Para cada clase de worker y cada número de workers, arranca los workers,
espera a que estén todos ociosos, encola de golpe (enqueue_many) un lote
de trabajos vacíos y luego uno de trabajos de 50 ms, y mide desde que
empieza el primero hasta que acaba el último. Deja los datos y los
gráficos en resultados/.
"""

import contextlib
import subprocess
import sys

import psutil
from rq import Queue
from rq.job import Job

from conexion import conectar
from medicion import (ESCALA, Workers, cola_nueva, cuantos, esperar_ociosos, esperar_terminados, guardar,
                      linea_de_maquina, maquina, parar, recoger_workers)

# Bajo prueba (TAREAS_ESCALA por debajo de 1), solo 1 y 4 workers: bastan
# para ver qué cambia al añadir workers, en la mitad de tiempo.
NUMEROS = (1, 2, 4, 8) if ESCALA >= 1 else (1, 4)
POOLS = []
# Por su nombre, sin importarlas: los workers nacen de este proceso con fork()
# y, como los de `rq worker`, no deben traer el módulo de las tareas ya importado.
TAREAS = {"vacia": "tareas_medidas.vacia", "espera_50ms": "tareas_medidas.espera_50ms"}
# Trabajos por lote: que cada medida dure unos segundos con cualquier clase.
LOTE = {
    "Worker": {"vacia": 300, "espera_50ms": 40},
    "SimpleWorker": {"vacia": 2000, "espera_50ms": 40},
    "SpawnWorker": {"vacia": 30, "espera_50ms": 10},
    "worker-pool": {"vacia": 300, "espera_50ms": 40},
}


# Bajo prueba, lotes pequeños: unos pocos trabajos por worker (con
# SpawnWorker, que arranca un Python entero para cada uno, uno en total).
MINIMO = {"Worker": 2, "SimpleWorker": 5, "SpawnWorker": 0, "worker-pool": 2}


@contextlib.contextmanager
def pool(cuantos_, cola):
    """`rq worker-pool -n N`, la orden de verdad, como la teclearías en otra terminal."""
    orden = [sys.executable, "-m", "rq.cli", "worker-pool", "-n", str(cuantos_), "-q", cola.name]
    proceso = subprocess.Popen(orden, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        esperar_ociosos(cola, cuantos_)
        yield proceso
    finally:
        esperar_ociosos(cola, cuantos_)  # La señal, con todos esperando trabajo.
        parar([proceso.pid])  # Sale solo, ocioso, mientras medimos lo siguiente.
        POOLS.append(proceso)


def esperar_salida(proceso, intentos=6):
    """Espera a que salga un pool parado con `parar`, repitiendo la señal si hace falta.

    A un worker ocioso el SIGINT del pool le lanza StopRequested esté donde
    esté, y si lo pilla en mitad de una conversación con Redis puede
    perderse: el worker sigue esperando trabajo y el pool, esperándolo a él.
    La segunda señal es como un segundo Ctrl+C: parada en frío, que con el
    worker ocioso no corta nada.
    """
    for _ in range(intentos):
        try:
            return proceso.wait(timeout=10)
        except subprocess.TimeoutExpired:
            parar([proceso.pid])
    # Que no se quede nadie sacando trabajos de tu Redis: el pool y sus workers, fuera.
    hijos = []
    with contextlib.suppress(psutil.NoSuchProcess):  # Por si acaba de salir.
        hijos = psutil.Process(proceso.pid).children(recursive=True)
    for quien in [*hijos, proceso]:
        with contextlib.suppress(psutil.NoSuchProcess):
            quien.kill()
    sys.exit(f"Error: rq worker-pool (PID {proceso.pid}) no salió en {10 * intentos} s")


def medir_lote(cola, tarea, trabajos):
    """Trabajos por segundo: del inicio del primero al final del último."""
    antes = cola.finished_job_registry.count
    lote = cola.enqueue_many([Queue.prepare_data(tarea) for _ in range(trabajos)])
    ids = [trabajo.id for trabajo in lote]
    esperar_terminados(cola, antes, trabajos)
    hechos = Job.fetch_many(ids, connection=cola.connection)
    inicio = min(t.started_at for t in hechos)
    fin = max(t.ended_at for t in hechos)
    return trabajos / (fin - inicio).total_seconds()


def medir(clase, cuantos_, conexion):
    cola = cola_nueva(f"caudal-{clase}-{cuantos_}", conexion)
    arrancar = pool(cuantos_, cola) if clase == "worker-pool" else Workers(clase, cuantos_, cola)
    with arrancar:
        return {
            nombre: medir_lote(cola, tarea, cuantos(LOTE[clase][nombre] * cuantos_, minimo=MINIMO[clase] * cuantos_))
            for nombre, tarea in TAREAS.items()
        }


def main():
    conexion = conectar()
    datos = {"maquina": maquina(conexion), "numeros": NUMEROS, "clases": {}}
    for clase in LOTE:
        datos["clases"][clase] = {str(n): medir(clase, n, conexion) for n in NUMEROS}
    for proceso in POOLS:
        esperar_salida(proceso)
    recoger_workers()
    imprimir(datos)
    guardar("trabajos_por_segundo", datos)


def imprimir(datos):
    print(linea_de_maquina(datos))
    for nombre, titulo in (("vacia", "tarea vacía"), ("espera_50ms", "tarea de 50 ms")):
        print(f"Trabajos por segundo, {titulo}:")
        print(f"{'workers':<13}" + "".join(f"{n:>10}" for n in datos["numeros"]))
        for clase, medidas in datos["clases"].items():
            print(f"{clase:<13}" + "".join(f"{medidas[str(n)][nombre]:>10.0f}" for n in datos["numeros"]))


if __name__ == "__main__":
    main()
