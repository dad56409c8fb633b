"""Cuántas conexiones abre un worker, mirando CLIENT LIST mientras trabaja.

Uso: python clientes.py   (con un `rq worker` en marcha en otra terminal)

Encola en la cola default un trabajo que no acaba hasta que le avisamos, y
cuenta las conexiones a Redis antes, durante y después. Solo cuenta las del
worker: ni la suya ni las de otros programas que tengas abiertos.
"""

import sys
import tempfile
import time
from pathlib import Path

from rq import Queue, Worker

from conexion import conectar
from tareas_redis import retener


def conexiones_del_worker(conexion):
    """Las conexiones que ha abierto el worker (y su proceso hijo), según CLIENT LIST.

    Al arrancar, el worker da su nombre a su primera conexión (CLIENT
    SETNAME), y Redis numera las conexiones por orden de llegada: las suyas
    son esa y las que llegan después, menos la nuestra. Las de antes (otro
    programa, un intérprete abierto) no son suyas.
    """
    nombres = {w.name for w in Worker.all(connection=conexion)}
    clientes = conexion.client_list()
    primera = min((int(c["id"]) for c in clientes if c["name"] in nombres), default=None)
    if primera is None:
        return []
    propia = conexion.client_id()
    return [c for c in clientes if int(c["id"]) >= primera and int(c["id"]) != propia]


def ultimas_ordenes(conexion):
    """La última orden de cada conexión del worker: dice para qué la usa.

    Mientras espera trabajo, BLMOVE; la suscrita a su canal de órdenes,
    SUBSCRIBE. Las demás cambian de un momento a otro: "otra".
    """
    return sorted(
        c["cmd"] if c["cmd"] in ("blmove", "subscribe") else "otra"
        for c in conexiones_del_worker(conexion)
    )


def identificadores(conexion):
    return {c["id"] for c in conexiones_del_worker(conexion)}


def describir(conexion, momento):
    ordenes = ultimas_ordenes(conexion)
    print(f"{momento}: {len(ordenes)} conexiones ({', '.join(ordenes)})")


SIN_WORKER = "Error: ningún worker atiende la cola default; arranca `rq worker` en otra terminal."


def esperar(condicion, limite=10, salir=True):
    """Espera a que se cumpla `condicion`; si no llega, sale con un error (o sigue, con salir=False)."""
    fin = time.monotonic() + limite
    while not condicion():
        if time.monotonic() > fin:
            if salir:
                sys.exit(SIN_WORKER)
            return
        time.sleep(0.02)


def main():
    conexion = conectar()
    if not Worker.count(connection=conexion):
        sys.exit(SIN_WORKER)
    # Un worker que espera trabajo está bloqueado en BLMOVE sobre sus colas.
    esperar(lambda: "blmove" in ultimas_ordenes(conexion))
    describir(conexion, "El worker, esperando trabajo")
    antes = identificadores(conexion)
    with tempfile.TemporaryDirectory() as carpeta:
        aviso = Path(carpeta, "aviso")
        trabajo = Queue(connection=conexion).enqueue(retener, str(aviso))
        esperar(lambda: trabajo.get_status() == "started")
        describir(conexion, "El worker, con un trabajo en marcha")
        del_hijo = identificadores(conexion) - antes
        aviso.touch()
        esperar(lambda: trabajo.get_status() == "finished")
    # Esperando otra vez, y sin la conexión del hijo: Redis la cierra en
    # cuanto se entera de que el proceso ha terminado, no en el mismo instante.
    esperar(lambda: "blmove" in ultimas_ordenes(conexion) and not del_hijo & identificadores(conexion),
            salir=False)
    describir(conexion, "El worker, otra vez esperando")


if __name__ == "__main__":
    main()
