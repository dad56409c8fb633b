"""Encola en la cola `low` un conteo de palabras por cada URL de la línea de órdenes.

Uso: python encolar_conteo.py URL [URL ...]
"""

import sys

from rq import Queue

from conexion import conectar
from contar_palabras import contar_palabras

USO = "Uso: python encolar_conteo.py URL [URL ...]  (cada URL empieza por http:// o https://)"


def urls_validas(argumentos):
    """Devuelve las URL de `argumentos`, o None si falta alguna o alguna no es http(s)."""
    if not argumentos or not all(a.startswith(("http://", "https://")) for a in argumentos):
        return None
    return argumentos


def main(argumentos):
    urls = urls_validas(argumentos)
    if urls is None:
        print(USO, file=sys.stderr)
        return 2
    cola = Queue("low", connection=conectar())
    for url in urls:
        trabajo = cola.enqueue(contar_palabras, url)
        print(f"Encolado en '{cola.name}': {trabajo.id} {url}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
