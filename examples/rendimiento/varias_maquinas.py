"""Dos "máquinas" contra un solo Redis: una al lado y otra lejos, a través de proxy_lento.py.

Uso: python varias_maquinas.py

Cada máquina es una carpeta aparte con su copia del código de las tareas
y su propio `rq worker`, arrancado desde ella. La máquina A habla con
Redis directamente; la B, a través de proxy_lento.py (en un hilo de este
programa), que añade a cada ida y vuelta 0, 1, 5 o 20 ms. Las dos atienden la misma cola; para cada
retraso contamos cuántos trabajos de 50 ms hace cada una. Deja los datos y
los gráficos en resultados/.
"""

import shutil
import socket
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from rq import Queue
from rq.job import Job

from conexion import conectar, url_redis
from medicion import (cola_nueva, cuantos, despedir, esperar_ociosos, esperar_terminados, guardar, linea_de_maquina,
                      maquina)
from proxy_lento import ProxyLento
from tareas_medidas import espera_50ms

RETRASOS = (0, 1, 5, 20)
TRABAJOS = cuantos(400, minimo=16)


def url_por(puerto):
    """La misma REDIS_URL, pero por otro puerto de esta máquina."""
    partes = urlsplit(url_redis())
    credenciales = partes.netloc.rpartition("@")[0]
    return partes._replace(netloc=f"{credenciales}@127.0.0.1:{puerto}" if credenciales else f"127.0.0.1:{puerto}").geturl()


def preparar_maquina(raiz, nombre):
    """Una carpeta con el mismo código de tareas: lo que tendría otra máquina."""
    carpeta = raiz / nombre
    carpeta.mkdir()
    shutil.copy("tareas_medidas.py", carpeta)
    return carpeta


def arrancar_worker(carpeta, url, cola):
    orden = [sys.executable, "-m", "rq.cli", "worker", "--url", url, "--name", carpeta.name, cola.name]
    return subprocess.Popen(orden, cwd=carpeta, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def puerto_libre():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def medir(cola):
    """Cuántos trabajos de 50 ms hace cada máquina, de un lote en la cola que comparten."""
    antes = cola.finished_job_registry.count
    lote = cola.enqueue_many([Queue.prepare_data(espera_50ms) for _ in range(TRABAJOS)])
    esperar_terminados(cola, antes, TRABAJOS)
    por_maquina = Counter(t.worker_name for t in Job.fetch_many([t.id for t in lote], connection=cola.connection))
    return {"maquina-a": por_maquina["maquina-a"], "maquina-b": por_maquina["maquina-b"]}


def main():
    conexion = conectar()
    cola = cola_nueva("maquinas", conexion)
    datos = {"maquina": maquina(conexion), "trabajos": TRABAJOS, "retrasos": {}}
    proxy = ProxyLento(puerto_libre(), 0).en_segundo_plano()
    with tempfile.TemporaryDirectory(prefix="guia-rq-maquinas-") as raiz:
        # A, directa a Redis; B, a través del proxy.
        workers = [arrancar_worker(preparar_maquina(Path(raiz), "maquina-a"), url_redis(), cola),
                   arrancar_worker(preparar_maquina(Path(raiz), "maquina-b"), url_por(proxy.puerto), cola)]
        try:
            esperar_ociosos(cola, 2)
            for retraso in RETRASOS:
                proxy.milisegundos = retraso
                datos["retrasos"][str(retraso)] = medir(cola)
        finally:
            despedir(workers, cola)
    imprimir(datos)
    guardar("varias_maquinas", datos)


def imprimir(datos):
    print(linea_de_maquina(datos))
    print(f"{datos['trabajos']} trabajos de 50 ms en una cola; un worker en cada máquina.")
    print(f"{'retraso añadido a B':<22}{'hechos por A':>16}{'hechos por B':>16}")
    for retraso, cuenta in datos["retrasos"].items():
        a, b = cuenta["maquina-a"], cuenta["maquina-b"]
        print(f"{retraso + ' ms':<22}{a:>11} ({a / (a + b):>3.0%}){b:>11} ({b / (a + b):>3.0%})")


if __name__ == "__main__":
    main()
