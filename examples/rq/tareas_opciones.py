"""Tareas pequeñas para probar las opciones de enqueue (capítulo "Opciones al encolar")."""

import time

from rq import get_current_job


def dormir(segundos):
    """Espera `segundos` de verdad (sin acelerar en las pruebas) y los devuelve."""
    time.sleep(segundos)
    return segundos


def sumar(a, b):
    return a + b


def fallar(motivo):
    raise RuntimeError(motivo)


def apuntar(lista, texto):
    """Añade `texto` a la lista de Redis `lista`: así queda a la vista en qué
    orden se ejecutan los trabajos."""
    get_current_job().connection.rpush(lista, texto)
    return texto
