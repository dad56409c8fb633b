"""at_front: encolar al principio de la cola en lugar de al final."""

from tareas_opciones import apuntar


def encolar_uno_urgente(cola):
    return {
        "normal_1": cola.enqueue(apuntar, "llegadas", "normal 1"),
        "normal_2": cola.enqueue(apuntar, "llegadas", "normal 2"),
        "urgente": cola.enqueue(apuntar, "llegadas", "urgente", at_front=True),
    }
