"""Un servidor HTTP de usar y tirar en 127.0.0.1, para el libro construido y
para las páginas de ejemplo. Nunca sale de la máquina."""

import contextlib
import functools
import http.server
import threading


class _SinRegistro(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *argumentos):
        # El registro de accesos solo ensuciaría la salida de las pruebas.
        pass


@contextlib.contextmanager
def servir(carpeta):
    """Sirve `carpeta` en un puerto libre de 127.0.0.1 y da su URL base."""
    manejador = functools.partial(_SinRegistro, directory=str(carpeta))
    servidor = http.server.ThreadingHTTPServer(("127.0.0.1", 0), manejador)
    hilo = threading.Thread(target=servidor.serve_forever, daemon=True)
    hilo.start()
    try:
        yield f"http://127.0.0.1:{servidor.server_address[1]}"
    finally:
        servidor.shutdown()
        servidor.server_close()
        hilo.join(timeout=5)
