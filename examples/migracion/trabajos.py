"""Las tareas de los ejemplos de migración: las mismas en RQ 1.11 y en RQ 3.0."""

from rq import get_current_job


def sumar(a, b):
    return a + b


def dividir(a, b):
    return a / b


def al_acabar(job, connection, result, *args, **kwargs):
    """Un callback de éxito: RQ le pasa el trabajo, la conexión y el resultado."""
    connection.set(f"guia:avisos:{job.id}", result)


def encadenar_sin_conexion():
    """Encola otro trabajo con Queue() a secas, como se hacía en RQ 1.x."""
    from rq import Queue

    return Queue("siguiente").enqueue(sumar, 1, 2).func_name


def encadenar():
    """Lo mismo, con la conexión del propio trabajo."""
    from rq import Queue

    return Queue("siguiente", connection=get_current_job().connection).enqueue(sumar, 1, 2).func_name


def progreso():
    trabajo = get_current_job()
    trabajo.meta["progreso"] = 100
    trabajo.save_meta()
