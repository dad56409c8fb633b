"""RQ, Celery, Dramatiq y Huey sobre el mismo Redis, con las mismas tareas y los mismos procesos.

Uso: python comparativa.py

Para cada sistema: encola un lote de tareas vacías con el worker parado,
arranca su worker con PROCESOS procesos y mide cuántas hace por segundo;
luego mide, de una en una, la latencia desde encolar hasta que la tarea
empieza; y por último, con el worker en marcha, los trabajos por segundo
de un lote de tareas de 50 ms. Cada sistema, con su configuración por
omisión salvo el número de procesos. Deja los datos y los gráficos en
resultados/.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time

from rq import Queue
from rq.job import Job
from rq.results import Result

import comparables
from conexion import conectar
from medicion import cuantos, esperar, guardar, linea_de_maquina, maquina, mediana, ms, p95

# Cada worker tal como lo arrancarías en otra terminal: solo cambia el número de procesos.
PROCESOS = 4
ORDENES = {
    "RQ": f"rq worker-pool -n {PROCESOS} comparativa",
    "Celery": f"celery -A tareas_celery worker --concurrency {PROCESOS}",
    "Dramatiq": f"dramatiq tareas_dramatiq --processes {PROCESOS}",
    "Huey": f"huey_consumer tareas_huey.huey --workers {PROCESOS} --worker-type process",
}
VACIAS = cuantos(3000, minimo=20)
DE_50MS = cuantos(600, minimo=12)
SONDAS = cuantos(100, minimo=10)
# Lo que cada sistema deja en Redis (el libro guarda lo suyo bajo guia:).
CLAVES = ["guia:comparativa:*", "celery", "_kombu.*", "unacked*", "dramatiq:*", "huey.*"]


def encolador(sistema):
    """Una función encolar(tarea, hora) con la forma de encolar de cada sistema."""
    if sistema == "RQ":
        cola = Queue("comparativa", connection=conectar())
        return lambda tarea, hora: cola.enqueue(getattr(comparables, tarea), hora)
    if sistema == "Celery":
        import tareas_celery
        return lambda tarea, hora: getattr(tareas_celery, tarea).delay(hora)
    if sistema == "Dramatiq":
        import tareas_dramatiq
        return lambda tarea, hora: getattr(tareas_dramatiq, tarea).send(hora)
    import tareas_huey
    return lambda tarea, hora: getattr(tareas_huey, tarea)(hora)


def limpiar(conexion):
    """Borra lo que deja cada sistema en Redis: antes y después de medirlo.

    De RQ, la cola "comparativa" con los trabajos que aún esperen en ella
    (si la medida se cortó a medias): el worker de la medida siguiente los
    haría, y su hora de encolado estropearía las latencias. Los trabajos ya
    hechos se quedan, como siempre en RQ, hasta que caduquen.
    """
    Queue("comparativa", connection=conexion).delete()  # La cola y sus trabajos pendientes.
    for patron in CLAVES:
        for clave in conexion.scan_iter(match=patron, count=1000):
            conexion.delete(clave)


def empezar_limpio(conexion):
    """Antes de medir: lo de limpiar() y, de una ejecución anterior, los registros de RQ y sus trabajos."""
    cola = Queue("comparativa", connection=conexion)
    registros = [cola.started_job_registry, cola.finished_job_registry, cola.failed_job_registry,
                 cola.canceled_job_registry]
    with conexion.pipeline() as pipeline:
        for registro in registros:
            for id_ in registro.get_job_ids(cleanup=False):
                pipeline.delete(Job.key_for(id_), Result.get_key(id_))
            pipeline.delete(registro.key)
        pipeline.execute()
    limpiar(conexion)


def recoger(conexion, cuantos_, worker):
    """Espera a que se apunten `cuantos_` tareas y devuelve (encolada, terminada) de cada una."""
    def listas():
        if worker.poll() is not None:
            sys.exit(f"Error: el worker salió con {worker.returncode}: {ultima_linea(worker.args[-1])}")
        return conexion.llen(comparables.HECHOS) >= cuantos_
    esperar(listas)
    apuntes = conexion.lrange(comparables.HECHOS, 0, -1)
    conexion.delete(comparables.HECHOS)
    return [tuple(map(float, apunte.split())) for apunte in apuntes]


def ultima_linea(ruta):
    """Lo último que escribió el worker: su salida se borra con la carpeta temporal."""
    with open(ruta, encoding="utf-8", errors="replace") as salida:
        lineas = [linea.strip() for linea in salida if linea.strip()]
    return lineas[-1] if lineas else "no escribió nada"


def por_segundo(apuntes):
    """Trabajos por segundo: de la primera tarea terminada a la última."""
    finales = [fin for _, fin in apuntes]
    return (len(finales) - 1) / (max(finales) - min(finales))


def medir(sistema, conexion, fichero_log):
    limpiar(conexion)
    encolar = encolador(sistema)
    for _ in range(VACIAS):
        encolar("vacia", time.time())
    worker = subprocess.Popen(ORDENES[sistema], shell=True, start_new_session=True,
                              stdout=fichero_log, stderr=subprocess.STDOUT)
    worker.args = [fichero_log.name]
    try:
        vacias = por_segundo(recoger(conexion, VACIAS, worker))
        latencias = []
        for _ in range(SONDAS):
            encolar("vacia", time.time())
            encolada, fin = recoger(conexion, 1, worker)[0]
            latencias.append(fin - encolada)
        for _ in range(DE_50MS):
            encolar("espera_50ms", time.time())
        de_50ms = por_segundo(recoger(conexion, DE_50MS, worker))
    finally:
        parar(worker)
        limpiar(conexion)
    return {"orden": ORDENES[sistema], "vacias": vacias, "de_50ms": de_50ms, "latencias": latencias}


def parar(worker):
    """Ctrl+C a todo el grupo de procesos, como en su terminal; si no basta, SIGKILL.

    Si el worker ya salió solo (una orden que no existe, un error al
    arrancar), su grupo ya no existe: no hay nada que parar.
    """
    try:
        os.killpg(worker.pid, signal.SIGINT)
    except ProcessLookupError:
        worker.wait()
        return
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()


def main():
    conexion = conectar()
    empezar_limpio(conexion)
    datos = {"maquina": maquina(conexion), "procesos": PROCESOS, "sistemas": {}}
    with tempfile.TemporaryDirectory(prefix="guia-rq-comparativa-") as carpeta:
        for sistema in ORDENES:
            with open(os.path.join(carpeta, f"{sistema}.log"), "w") as fichero_log:
                datos["sistemas"][sistema] = medir(sistema, conexion, fichero_log)
    imprimir(datos)
    guardar("comparativa", datos)


def imprimir(datos):
    print(linea_de_maquina(datos))
    print(f"{datos['procesos']} procesos por sistema; {VACIAS} tareas vacías, {DE_50MS} de 50 ms, "
          f"{SONDAS} sondas de latencia.")
    print(f"{'':<10}{'vacías':>16}{'de 50 ms':>16}{'encolar → empezar':>24}")
    print(f"{'':<10}{'trabajos/s':>16}{'trabajos/s':>16}{'mediana':>12}{'p95':>12}")
    for sistema, medida in datos["sistemas"].items():
        print(f"{sistema:<10}{medida['vacias']:>16.0f}{medida['de_50ms']:>16.0f}"
              f"{ms(mediana(medida['latencias'])):>12}{ms(p95(medida['latencias'])):>12}")


if __name__ == "__main__":
    main()
