"""Las tareas que mide el capítulo de rendimiento.

Ninguna hace trabajo de verdad: así lo que se mide es lo que cuesta RQ.
"""

import time

import psutil

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
