"""Contar las palabras de una página web: la tarea y la dirección de las páginas."""

import os
import re
from urllib.request import urlopen

# Las páginas de ejemplo las sirve `python -m http.server 8070` desde la
# carpeta paginas/. El 8070 y no el 8000, que es el de `manage.py runserver`
# de Django. PAGINAS_URL permite apuntar a otro servidor.
URL_PAGINAS_POR_DEFECTO = "http://127.0.0.1:8070"


def url_pagina(nombre):
    """Devuelve la URL de la página `nombre` del servidor de ejemplo."""
    base = os.environ.get("PAGINAS_URL", URL_PAGINAS_POR_DEFECTO)
    return f"{base.rstrip('/')}/{nombre}"


def contar_palabras(url):
    """Descarga `url` y devuelve cuántas palabras tiene su texto."""
    with urlopen(url, timeout=10) as respuesta:
        html = respuesta.read().decode("utf-8")
    # Quitar las etiquetas basta para este ejemplo; para HTML de verdad,
    # mejor un analizador como html.parser.
    texto = re.sub(r"<[^>]+>", " ", html)
    return len(texto.split())
