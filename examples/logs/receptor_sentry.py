"""Un receptor de eventos de Sentry en tu máquina: enseña lo que le llega.

Uso: python receptor_sentry.py [PUERTO]   (8090 si no indicas otro)

Con SENTRY_DSN=http://guia@127.0.0.1:8090/1, sentry-sdk manda aquí lo que
mandaría a Sentry: un "sobre" (envelope) por cada evento. No reenvía nada a
ningún sitio. Ctrl+C lo para.
"""

import gzip
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

USO = "Uso: python receptor_sentry.py [PUERTO]"


def eventos(sobre):
    """Los eventos de un sobre: una cabecera y, por cada elemento, su cabecera y su contenido."""
    lineas = sobre.split(b"\n")
    for cabecera, contenido in zip(lineas[1::2], lineas[2::2]):
        if json.loads(cabecera).get("type") == "event":
            yield json.loads(contenido)


def resumen(evento):
    """Lo que vería quien abre el error en Sentry: la excepción y el trabajo."""
    [excepcion] = evento["exception"]["values"][-1:]
    trabajo = evento.get("extra", {}).get("rq-job", {})
    return "\n".join([
        f"Evento {evento['event_id']} ({evento['level']})",
        f"  {excepcion['type']}: {excepcion['value']}",
        f"  rq-job: {trabajo.get('description')} ({trabajo.get('job_id')})",
        f"  en: {excepcion['stacktrace']['frames'][-1]['function']}"
        f" ({excepcion['stacktrace']['frames'][-1]['filename']})",
    ])


class Receptor(BaseHTTPRequestHandler):
    def do_POST(self):
        cuerpo = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Encoding") == "gzip":
            cuerpo = gzip.decompress(cuerpo)
        for evento in eventos(cuerpo):
            print(resumen(evento), flush=True)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, formato, *argumentos):
        pass  # Sin una línea por petición: solo los eventos.


def main():
    if len(sys.argv) > 2 or (len(sys.argv) == 2 and not sys.argv[1].isdigit()):
        sys.exit(USO)
    puerto = int(sys.argv[1]) if len(sys.argv) == 2 else 8090
    try:
        servidor = HTTPServer(("127.0.0.1", puerto), Receptor)
    except OSError as error:
        sys.exit(f"Error: no puedo escuchar en 127.0.0.1:{puerto}: {error.strerror}")
    print(f"Esperando eventos de Sentry en http://127.0.0.1:{puerto}", flush=True)
    try:
        servidor.serve_forever()
    except KeyboardInterrupt:
        print("Hasta luego.")


if __name__ == "__main__":
    main()
