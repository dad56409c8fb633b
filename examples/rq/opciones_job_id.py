"""job_id: un identificador elegido por nosotros, y qué pasa si se repite."""

from tareas import tarea_pesada_y_falible


def encolar_con_id_propio(cola):
    primero = cola.enqueue(tarea_pesada_y_falible, 1, fallar=False, job_id="informe-2024-06")
    # Mismo id: RQ no avisa. Reescribe el trabajo y lo encola otra vez.
    repetido = cola.enqueue(tarea_pesada_y_falible, 2, fallar=False, job_id="informe-2024-06")
    return {"primero": primero, "repetido": repetido}
