"""Salidas del capítulo "Encolar trabajos" (docs/encolar.rst), en el orden del capítulo.

Todo se ejecuta desde examples/rq, en la segunda terminal del lector. El
worker de la tercera terminal (``rq worker default``) y el servidor de
páginas de la cuarta los arranca y los para el propio capítulo, con
``terminales.abrir``/``terminales.cerrar``, donde el texto lo pide: aquí
solo se usan.
"""

from tests.arnes.paginas import url_del_lector
from tests.arnes.recortes import acortar_trazas
from tests.arnes.transcripciones import escenario


@escenario("encolar/vaciar")
def vaciar(sesion):
    sesion.ejecutar("python vaciar_redis.py")


@escenario("encolar/desde-main")
def desde_main(sesion):
    sesion.ejecutar("python encolar_desde_main.py", codigo=1)
    sesion.ejecutar("python encolar_importando.py")
    sesion.ejecutar("rq worker --burst")


@escenario("encolar/otra-carpeta")
def otra_carpeta(sesion):
    """Un worker arrancado en la carpeta de arriba no encuentra vocales.py."""
    sesion.ejecutar("python encolar_importando.py")
    sesion.ejecutar("(cd .. && rq worker --burst)")
    sesion.lineas = acortar_trazas(sesion.lineas)


@escenario("encolar/contar-palabras")
def contar_palabras(sesion):
    # El servidor de páginas ya está en marcha en la cuarta terminal, y el
    # worker de la tercera solo escucha default: los trabajos de low esperan.
    base = url_del_lector()
    sesion.ejecutar(f"python encolar_conteo.py {base}/bienvenida.html {base}/no-existe.html")
    sesion.ejecutar("rq worker --burst low")
    sesion.lineas = acortar_trazas(sesion.lineas)


@escenario("encolar/repetir")
def repetir(sesion):
    # Con el worker de la tercera terminal (rq worker default) en marcha.
    sesion.ejecutar("python repetir_trabajo.py")
