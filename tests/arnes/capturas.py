"""Capturas de pantalla de un servidor de verdad para el libro (el panel de rq-dashboard).

Las hace el Chromium de Debian con Playwright, como las pruebas del
navegador (tests/arnes/navegador.py), desde 127.0.0.1 y sin salir de la
máquina. Con ``make transcripts`` se guardan en docs/capturas/<capítulo>/ y
el libro las enseña; con ``make test`` se hacen igual, en build/capturas/,
para comprobar que las páginas se ven y que cada PNG sigue siendo pequeño.

Como las salidas de consola (transcripciones.mostrable), lo que se ve en la
captura no enseña las rutas ni el Redis de esta máquina: cada respuesta del
servidor pasa por las mismas sustituciones antes de llegar al navegador.
"""

import concurrent.futures
import io
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.arnes.navegador import CHROMIUM, OPCIONES_CHROMIUM
from tests.arnes.procesos import RAIZ

# Ninguna captura del libro pasa de esto, ya optimizada.
TAMANO_MAXIMO = 150 * 1024
# Colores de la paleta del PNG: de sobra para texto y tablas, y pesa un tercio.
COLORES = 64


@dataclass
class Pagina:
    """Una página que capturar: dónde está, qué tiene que verse y cómo se llamará el PNG."""

    nombre: str
    ruta: str
    esperado: str
    entera: bool = False


def carpeta(capitulo, reescribir):
    if reescribir:
        return RAIZ / "docs" / "capturas" / capitulo
    return RAIZ / "build" / "capturas" / capitulo


def hay_navegador():
    """¿Hay Chromium? En CI tiene que haberlo; fuera, sin él no hay capturas."""
    if Path(CHROMIUM).exists():
        return True
    if os.environ.get("CI"):
        pytest.fail(f"CI necesita Chromium en {CHROMIUM}: .ci/run lo instala", pytrace=False)
    return False


def optimizar(png):
    """El PNG con una paleta corta y comprimido al máximo (Pillow)."""
    from PIL import Image

    imagen = Image.open(io.BytesIO(png)).convert("RGB")
    paleta = imagen.quantize(colors=COLORES, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    salida = io.BytesIO()
    paleta.save(salida, format="PNG", optimize=True)
    return salida.getvalue()


def capturar(url_base, paginas, destino, credenciales=None, sustituciones=(), ancho=1200, alto=640):
    """Captura cada página en destino/<nombre>.png y devuelve las rutas.

    Falla si una página tiene errores de JavaScript, si no llega a enseñar
    su texto esperado o si su PNG pasa de TAMANO_MAXIMO. Playwright va en un
    hilo propio: su API síncrona no arranca donde ya hay otra en marcha (las
    pruebas del navegador, en el mismo proceso de pytest-xdist).
    """
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as hilo:
        return hilo.submit(
            _capturar, url_base, paginas, destino, credenciales, sustituciones, ancho, alto,
        ).result()


def _capturar(url_base, paginas, destino, credenciales, sustituciones, ancho, alto):
    from playwright.sync_api import sync_playwright

    destino.mkdir(parents=True, exist_ok=True)
    rutas = []
    with sync_playwright() as playwright:
        navegador = playwright.chromium.launch(executable_path=CHROMIUM, args=OPCIONES_CHROMIUM)
        try:
            contexto = navegador.new_context(
                viewport={"width": ancho, "height": alto}, http_credentials=credenciales,
            )
            contexto.route("**/*", _sustituir(url_base, sustituciones))
            pagina = contexto.new_page()
            errores = []
            pagina.on("pageerror", lambda error: errores.append(str(error)))
            pagina.on("console", lambda m: m.type == "error" and errores.append(m.text))
            for que in paginas:
                respuesta = pagina.goto(url_base + que.ruta)
                assert respuesta and respuesta.ok, f"{que.ruta}: {respuesta and respuesta.status}"
                pagina.get_by_text(que.esperado).first.wait_for(timeout=10_000)
                pagina.wait_for_load_state("networkidle")
                png = optimizar(pagina.screenshot(full_page=que.entera))
                assert len(png) <= TAMANO_MAXIMO, f"{que.nombre}.png pesa {len(png)} bytes"
                ruta = destino / f"{que.nombre}.png"
                ruta.write_bytes(png)
                rutas.append(ruta)
            assert not errores, errores
        finally:
            navegador.close()
    return rutas


def _sustituir(url_base, sustituciones):
    """Cada respuesta del servidor, con las sustituciones hechas; nada sale de la máquina."""

    def manejar(ruta):
        if not ruta.request.url.startswith(url_base):
            ruta.abort()
            return
        respuesta = ruta.fetch()
        tipo = respuesta.headers.get("content-type", "")
        if not tipo.startswith(("text/", "application/json")):
            ruta.fulfill(response=respuesta)
            return
        texto = respuesta.text()
        for antes, despues in sustituciones:
            texto = texto.replace(antes, despues)
        ruta.fulfill(response=respuesta, body=texto)

    return manejar
