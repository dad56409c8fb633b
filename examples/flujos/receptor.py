"""Un receptor de webhooks de juguete: escucha en 127.0.0.1 y escribe cada petición que le llega.

Uso: python receptor.py   (en el puerto 8060, o en el de la variable PUERTO_RECEPTOR)

Contesta 204 (sin contenido) a todo. Páralo con Ctrl+C.
"""

import json
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

PUERTO = int(os.environ.get("PUERTO_RECEPTOR", "8060"))


class Receptor(BaseHTTPRequestHandler):
    def do_POST(self):
        cuerpo = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        print(f"{self.command} {self.path}  ({self.headers.get('Content-Type')})")
        datos = json.loads(cuerpo)
        if datos.get("exc_info"):
            # La traza entera es larga: nos quedamos con su última línea, la del error.
            datos["exc_info"] = "[...] " + datos["exc_info"].strip().splitlines()[-1]
        print(json.dumps(datos, indent=2, ensure_ascii=False), flush=True)
        self.send_response(204)
        self.end_headers()

    def do_GET(self):
        print(f"{self.command} {self.path}", flush=True)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *argumentos):
        pass  # Ya escribimos nosotros cada petición, a nuestra manera.


def main():
    try:
        servidor = HTTPServer(("127.0.0.1", PUERTO), Receptor)
    except OSError as error:
        sys.exit(f"Error: no puedo escuchar en el puerto {PUERTO} ({error.strerror}).")
    print(f"Esperando webhooks en http://127.0.0.1:{PUERTO}/ (Ctrl+C para parar)", flush=True)
    try:
        servidor.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        servidor.server_close()


if __name__ == "__main__":
    main()
