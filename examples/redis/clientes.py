"""Cuántas conexiones abre un worker, mirando CLIENT LIST mientras trabaja.

Uso: python clientes.py   (con un `rq worker` en marcha en otra terminal)

Encola en la cola default un trabajo que no acaba hasta que le avisamos, y
cuenta las conexiones a Redis antes, durante y después. No cuenta la suya.
"""

import sys
import tempfile
import time
from pathlib import Path

from rq import Queue, Worker

from conexion import conectar
from tareas_redis import retener


def conexiones_ajenas(conexion):
    """Las conexiones de los demás: CLIENT LIST menos la nuestra."""
    propia = conexion.client_id()
    return [c for c in conexion.client_list() if int(c["id"]) != propia]


def ultimas_ordenes(conexion):
    """La última orden de cada conexión ajena: dice para qué la usa el worker.

    Mientras espera trabajo, BLMOVE; la suscrita a su canal de órdenes,
    SUBSCRIBE. Las demás cambian de un momento a otro: "otra".
    """
    return sorted(
        c["cmd"] if c["cmd"] in ("blmove", "subscribe") else "otra"
        for c in conexiones_ajenas(conexion)
    )


def describir(conexion, momento):
    ordenes = ultimas_ordenes(conexion)
    print(f"{momento}: {len(ordenes)} conexiones ({', '.join(ordenes)})")


SIN_WORKER = "Error: ningún worker atiende la cola default; arranca `rq worker` en otra terminal."


def esperar(condicion, limite=10):
    fin = time.monotonic() + limite
    while not condicion():
        if time.monotonic() > fin:
            sys.exit(SIN_WORKER)
        time.sleep(0.02)


def main():
    conexion = conectar()
    if not Worker.count(connection=conexion):
        sys.exit(SIN_WORKER)
    # Un worker que espera trabajo está bloqueado en BLMOVE sobre sus colas.
    esperar(lambda: "blmove" in ultimas_ordenes(conexion))
    describir(conexion, "El worker, esperando trabajo")
    with tempfile.TemporaryDirectory() as carpeta:
        aviso = Path(carpeta, "aviso")
        trabajo = Queue(connection=conexion).enqueue(retener, str(aviso))
        esperar(lambda: trabajo.get_status() == "started")
        describir(conexion, "El worker, con un trabajo en marcha")
        aviso.touch()
        esperar(lambda: trabajo.get_status() == "finished")
    esperar(lambda: "blmove" in ultimas_ordenes(conexion))
    describir(conexion, "El worker, otra vez esperando")


if __name__ == "__main__":
    main()
