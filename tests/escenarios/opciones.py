"""Las salidas de consola del capítulo "Opciones al encolar"."""

from tests.arnes.recortes import acortar_trazas
from tests.arnes.transcripciones import escenario


def _probar(sesion, opcion):
    sesion.ejecutar(f"python probar_opciones.py {opcion}")
    sesion.ejecutar("rq worker --burst opciones")
    sesion.lineas = acortar_trazas(sesion.lineas)


@escenario("opciones/job-timeout")
def tiempo_maximo(sesion):
    _probar(sesion, "job_timeout")


@escenario("opciones/result-ttl")
def tiempo_de_vida_del_resultado(sesion):
    _probar(sesion, "result_ttl")


@escenario("opciones/callbacks")
def callbacks(sesion):
    _probar(sesion, "callbacks")
