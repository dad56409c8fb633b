"""description: el texto con el que el trabajo aparece en el registro del worker."""

from tareas_opciones import sumar


def encolar_con_descripcion(cola):
    return {
        "automatica": cola.enqueue(sumar, 4, 4),
        "propia": cola.enqueue(sumar, 4, 4, description="Cuadrar la caja del día"),
    }
