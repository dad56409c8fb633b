"""depends_on: un trabajo que espera a que terminen otros."""

from rq.job import Dependency

from tareas import tarea_pesada_y_falible


def encolar_cadena(cola):
    def paso(nombre, **opciones):
        return cola.enqueue(tarea_pesada_y_falible, 1, fallar=False, description=nombre, **opciones)

    descargar = paso("descargar")
    limpiar = paso("limpiar", depends_on=descargar)
    resumir = paso("resumir", depends_on=[descargar, limpiar])
    publicar = paso("publicar", depends_on=resumir)
    return {"descargar": descargar, "limpiar": limpiar, "resumir": resumir, "publicar": publicar}


def encolar_tras_un_fallo(cola):
    roto = cola.enqueue(tarea_pesada_y_falible, 1, fallar=True, description="descarga rota")
    espera = cola.enqueue(tarea_pesada_y_falible, 1, fallar=False, description="resumen", depends_on=roto)
    siempre = cola.enqueue(
        tarea_pesada_y_falible, 1, fallar=False, description="limpieza",
        depends_on=Dependency(jobs=[roto], allow_failure=True),
    )
    return {"roto": roto, "espera": espera, "siempre": siempre}
