"""Las salidas de consola del capítulo "Serializadores"."""

from tests.arnes.recortes import acortar_trazas
from tests.arnes.transcripciones import escenario


@escenario("serializadores/desajuste")
def desajuste(sesion):
    # La cola serializa con JSON; el primer worker, con pickle (el de siempre).
    sesion.ejecutar("python serializacion_encolar_json.py")
    sesion.ejecutar("rq worker --burst pedidos-json")
    sesion.lineas = acortar_trazas(sesion.lineas)


@escenario("serializadores/json")
def con_json(sesion):
    sesion.ejecutar("python serializacion_encolar_json.py")
    sesion.ejecutar("rq worker --burst --serializer json pedidos-json")
