"""job_timeout: cuánto puede durar un trabajo antes de que el worker lo corte."""

from tareas import tarea_pesada_y_falible


def encolar_con_tiempos_maximos(cola):
    """El tiempo máximo, en segundos o como un texto con su unidad."""
    return {
        "noventa": cola.enqueue(tarea_pesada_y_falible, 5, job_timeout=90),
        "una_hora": cola.enqueue(tarea_pesada_y_falible, 5, job_timeout="1h"),
        "media_hora": cola.enqueue(tarea_pesada_y_falible, 5, job_timeout="30m"),
        "quince": cola.enqueue(tarea_pesada_y_falible, 5, job_timeout="15s"),
        "sin_limite": cola.enqueue(tarea_pesada_y_falible, 5, job_timeout=-1),
        "el_de_la_cola": cola.enqueue(tarea_pesada_y_falible, 5),
    }
