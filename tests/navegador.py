"""Chromium de Debian y un servidor HTTP en 127.0.0.1: lo comparten las pruebas
del navegador (tests/test_navegador.py) y `make bench` (el peso de cada página)."""

import contextlib
import functools
import http.server
import os
import threading

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Sin estas opciones, Chromium intenta hablar con servicios de Google al arrancar.
OPCIONES_CHROMIUM = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


class _ManejadorSilencioso(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *argumentos):
        pass


@contextlib.contextmanager
def servir(carpeta):
    """Sirve `carpeta` en un puerto libre de 127.0.0.1 y da su URL base."""
    manejador = functools.partial(_ManejadorSilencioso, directory=str(carpeta))
    servidor = http.server.ThreadingHTTPServer(("127.0.0.1", 0), manejador)
    hilo = threading.Thread(target=servidor.serve_forever, daemon=True)
    hilo.start()
    try:
        yield f"http://127.0.0.1:{servidor.server_address[1]}"
    finally:
        servidor.shutdown()
        servidor.server_close()
