"""job_timeout: cuánto puede durar un trabajo antes de que el worker lo corte."""

from tareas_opciones import dormir


def encolar_con_tiempo_maximo(cola):
    """Un trabajo que necesita 2 segundos y solo tiene 1: el worker lo cortará."""
    return {"demasiado_lento": cola.enqueue(dormir, 2, job_timeout=1)}


def encolar_con_tiempos_en_texto(cola):
    """El tiempo máximo admite un entero (segundos) o un texto con unidad."""
    return {
        "noventa": cola.enqueue(dormir, 0, job_timeout=90),
        "una_hora": cola.enqueue(dormir, 0, job_timeout="1h"),
        "media_hora": cola.enqueue(dormir, 0, job_timeout="30m"),
        "quince": cola.enqueue(dormir, 0, job_timeout="15s"),
    }
