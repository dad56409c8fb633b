"""Las tareas que mide el capítulo de rendimiento, y la que para a sus workers.

Ninguna hace trabajo de verdad: así lo que se mide es lo que cuesta RQ.
"""

import os
import signal
import time

import psutil
from rq import Worker, get_current_job

# Lo que la tarea que pierde memoria va guardando y nunca suelta.
_GUARDADO = []


def vacia():
    """No hace nada: devuelve la hora a la que empezó."""
    return time.time()


def espera_50ms():
    """Espera 50 ms, como una llamada a la red o al disco: sin gastar CPU."""
    inicio = time.time()
    time.sleep(0.05)
    return inicio


def pierde_memoria(kb=1024):
    """Guarda `kb` KB en una lista del módulo que nadie vacía, y dice cuánto ocupa su proceso."""
    _GUARDADO.append(bytearray(kb * 1024))
    return psutil.Process().memory_info().rss


def usa_modulo_pesado():
    """Una tarea cuyo módulo tarda un segundo en importarse."""
    import modulo_pesado

    return modulo_pesado.cuenta()


def despedida():
    """El último trabajo de un worker de las medidas: le pide que pare.

    La señal llega con el worker ocupado en este trabajo, así que rq solo
    toma nota y sale al acabarlo, en orden. A un worker ocioso, en cambio,
    SIGTERM le lanza StopRequested desde el manejador de la señal, esté
    donde esté: a veces en mitad de un pipeline con Redis, y entonces su
    despedida puede fallar.

    Vive aquí, con las tareas, porque todo worker de las medidas puede
    importar este módulo, también los de las "máquinas" de varias_maquinas.py.
    """
    trabajo = get_current_job()
    clave = Worker.redis_worker_namespace_prefix + trabajo.worker_name
    os.kill(Worker.find_by_key(clave, connection=trabajo.connection).pid, signal.SIGTERM)
