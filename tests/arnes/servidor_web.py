"""Un servidor HTTP de usar y tirar en 127.0.0.1, para el libro construido y
para las páginas de ejemplo. Nunca sale de la máquina."""

import contextlib
import functools
import http.server
import sys
import threading


class _SinRegistro(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *argumentos):
        # El registro de accesos solo ensuciaría la salida de las pruebas.
        pass


class _Servidor(http.server.ThreadingHTTPServer):
    def handle_error(self, peticion, direccion):
        # Un navegador corta las conexiones que ya no quiere (al pasar a otra
        # página): eso no es un error del servidor, y su traza solo ensucia.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(peticion, direccion)


@contextlib.contextmanager
def _en_marcha(manejador):
    """Un ThreadingHTTPServer con `manejador` en un puerto libre; da su URL base."""
    servidor = _Servidor(("127.0.0.1", 0), manejador)
    hilo = threading.Thread(target=servidor.serve_forever, daemon=True)
    hilo.start()
    try:
        yield f"http://127.0.0.1:{servidor.server_address[1]}"
    finally:
        servidor.shutdown()
        servidor.server_close()
        hilo.join(timeout=5)


@contextlib.contextmanager
def servir(carpeta):
    """Sirve `carpeta` en un puerto libre de 127.0.0.1 y da su URL base."""
    with _en_marcha(functools.partial(_SinRegistro, directory=str(carpeta))) as url:
        yield url


@contextlib.contextmanager
def receptor():
    """Un receptor de webhooks: da (URL base, lista de (método, ruta, cuerpo)) y contesta 204.

    La lista crece mientras dura: las peticiones llegan en su propio hilo.
    """
    recibidas = []

    class Apuntar(http.server.BaseHTTPRequestHandler):
        def _apuntar(self):
            largo = int(self.headers.get("Content-Length", 0))
            recibidas.append((self.command, self.path, self.rfile.read(largo)))
            self.send_response(204)
            self.end_headers()

        do_GET = do_POST = _apuntar

        def log_message(self, *argumentos):
            pass

    with _en_marcha(Apuntar) as url:
        yield url, recibidas
