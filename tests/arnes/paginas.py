"""El servidor de las páginas de ejemplo (examples/rq/paginas) que arranca el lector.

Los trabajos que cuentan palabras descargan páginas de 127.0.0.1, nunca de
Internet. En el capítulo "Encolar trabajos", el lector sirve la carpeta
paginas/ en otra terminal con ``python -m http.server 8070 ...``: el
capítulo la arranca y la para con ``terminales.abrir(orden_del_lector())``
y ``terminales.cerrar(...)``. (Las pruebas de tests/ que necesitan un
servidor usan ``tests.arnes.servidor_web.servir``, en un puerto libre.)

El libro usa el 8070: el 8000 es el de ``manage.py runserver`` y el de
``sphinx-autobuild``. Si al probar el 8070 está ocupado (otra ejecución de
las pruebas en la misma máquina, por ejemplo), la orden usa otro puerto
libre y ``PAGINAS_URL`` se lo dice a los ejemplos (contar_palabras.py); los
normalizadores tapan el número al comparar.
"""

import os
import socket

PUERTO_DEL_LIBRO = 8070
# Lo que escribe http.server al arrancar: "Serving HTTP on 127.0.0.1 port 8070 ...".
LISTO = "Serving HTTP"
# Las variables de entorno que ha puesto orden_del_lector(), para quitarlas luego.
_puestas = set()


def _puerto_libre(puerto):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", puerto))
        except OSError:
            return False
    return True


def _otro_puerto_libre():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def orden_del_lector():
    """La orden del libro para servir las páginas, con el 8070 si está libre.

    Si no lo está, la misma orden con otro puerto, y PAGINAS_URL apuntando a
    él (``olvidar_puerto()`` la quita). Al regenerar las salidas del libro
    (make transcripts) el 8070 tiene que estar libre: lo que se guarda es lo
    que ve el lector.
    """
    puerto = PUERTO_DEL_LIBRO
    if not _puerto_libre(puerto):
        if os.environ.get("GUIA_RQ_TRANSCRIPCIONES") == "reescribir":
            raise RuntimeError(f"el puerto {puerto} está ocupado: libéralo para regenerar las salidas")
        puerto = _otro_puerto_libre()
        os.environ["PAGINAS_URL"] = f"http://127.0.0.1:{puerto}"
        _puestas.add("PAGINAS_URL")
    return f"python -m http.server {puerto} --bind 127.0.0.1 --directory paginas"


def url_del_lector():
    """La URL base de las páginas del servidor que arrancó ``orden_del_lector()``."""
    return os.environ.get("PAGINAS_URL", f"http://127.0.0.1:{PUERTO_DEL_LIBRO}")


def olvidar_puerto():
    """Quita el PAGINAS_URL que puso ``orden_del_lector()`` si usó otro puerto."""
    while _puestas:
        os.environ.pop(_puestas.pop(), None)
