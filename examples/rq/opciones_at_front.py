"""description y at_front: el nombre del trabajo en el log, y encolar al principio."""

from tareas import tarea_pesada_y_falible


def encolar_uno_urgente(cola):
    return {
        "informe": cola.enqueue(tarea_pesada_y_falible, 1, fallar=False, description="Informe semanal"),
        "copia": cola.enqueue(tarea_pesada_y_falible, 3, fallar=False),  # Sin descripción: la llamada.
        "urgente": cola.enqueue(
            tarea_pesada_y_falible, 1, fallar=False, description="Devolución urgente", at_front=True,
        ),
    }
