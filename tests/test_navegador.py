"""El libro construido, en un navegador de verdad (Chromium de Debian con Playwright).

Se sirve desde 127.0.0.1 y se recorre en los dos idiomas: sin errores de
consola, sin peticiones fuera de la máquina, con búsqueda, cambio de idioma,
botones de copiar, buen aspecto a 375 px y texto legible en modo oscuro.
Con GUIA_RQ_CAPTURAS=1 (`make screenshots`) deja además una captura de cada
página, de escritorio y de móvil, en build/screenshots/ para revisarlas a ojo;
sin ella no las hace, porque son la mitad del tiempo de estas pruebas.
"""

import os
import re
import shutil
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.arnes.construcciones import IDIOMAS, RAIZ, RAIZ_HTML
from tests.arnes.medidas import apuntar_aparte
from tests.arnes.navegador import CHROMIUM, OPCIONES_CHROMIUM
from tests.arnes.servidor_web import servir

CAPTURAS = RAIZ / "build" / "screenshots"
CAPITULOS = sorted(p.stem for p in (RAIZ / "docs").glob("*.rst"))

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        pytest.fail(f"CI necesita Chromium en {CHROMIUM}: .ci/run lo instala", pytrace=False)
    pytest.skip(
        f"no hay Chromium en {CHROMIUM}; para estas pruebas: sudo apt-get install chromium",
        allow_module_level=True,
    )

from playwright.sync_api import sync_playwright  # noqa: E402



@pytest.fixture(scope="session")
def sitio(libro):
    """URL base de un servidor HTTP en 127.0.0.1 que sirve el libro construido."""
    for idioma in IDIOMAS:
        libro(idioma)  # Falla aquí si el libro no se construye limpio.
    with servir(RAIZ_HTML) as url:
        yield url


@pytest.fixture(scope="session")
def navegador():
    with sync_playwright() as playwright:
        inicio = time.perf_counter()
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=OPCIONES_CHROMIUM)
        apuntar_aparte("arrancar Chromium", time.perf_counter() - inicio)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def capturar():
    """capturar(pagina, nombre): guarda la captura si se pidieron (GUIA_RQ_CAPTURAS=1)."""
    if not os.environ.get("GUIA_RQ_CAPTURAS"):
        return lambda pagina, nombre: None
    shutil.rmtree(CAPTURAS, ignore_errors=True)
    CAPTURAS.mkdir(parents=True)
    return lambda pagina, nombre: pagina.screenshot(path=CAPTURAS / f"{nombre}.png")


class Visita:
    """Una pestaña que anota errores de consola, fallos y peticiones externas."""

    def __init__(self, contexto):
        self.pagina = contexto.new_page()
        self.errores, self.fallidas, self.externas = [], [], []
        self.pagina.on("console", lambda m: m.type == "error" and self.errores.append(m.text))
        self.pagina.on("pageerror", lambda e: self.errores.append(str(e)))
        # ERR_ABORTED es una petición que el propio navegador cancela al pasar a
        # otra página (el favicon, por ejemplo): no es un fallo del sitio.
        self.pagina.on("requestfailed", lambda r: r.failure != "net::ERR_ABORTED" and self.fallidas.append(r.url))
        self.pagina.on("response", lambda r: r.status >= 400 and self.fallidas.append(f"{r.status} {r.url}"))
        self.pagina.route("**/*", self._solo_local)

    def _solo_local(self, ruta):
        if urlsplit(ruta.request.url).hostname in ("127.0.0.1", None):
            ruta.continue_()
        else:
            self.externas.append(ruta.request.url)
            ruta.abort()

    def ir(self, url):
        respuesta = self.pagina.goto(url)
        assert respuesta and respuesta.ok, f"{url}: {respuesta and respuesta.status}"
        return self.pagina


@pytest.fixture
def visita(navegador):
    contexto = navegador.new_context(viewport={"width": 1280, "height": 900})
    yield Visita(contexto)
    contexto.close()


@pytest.mark.parametrize("idioma", IDIOMAS)
def test_cada_pagina_carga_limpia_sin_salir_de_la_maquina_y_cabe_en_375_px(sitio, visita, capturar, idioma):
    # Una sola carga por página: primero a 1280 px; luego, la misma página a 375 px
    # (el tema decide por el ancho, con media queries), sin volver a cargarla.
    estrechas = []
    for capitulo in CAPITULOS:
        pagina = visita.ir(f"{sitio}/{idioma}/{capitulo}.html")
        capturar(pagina, f"{idioma}-{capitulo}-escritorio")
        pagina.set_viewport_size({"width": 375, "height": 812})
        ancho = pagina.evaluate("document.documentElement.scrollWidth")
        if ancho > 375:
            estrechas.append(f"{capitulo}: la página mide {ancho} px")
        # Los bloques de código más anchos que la pantalla se desplazan por dentro.
        sin_scroll = pagina.evaluate("""() => [...document.querySelectorAll('pre')]
            .filter(p => p.scrollWidth > p.clientWidth)
            .filter(p => !['auto', 'scroll'].includes(getComputedStyle(p).overflowX))
            .length""")
        if sin_scroll:
            estrechas.append(f"{capitulo}: {sin_scroll} bloques desbordan")
        capturar(pagina, f"{idioma}-{capitulo}-movil")
        pagina.set_viewport_size({"width": 1280, "height": 900})
    assert not visita.errores, visita.errores
    assert not visita.fallidas, visita.fallidas
    assert not visita.externas, f"peticiones fuera de 127.0.0.1: {visita.externas}"
    assert not estrechas, "\n".join(f"{idioma}/{e}" for e in estrechas)


