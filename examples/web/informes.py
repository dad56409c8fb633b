"""Un informe lento: la tarea del libro, a tramos, apuntando por dónde va.

La tarea del libro vive en ../rq/tareas.py. La aplicación web y el worker la
encuentran porque PYTHONPATH incluye esa carpeta (export PYTHONPATH=../rq).
"""

from rq import get_current_job

from tareas import tarea_pesada_y_falible


def generar_informe(segundos, fallar=False):
    """Hace `segundos` tramos de un segundo y apunta el progreso en job.meta.

    Cada tramo es una llamada a la tarea del libro que no falla. Con
    fallar=True, el tramo de la mitad falla y el informe se queda a medias.
    """
    trabajo = get_current_job()  # None si alguien la llama sin RQ
    for hechos in range(segundos):
        if trabajo is not None:
            # Antes de cada tramo, el tanto por ciento hecho. save_meta()
            # guarda solo meta: no pisa nada más del trabajo.
            trabajo.meta["progreso"] = 100 * hechos // segundos
            trabajo.save_meta()
        tarea_pesada_y_falible(1, fallar=fallar and hechos == segundos // 2)
    return segundos
