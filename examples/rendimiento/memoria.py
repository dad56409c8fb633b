"""¿Crece el worker? Una tarea que pierde 1 MB por trabajo, con Worker, SimpleWorker y --max-jobs.

Uso: python memoria.py

Para cada forma de arrancar el worker, le da trabajos de pierde_memoria()
de uno en uno y apunta, tras cada uno, la memoria residente (RSS) del
proceso que ejecutó la tarea y la del worker. En la última forma, este
programa hace de gestor de procesos: cuando el worker sale tras
--max-jobs trabajos, arranca otro, como harían supervisor o systemd.
Deja los datos y los gráficos en resultados/.
"""

import subprocess
import sys

import psutil

from conexion import conectar
from medicion import (cola_nueva, cuantos, despedir, esperar, esperar_ociosos, guardar, linea_de_maquina,
                      maquina, resultado)
from tareas_medidas import pierde_memoria

TRABAJOS = cuantos(100, minimo=6)
MAX_JOBS = cuantos(25, minimo=3)
FORMAS = {
    "Worker": ["worker"],
    "SimpleWorker": ["worker", "-w", "rq.worker.SimpleWorker"],
    "SimpleWorker + max-jobs": ["worker", "-w", "rq.worker.SimpleWorker", "--max-jobs", str(MAX_JOBS)],
}


def megas(octetos):
    return octetos / 2**20


def arrancar(argumentos, cola):
    orden = [sys.executable, "-m", "rq.cli", *argumentos, cola.name]
    worker = subprocess.Popen(orden, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    esperar_ociosos(cola, 1)
    return worker


def medir(argumentos, conexion):
    cola = cola_nueva("memoria", conexion)
    worker = arrancar(argumentos, cola)
    tarea, del_worker, reinicios, hechos = [], [], 0, 0
    try:
        for _ in range(TRABAJOS):
            if "--max-jobs" in argumentos and hechos == MAX_JOBS:
                # Ha hecho sus trabajos y sale: el gestor de procesos arranca otro.
                worker.wait(timeout=60)
                worker = arrancar(argumentos, cola)
                reinicios, hechos = reinicios + 1, 0
            trabajo = cola.enqueue(pierde_memoria, 1024)
            tarea.append(megas(resultado(trabajo).return_value))
            hechos += 1
            if "--max-jobs" in argumentos and hechos == MAX_JOBS:
                del_worker.append(None)  # Sale tras este trabajo: no queda worker que medir.
                continue
            # La memoria del worker, cuando ha vuelto a esperar trabajo.
            esperar(lambda: worker_ocioso(cola), limite=60)
            del_worker.append(megas(psutil.Process(worker.pid).memory_info().rss))
    finally:
        if "--max-jobs" in argumentos and hechos == MAX_JOBS:
            worker.wait(timeout=60)  # Sale solo tras su último trabajo.
        else:
            despedir([worker], cola)
    return {"tarea": tarea, "worker": del_worker, "reinicios": reinicios}


def worker_ocioso(cola):
    from rq import Worker

    return any(w.get_state() == "idle" for w in Worker.all(queue=cola))


def main():
    conexion = conectar()
    datos = {"maquina": maquina(conexion), "trabajos": TRABAJOS, "formas": {}}
    for nombre, argumentos in FORMAS.items():
        datos["formas"][nombre] = medir(argumentos, conexion)
    imprimir(datos)
    guardar("memoria", datos)


def imprimir(datos):
    print(linea_de_maquina(datos))
    print(f"{datos['trabajos']} trabajos de pierde_memoria(1024), de uno en uno.")
    print("RSS tras el primer trabajo, el de la mitad y el último:")
    print(f"{'':<26}{'el proceso de la tarea':>27}{'el worker':>27}")
    for nombre, medida in datos["formas"].items():
        fila = f"{nombre:<26}"
        for serie in (medida["tarea"], medida["worker"]):
            for valor in (serie[0], serie[len(serie) // 2], serie[-1]):
                fila += f"{'-' if valor is None else f'{valor:.0f} MB':>9}"
        print(fila)
    for nombre, medida in datos["formas"].items():
        if medida["reinicios"]:
            print(f"Con --max-jobs {MAX_JOBS}, el gestor arrancó un worker nuevo {medida['reinicios']} veces.")


if __name__ == "__main__":
    main()
