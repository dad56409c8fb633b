"""depends_on: un trabajo que espera a que terminen otros."""

from rq.job import Dependency

from tareas_opciones import apuntar, fallar


def encolar_cadena(cola):
    descargar = cola.enqueue(apuntar, "cadena", "descargar")
    limpiar = cola.enqueue(apuntar, "cadena", "limpiar", depends_on=descargar)
    resumir = cola.enqueue(apuntar, "cadena", "resumir", depends_on=[descargar, limpiar])
    publicar = cola.enqueue(apuntar, "cadena", "publicar", depends_on=resumir)
    return {"descargar": descargar, "limpiar": limpiar, "resumir": resumir, "publicar": publicar}


def encolar_tras_un_fallo(cola):
    roto = cola.enqueue(fallar, "la descarga no llegó")
    espera = cola.enqueue(apuntar, "tras-fallo", "resumen", depends_on=roto)
    siempre = cola.enqueue(
        apuntar, "tras-fallo", "limpieza",
        depends_on=Dependency(jobs=[roto], allow_failure=True),
    )
    return {"roto": roto, "espera": espera, "siempre": siempre}
