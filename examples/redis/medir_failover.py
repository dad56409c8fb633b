"""Qué le pasa a RQ cuando cae el primario de Redis y Sentinel elige otro.

Uso: python medir_failover.py [--ocupado]

Con `rq worker -c ajustes_sentinel` en otra terminal:

1. encola 10 trabajos por Sentinel y espera a que el worker los haga;
2. con --ocupado, le da además un trabajo que no acaba hasta que le
   avisamos, y espera a que empiece, para que el corte le pille trabajando;
3. mata el primario con kill -9, como un corte de luz (y, con --ocupado,
   avisa al trabajo para que acabe sin primario);
4. sigue encolando, uno cada 50 ms, y repite el que falla, hasta que entran
   otros 10 (si en un minuto no ha entrado ninguno, se rinde);
5. espera a que el worker los haga y cuenta qué ha pasado con cada uno.

Cada trabajo apunta cuántas veces se ha hecho en el Redis de REDIS_URL (el
del libro), que no se cae.
"""

import argparse
import os
import signal
import sys
import time

from redis.exceptions import ConnectionError
from redis.sentinel import Sentinel
from rq import Queue

from ajustes_sentinel import CENTINELAS, SENTINEL
from conexion import conectar
from tareas_redis import apuntar

POR_TANDA = 10
CADA = 0.05  # segundos entre un intento de encolar y el siguiente
SIN_PRIMARIO = 60  # segundos sin poder encolar antes de rendirse


def copiados(cola):
    """WAIT 1 1000: ¿tiene ya una réplica todo lo escrito hasta ahora? (1 o 0)"""
    return cola.connection.wait(1, 1000)


def esperando_trabajo(conexion):
    """¿Está el worker bloqueado en BLMOVE, esperando trabajo? (CLIENT LIST lo dice)."""
    return any(cliente["cmd"] == "blmove" for cliente in conexion.client_list())


def esperar(condicion, limite, motivo):
    fin = time.monotonic() + limite
    while not condicion():
        if time.monotonic() > fin:
            sys.exit(f"Error: {motivo}")
        time.sleep(CADA)


def main(argumentos):
    opciones = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    opciones.add_argument("--ocupado", action="store_true",
                          help="que el corte pille al worker con un trabajo en marcha")
    ocupado = opciones.parse_args(argumentos).ocupado

    libro = conectar()
    libro.delete("guia:ejecuciones", "guia:aviso")
    centinelas = Sentinel(SENTINEL["INSTANCES"])
    primario = centinelas.master_for(SENTINEL["MASTER_NAME"])
    cola = Queue("guia", connection=primario)
    try:
        maquina, puerto = centinelas.discover_master(SENTINEL["MASTER_NAME"])
    except ConnectionError:  # También MasterNotFoundError, que es una de ellas.
        sys.exit(f"Error: ningún centinela de {CENTINELAS} sabe dónde está el primario 'guia'.")
    print(f"Primario: {maquina}:{puerto}")
    # Una réplica recién conectada aún no tiene los datos: esperamos a que los tenga.
    esperar(lambda: primario.info("replication").get("slave0", {}).get("state") == "online",
            10, "el primario no tiene ninguna réplica al día")

    def hechos():
        return len(libro.hgetall("guia:ejecuciones"))

    antes = [cola.enqueue(apuntar, numero) for numero in range(1, POR_TANDA + 1)]
    copiados_antes = copiados(cola)
    esperar(lambda: hechos() == POR_TANDA and esperando_trabajo(primario), 30,
            "el worker no hace los trabajos; ¿está en marcha?")
    print(f"Encolados y hechos {POR_TANDA} trabajos; el worker espera más.")
    if ocupado:
        en_marcha = cola.enqueue(apuntar, 0, aviso="guia:aviso")
        esperar(lambda: en_marcha.get_status() == "started", 10, "el worker no empieza el trabajo")
        print("El worker está con un trabajo, que acabará cuando le avisemos.")

    # El corte: kill -9 al proceso del primario (está en esta máquina).
    pid = primario.info("server")["process_id"]
    os.kill(pid, signal.SIGKILL)
    caida = time.monotonic()
    print(f"kill -9 {pid}: el primario ha caído.")
    if ocupado:
        libro.set("guia:aviso", 1)  # Que acabe ahora, sin primario al que contárselo.

    despues, errores, primer_exito = [], [], None
    numero = POR_TANDA + 1
    while len(despues) < POR_TANDA:
        if primer_exito is None and time.monotonic() - caida > SIN_PRIMARIO:
            sys.exit(f"Error: en {SIN_PRIMARIO} s los centinelas no han elegido un primario nuevo "
                     f"({', '.join(errores)}); ¿están en marcha y de acuerdo?")
        try:
            despues.append(cola.enqueue(apuntar, numero))
        except Exception as error:  # El productor decide qué hacer: aquí, repetir.
            if type(error).__name__ not in errores:
                errores.append(type(error).__name__)
        else:
            numero += 1
            primer_exito = primer_exito or time.monotonic()
        time.sleep(CADA)
    copiados_despues = copiados(cola)
    maquina, puerto = centinelas.discover_master(SENTINEL["MASTER_NAME"])
    print(f"Encolar ha fallado durante {primer_exito - caida:.1f} s ({', '.join(errores)}).")
    print(f"Nuevo primario: {maquina}:{puerto}")

    print("Esperando a que el worker haga los trabajos de después...")
    esperar(lambda: hechos() >= 2 * POR_TANDA + ocupado, 60, "el worker no los hace; ¿sigue en marcha?")
    time.sleep(0.5)  # Por si alguno se repitiera.
    veces = {int(n): int(v) for n, v in libro.hgetall("guia:ejecuciones").items()}

    print()
    print(f"{'':32} {'antes':>6} {'después':>8}")
    filas = (
        ("encolados (Redis dijo OK)", len(antes), len(despues)),
        ("  y copiados ya a la réplica", copiados_antes * len(antes), copiados_despues * len(despues)),
        ("hechos una vez", *(sum(veces.get(_numero(t)) == 1 for t in tanda) for tanda in (antes, despues))),
        ("perdidos", *(sum(_numero(t) not in veces for t in tanda) for tanda in (antes, despues))),
        ("hechos dos veces o más", *(sum(veces.get(_numero(t), 0) > 1 for t in tanda) for tanda in (antes, despues))),
    )
    for nombre, de_antes, de_despues in filas:
        print(f"{nombre:32} {de_antes:>6} {de_despues:>8}")
    if ocupado:
        print()
        print(f"El trabajo que estaba en marcha: hecho {veces.get(0, 0)} vez; "
              f"RQ dice que está {en_marcha.get_status(refresh=True).value}.")


def _numero(trabajo):
    return trabajo.args[0]


if __name__ == "__main__":
    main(sys.argv[1:])
