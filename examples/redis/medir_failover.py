"""Qué le pasa a RQ si cae el primario de Redis en plena marcha y Sentinel elige otro.

Uso: python medir_failover.py [--ocupado] [--esperar-copia]

Con `rq worker -c ajustes_sentinel` en otra terminal:

1. encola un trabajo cada 50 ms por Sentinel, y el worker los va haciendo;
2. tras el vigésimo, antes del siguiente, mata el primario con
   kill -9, como un corte de luz: cuando el worker espera el siguiente o,
   con --ocupado, cuando está con uno (el primero, que no acaba hasta que
   le avisamos justo después del corte; los demás esperan en la cola);
3. sigue encolando sin parar; un intento que falla no se repite: el
   siguiente es otro trabajo. Acaba cuando han entrado otros 10 en el
   primario nuevo;
4. espera a que el worker deje la cola vacía y cuenta qué ha pasado con cada
   trabajo confirmado (enqueue devolvió sin error).

Con --esperar-copia, tras encolar cada trabajo pide WAIT 1 200, y solo lo da
por confirmado si una réplica ya lo tiene.

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

CADA = 0.05  # segundos entre un intento de encolar y el siguiente
ANTES, DESPUES = 20, 10  # trabajos encolados antes del corte, y en el primario nuevo
SIN_PRIMARIO = 60  # segundos sin poder encolar antes de rendirse


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
    opciones.add_argument("--esperar-copia", action="store_true",
                          help="dar un trabajo por confirmado solo si ya lo tiene una réplica (WAIT)")
    opciones = opciones.parse_args(argumentos)

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
    if opciones.esperar_copia:  # Y que ya conteste a WAIT.
        esperar(lambda: primario.wait(1, 200) >= 1, 10, "la réplica no confirma lo escrito")
    esperar(lambda: esperando_trabajo(primario), 30, "el worker no espera trabajo; ¿está en marcha?")
    pid = primario.info("server")["process_id"]
    aviso = "guia:aviso" if opciones.ocupado else None

    # El chorro de trabajos, con el corte en medio.
    confirmados = {"antes": [], "después": []}
    sin_copia, errores = {"antes": 0, "después": 0}, []
    numero, caida, primer_exito, entrados = 0, None, None, 0
    while entrados < DESPUES:
        if caida is None and numero == ANTES:
            if opciones.ocupado:
                primero = cola.fetch_job(primer_id)
                esperar(lambda: primero.get_status() == "started", 10, "el worker no empieza el trabajo")
            else:
                esperar(lambda: cola.count == 0 and esperando_trabajo(primario), 10,
                        "el worker no hace los trabajos; ¿está en marcha?")
            os.kill(pid, signal.SIGKILL)  # El corte: el primario está en esta máquina.
            caida = time.monotonic()
            print(f"kill -9 {pid} con {numero} trabajos encolados: el primario ha caído.")
            if opciones.ocupado:
                libro.set(aviso, 1)  # Que el trabajo acabe ahora, sin primario al que contárselo.
        elif caida and primer_exito is None and time.monotonic() - caida > SIN_PRIMARIO:
            sys.exit(f"Error: en {SIN_PRIMARIO} s los centinelas no han elegido un primario nuevo "
                     f"({', '.join(errores)}); ¿están en marcha y de acuerdo?")
        numero += 1
        momento = "después" if caida else "antes"
        try:
            trabajo = cola.enqueue(apuntar, numero, aviso=aviso)
            # WAIT espera a lo escrito por esta conexión, la del enqueue: el
            # programa solo tiene un hilo, y redis-py le da la misma.
            copiado = not opciones.esperar_copia or primario.wait(1, 200) >= 1
        except Exception as error:  # El productor decide qué hacer: aquí, seguir.
            if type(error).__name__ not in errores:
                errores.append(type(error).__name__)
        else:
            if numero == 1:
                primer_id = trabajo.id
            if caida:
                primer_exito = primer_exito or time.monotonic()
                entrados += 1
            if copiado:
                confirmados[momento].append(numero)
            else:
                sin_copia[momento] += 1
        time.sleep(CADA)
    maquina, puerto = centinelas.discover_master(SENTINEL["MASTER_NAME"])
    print(f"Encolar ha fallado durante {primer_exito - caida:.1f} s ({', '.join(errores)}).")
    print(f"Nuevo primario: {maquina}:{puerto}")

    print("Esperando a que el worker vacíe la cola...")
    esperar(lambda: cola.count == 0 and esperando_trabajo(primario), 60,
            "el worker no vacía la cola; ¿sigue en marcha?")
    time.sleep(0.5)  # Por si alguno se repitiera.
    veces = {int(n): int(v) for n, v in libro.hgetall("guia:ejecuciones").items()}

    print()
    print(f"{'':30} {'antes':>6} {'después':>8}")
    filas = [("confirmados", *map(len, confirmados.values()))]
    for nombre, cuenta in (("  hechos una vez", lambda v: v == 1),
                           ("  hechos dos veces o más", lambda v: v > 1),
                           ("  perdidos (no hechos)", lambda v: v == 0)):
        filas.append((nombre, *(sum(cuenta(veces.get(n, 0)) for n in lista) for lista in confirmados.values())))
    if opciones.esperar_copia:
        filas.append(("encolados sin copia", *sin_copia.values()))
    for nombre, antes, despues in filas:
        print(f"{nombre:30} {antes:>6} {despues:>8}")
    if opciones.ocupado:
        print()
        print(f"El trabajo que estaba en marcha: hecho {veces.get(1, 0)} vez; "
              f"RQ dice que está {primero.get_status(refresh=True).value}.")


if __name__ == "__main__":
    main(sys.argv[1:])
