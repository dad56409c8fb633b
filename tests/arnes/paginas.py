"""Servidores HTTP locales para las páginas de ejemplo (examples/rq/paginas).

Los trabajos que cuentan palabras descargan páginas de 127.0.0.1, nunca de
Internet. Hay dos formas de servirlas:

* ``servir_paginas()``: un servidor en un hilo de este mismo proceso, rápido
  y sin procesos que limpiar (sesiones >>> y pruebas);
* ``http_server_del_lector()``: la orden que teclea el lector,
  ``python -m http.server``, como proceso aparte (transcripciones).
"""

import contextlib
import re
import socket
import sys

from tests.arnes.procesos import EJEMPLOS, en_marcha
from tests.arnes.servidor_web import servir

CARPETA = EJEMPLOS / "rq" / "paginas"
PUERTO_DEL_LIBRO = 8000


def servir_paginas():
    """Sirve examples/rq/paginas en un puerto libre de 127.0.0.1 y da la URL base."""
    return servir(CARPETA)


def _puerto_libre(puerto):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", puerto))
        except OSError:
            return False
    return True


@contextlib.contextmanager
def http_server_del_lector():
    """`python -m http.server` desde examples/rq, como en el libro; da la URL base.

    Usa el puerto del libro (8000) si está libre y, si no, el que elija el
    sistema: los normalizadores cambian el número por un marcador.
    """
    puerto = PUERTO_DEL_LIBRO if _puerto_libre(PUERTO_DEL_LIBRO) else 0
    orden = [sys.executable, "-m", "http.server", str(puerto),
             "--bind", "127.0.0.1", "--directory", "paginas"]
    with en_marcha(orden) as proceso:
        # "Serving HTTP on 127.0.0.1 port 8000 (http://127.0.0.1:8000/) ..."
        primera = proceso.stdout.readline()
        encontrado = re.search(r"\bport (\d+)", primera)
        if not encontrado:
            raise RuntimeError(f"http.server no arrancó: {primera!r}")
        yield f"http://127.0.0.1:{encontrado[1]}"
