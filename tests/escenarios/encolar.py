"""Las salidas de consola del capítulo "Encolar trabajos"."""

from tests.arnes.paginas import http_server_del_lector
from tests.arnes.recortes import acortar_trazas
from tests.arnes.transcripciones import escenario


@escenario("encolar/desde-main")
def funcion_importable(sesion):
    sesion.ejecutar("python encolar_desde_main.py", codigo=1)
    sesion.ejecutar("python encolar_importando.py")
    sesion.ejecutar("rq worker --burst")


@escenario("encolar/contar-palabras")
def contar_palabras(sesion):
    # El lector tiene `python -m http.server` en marcha en otra terminal.
    with http_server_del_lector() as base:
        sesion.ejecutar(
            f"python encolar_conteo.py {base}/bienvenida.html {base}/no-existe.html"
        )
        sesion.ejecutar("rq worker --burst low")
    sesion.lineas = acortar_trazas(sesion.lineas)
