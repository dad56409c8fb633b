"""Un recorrido por lo que el libro le pide a RQ, para ver qué órdenes de Redis usa.

Uso: python recorrido.py   (con `rq worker --with-scheduler` en otra terminal)

Encola un trabajo normal, uno que depende de él, uno para dentro de un
segundo, uno que falla con un reintento y dos con un límite de concurrencia
de uno (RateLimit; el segundo, al principio de la cola, espera su turno), y
espera sus resultados.
"""

import time
from datetime import timedelta

from rq import Queue, RateLimit, Retry

from conexion import conectar
from tareas import tarea_pesada_y_falible


def main():
    cola = Queue(connection=conectar())
    primero = cola.enqueue(tarea_pesada_y_falible, 1, fallar=False)
    despues = cola.enqueue(tarea_pesada_y_falible, 1, fallar=False, depends_on=primero)
    luego = cola.enqueue_in(timedelta(seconds=1), tarea_pesada_y_falible, 1, fallar=False)
    roto = cola.enqueue(tarea_pesada_y_falible, 1, fallar=True, retry=Retry(max=1))
    limite = RateLimit(key="guia-recorrido", concurrency=1)
    limitado = cola.enqueue(tarea_pesada_y_falible, 1, fallar=False, rate_limit=limite)
    a_su_turno = cola.enqueue(tarea_pesada_y_falible, 1, fallar=False, rate_limit=limite, at_front=True)
    for trabajo in (primero, despues, luego, roto, limitado, a_su_turno):
        print(f"{trabajo.description}: {esperar_resultado(trabajo)}")


def esperar_resultado(trabajo, limite=60):
    """El tipo del resultado del trabajo, cuando lo haya.

    latest_result(timeout=4) espera hasta 4 segundos: menos que los 5 del
    socket_timeout de la conexión (ver "Tiempos de espera"). Si aún no hay
    resultado, volvemos a esperar.
    """
    fin = time.monotonic() + limite
    while time.monotonic() < fin:
        resultado = trabajo.latest_result(timeout=4)
        if resultado:
            return resultado.type.name
    return "sin resultado"


if __name__ == "__main__":
    main()
