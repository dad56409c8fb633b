"""Salidas del capítulo "Serializadores" (docs/serializadores.rst), en el orden del capítulo.

Todo se ejecuta desde examples/rq, en la primera terminal del lector: los
workers de estas salidas van en modo burst y terminan solos. Los que se
quedan escuchando (en la tercera terminal) los abren y cierran los bloques
invisibles del capítulo.
"""

from tests.arnes.recortes import acortar_trazas
from tests.arnes.transcripciones import escenario


@escenario("serializadores/vaciar")
def vaciar(sesion):
    sesion.ejecutar("python vaciar_redis.py")


@escenario("serializadores/json")
def con_json(sesion):
    sesion.ejecutar("python serializacion_encolar_json.py")
    sesion.ejecutar("rq worker --burst -S json pedidos-json")


@escenario("serializadores/desajuste")
def desajuste(sesion):
    # La cola serializa con JSON; el worker, con pickle (el de siempre).
    sesion.ejecutar("python serializacion_encolar_json.py")
    sesion.ejecutar("rq worker --burst pedidos-json")
    sesion.lineas = acortar_trazas(sesion.lineas)


@escenario("serializadores/intruso")
def intruso(sesion):
    sesion.ejecutar("python serializacion_intruso.py")
    sesion.ejecutar("rq worker --burst pedidos")
    sesion.ejecutar("rq worker --burst -S json pedidos-json")
    sesion.lineas = acortar_trazas(sesion.lineas)