@pytest.mark.parametrize("idioma, consulta, esperado", [
    ("es", "worker", "workers.html"),
    ("en", "worker", "workers.html"),
    ("es", "cola", None),
])
def test_la_busqueda_encuentra(sitio, visita, idioma, consulta, esperado):
    pagina = visita.ir(f"{sitio}/{idioma}/search.html?q={consulta}")
    resultados = pagina.locator("#search-results ul.search li a")
    resultados.first.wait_for(timeout=10_000)
    enlaces = resultados.evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert enlaces, f"sin resultados para {consulta!r} en {idioma}"
    if esperado:
        assert any(e.split("#")[0].endswith(esperado) for e in enlaces), enlaces


@pytest.mark.parametrize("idioma, otro", [("es", "en"), ("en", "es")])
def test_el_cambio_de_idioma_lleva_a_la_misma_pagina(sitio, visita, idioma, otro):
    # test_sitio.py comprueba el enlace de todas las páginas; aquí, que se sigue con un clic.
    for capitulo in ("index", "workers"):
        pagina = visita.ir(f"{sitio}/{idioma}/{capitulo}.html")
        pagina.locator("a.cambio-idioma-otro").first.click()
        pagina.wait_for_url(f"{sitio}/{otro}/{capitulo}.html")
        assert pagina.locator("html").get_attribute("lang") == otro


def _contraste(pagina):
    """Contraste entre el texto de un párrafo del artículo y el fondo de la página."""
    return pagina.evaluate("""() => {
        const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
        const lum = ([r, g, b]) => {
            const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
            return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
        };
        const p = document.querySelector('article p');
        let fondo = p, color;
        while (fondo) {
            color = getComputedStyle(fondo).backgroundColor;
            if (!/rgba\\(.*, 0\\)$/.test(color) && color !== 'transparent') break;
            fondo = fondo.parentElement;
        }
        const a = lum(rgb(getComputedStyle(p).color)), b = lum(rgb(color || 'rgb(255,255,255)'));
        return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    }""")


@pytest.mark.parametrize("esquema", ["dark", "light"])
def test_el_texto_se_lee_en_modo_claro_y_oscuro(sitio, navegador, esquema):
    contexto = navegador.new_context(color_scheme=esquema)
    pagina = contexto.new_page()
    try:
        # Los colores son del tema, iguales en todas las páginas: basta con dos.
        for capitulo in ("index", "workers"):
            pagina.goto(f"{sitio}/es/{capitulo}.html")
            assert _contraste(pagina) >= 4.5, f"{esquema}/{capitulo}: contraste insuficiente"
    finally:
        contexto.close()


def test_el_boton_de_copiar_copia_solo_el_codigo(sitio, navegador):
    contexto = navegador.new_context(permissions=["clipboard-read", "clipboard-write"])
    pagina = contexto.new_page()
    try:
        pagina.goto(f"{sitio}/es/que-es-rq.html")
        bloque = pagina.locator("div.highlight", has_text=">>> cola = Queue").first
        bloque.hover()
        bloque.locator("button.copybtn").click()
        copiado = pagina.evaluate("navigator.clipboard.readText()")
    finally:
        contexto.close()
    assert "cola = Queue(connection=conectar())" in copiado
    assert ">>>" not in copiado
    assert "'default'" not in copiado  # La salida del intérprete no se copia.


def test_los_enlaces_internos_y_sus_anclas_existen(libro):
    for idioma in IDIOMAS:
        libro(idioma)
    rotos = []
    for html in RAIZ_HTML.rglob("*.html"):
        texto = html.read_text(encoding="utf-8")
        for destino in re.findall(r'href="([^"]+)"', texto):
            if re.match(r"^[a-z]+:", destino) or destino.startswith("//"):
                continue
            ruta, _, ancla = destino.partition("#")
            ruta = unquote(ruta.split("?")[0])  # rq-worker%40.service es rq-worker@.service
            objetivo = (html.parent / ruta).resolve() if ruta else html
            if objetivo.is_dir():
                objetivo = objetivo / "index.html"
            if not objetivo.exists():
                rotos.append(f"{html.relative_to(RAIZ_HTML)}: {destino}")
            elif ancla and objetivo.suffix == ".html" and f'id="{ancla}"' not in objetivo.read_text(encoding="utf-8"):
                rotos.append(f"{html.relative_to(RAIZ_HTML)}: {destino} (sin ancla)")
    assert not rotos, "\n".join(sorted(set(rotos)))


@pytest.mark.parametrize("idioma, capitulo, texto_alternativo", [
    ("es", "vigilancia", "La página Queues de rq-dashboard"),
    ("en", "vigilancia", "The Queues page of rq-dashboard"),
])
def test_las_capturas_se_ven_y_se_describen_en_su_idioma(sitio, visita, idioma, capitulo, texto_alternativo):
    pagina = visita.ir(f"{sitio}/{idioma}/{capitulo}.html")
    imagenes = pagina.locator("article img")
    imagenes.first.scroll_into_view_if_needed()
    datos = imagenes.evaluate_all("""is => is.map(i => {
        i.loading = 'eager';
        return {src: i.getAttribute('src'), alt: i.alt};
    })""")
    assert datos and all(d["alt"].strip() for d in datos), datos
    assert datos[0]["alt"].startswith(texto_alternativo), datos[0]["alt"]
    for numero in range(len(datos)):
        imagen = imagenes.nth(numero)
        imagen.scroll_into_view_if_needed()
        pagina.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=imagen.element_handle())
    assert not visita.fallidas, visita.fallidas
