"""failure_ttl: cuánto tiempo guarda Redis un trabajo fallido."""

from tareas_opciones import fallar


def encolar_fallos(cola):
    return {
        "por_defecto": cola.enqueue(fallar, "sin failure_ttl"),  # un año
        "un_dia": cola.enqueue(fallar, "con failure_ttl de un día", failure_ttl="1d"),
    }
