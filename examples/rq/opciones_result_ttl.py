"""result_ttl: cuánto tiempo guarda Redis un trabajo terminado y su resultado."""

from tareas_opciones import sumar


def encolar_con_distintos_result_ttl(cola):
    return {
        "por_defecto": cola.enqueue(sumar, 1, 1),  # 500 segundos
        "sin_guardar": cola.enqueue(sumar, 2, 2, result_ttl=0),
        "para_siempre": cola.enqueue(sumar, 3, 3, result_ttl=-1),
    }
