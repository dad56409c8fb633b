"""job_id: un identificador elegido por nosotros, y qué pasa si se repite."""

from tareas_opciones import sumar


def encolar_con_id_propio(cola):
    primero = cola.enqueue(sumar, 1, 2, job_id="factura-2024-0001")
    # Mismo id: RQ no avisa. Reescribe el trabajo y lo encola otra vez.
    repetido = cola.enqueue(sumar, 10, 20, job_id="factura-2024-0001")
    return {"primero": primero, "repetido": repetido}
