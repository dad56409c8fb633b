"""Ejecuta el mismo trabajo muchas veces y cuenta cuántos resultados guarda RQ.

Uso: python repetir_trabajo.py [VECES]   (de 1 a 200; 30 si no dices nada)

Necesita un worker que atienda la cola default en otra terminal
(`rq worker default`).
"""

import sys
import time

from rq import Queue
from rq.job import JobStatus

from conexion import conectar
from vocales import contar_vocales

USO = "Uso: python repetir_trabajo.py [VECES]  (un número de 1 a 200; 30 si no dices nada)"
# Cuánto esperamos a que un worker ejecute el trabajo antes de rendirnos.
ESPERA_MAXIMA = 10


def veces_pedidas(argumentos):
    """Devuelve cuántas veces hay que ejecutar el trabajo, o None si los argumentos no valen."""
    if not argumentos:
        return 30
    if len(argumentos) > 1 or not argumentos[0].isdigit():
        return None
    veces = int(argumentos[0])
    return veces if 1 <= veces <= 200 else None


def esperar_fin(trabajo, limite):
    """Espera a que el trabajo acabe, bien o mal; False si en `limite` segundos no ha acabado."""
    fin = time.monotonic() + limite
    while time.monotonic() < fin:
        # get_status() pregunta a Redis cada vez.
        if trabajo.get_status() in (JobStatus.FINISHED, JobStatus.FAILED):
            return True
        time.sleep(0.01)
    return False


def main(argumentos):
    veces = veces_pedidas(argumentos)
    if veces is None:
        print(USO, file=sys.stderr)
        return 2
    cola = Queue(connection=conectar())
    trabajo = cola.enqueue(contar_vocales, "murciélago")
    for vez in range(veces):
        if vez:
            # El mismo trabajo, con el mismo id, otra vez a la cola: una ejecución más.
            cola.enqueue_job(trabajo)
        if not esperar_fin(trabajo, ESPERA_MAXIMA):
            print(
                f"Error: en {ESPERA_MAXIMA} s nadie ha ejecutado el trabajo. "
                "¿Tienes 'rq worker default' en marcha en otra terminal?",
                file=sys.stderr,
            )
            return 1
    print(f"{veces} ejecuciones del mismo trabajo: {len(trabajo.results())} resultados guardados.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
