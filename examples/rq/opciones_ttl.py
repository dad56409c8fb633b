"""ttl: cuánto puede esperar un trabajo en la cola antes de que RQ lo descarte."""

from tareas_opciones import apuntar


def encolar_aviso_con_caducidad(cola, ttl=60):
    """Un aviso que no sirve de nada si no sale en `ttl` segundos."""
    return {"aviso": cola.enqueue(apuntar, "avisos-enviados", "¡Oferta flash!", ttl=ttl)}
