"""El Chromium de Debian, como lo arrancan las pruebas del navegador
(tests/test_navegador.py) y `make bench` (el peso de cada página)."""

import os

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Sin estas opciones, Chromium intenta hablar con servicios de Google al arrancar.
OPCIONES_CHROMIUM = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
