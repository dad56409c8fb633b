"""Salidas del capítulo "Opciones al encolar" (docs/opciones.rst), en el orden del capítulo.

El lector encola desde Python, en la primera terminal; cada salida de aquí
es lo que teclea en la segunda: vaciar Redis al empezar y, tras cada
ejemplo, un worker en modo burst que ejecuta lo que la sesión acaba de
encolar en la cola ``opciones``.
"""

from tests.arnes.recortes import acortar_trazas
from tests.arnes.transcripciones import escenario


@escenario("opciones/vaciar")
def vaciar(sesion):
    sesion.ejecutar("python vaciar_redis.py")


def _worker(sesion):
    sesion.ejecutar("rq worker --burst opciones")
    sesion.lineas = acortar_trazas(sesion.lineas)


for _nombre in ("caducidades", "callbacks", "at-front", "depends-on", "meta"):
    escenario(f"opciones/{_nombre}")(_worker)
