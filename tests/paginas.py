"""Servidores HTTP locales para las páginas de ejemplo (examples/rq/paginas).

Los trabajos que cuentan palabras descargan páginas de 127.0.0.1, nunca de
Internet. Hay dos formas de servirlas:

* ``servir_paginas()``: un servidor en un hilo de este mismo proceso, rápido
  y sin procesos que limpiar (sesiones >>> y pruebas);
* ``http_server_del_lector()``: la orden que teclea el lector,
  ``python -m http.server``, como proceso aparte (transcripciones).
"""

import contextlib
import functools
import re
import socket
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

from tests.procesos import EJEMPLOS, en_marcha

CARPETA = EJEMPLOS / "rq" / "paginas"
PUERTO_DEL_LIBRO = 8000


class _SinRegistro(SimpleHTTPRequestHandler):
    def log_message(self, *argumentos):
        # El registro de accesos solo ensuciaría la salida de las pruebas.
        pass


@contextlib.contextmanager
def servir_paginas():
    """Sirve examples/rq/paginas en un puerto libre de 127.0.0.1 y da la URL base."""
    manejador = functools.partial(_SinRegistro, directory=str(CARPETA))
    servidor = ThreadingHTTPServer(("127.0.0.1", 0), manejador)
    hilo = threading.Thread(target=servidor.serve_forever, daemon=True)
    hilo.start()
    try:
        yield f"http://127.0.0.1:{servidor.server_address[1]}"
    finally:
        servidor.shutdown()
        servidor.server_close()
        hilo.join(timeout=5)


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
