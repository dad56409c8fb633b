"""ttl: cuánto puede esperar un trabajo en la cola antes de que Redis lo borre."""

from tareas import tarea_pesada_y_falible


def encolar_aviso_con_caducidad(cola, segundos=60):
    """Un aviso que ya no sirve de nada si no sale en `segundos` segundos."""
    return {"aviso": cola.enqueue(tarea_pesada_y_falible, 1, fallar=False, ttl=segundos)}
