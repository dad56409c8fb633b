"""El sitio en dos idiomas: cada página dice su idioma, lleva a su gemela y busca bien.

Se mira el HTML que sale de las construcciones de la sesión
(tests/arnes/construcciones.py), con los dos idiomas uno junto a otro, como los deja
`make html`.
"""

import functools
import json
import posixpath
import runpy

import pytest
import snowballstemmer
from bs4 import BeautifulSoup

from tests.arnes.construcciones import RAIZ


# Los idiomas del libro salen de conf.py, el mismo sitio de donde los toma la
# plantilla del cambio de idioma.
IDIOMAS = runpy.run_path(str(RAIZ / "conf.py"))["html_context"]["idiomas"]

# Una palabra de cada idioma que sale en el libro, y el lematizador
# (stemmer) de Snowball con que debe indexarla el buscador de ese idioma.
BUSQUEDA = {
    "es": ("spanish", "SpanishStemmer", "trabajos"),
    "en": ("english", "EnglishStemmer", "jobs"),
}


def paginas(construccion):
    """Las páginas del libro. Lo que hay en _downloads/ son ficheros de los
    ejemplos que se descargan tal cual (rq/paginas/bienvenida.html), no páginas."""
    return sorted(
        p.relative_to(construccion.html) for p in construccion.html.rglob("*.html")
        if "_downloads" not in p.relative_to(construccion.html).parts
    )


def html(construccion, pagina):
    return _leida(construccion.html / pagina)


@functools.cache
def _leida(ruta):
    # Varias pruebas leen las mismas páginas, y analizarlas es lo que más
    # cuesta: una vez por proceso. Nadie las modifica.
    return BeautifulSoup(ruta.read_text(encoding="utf-8"), "html.parser")


def test_los_idiomas_de_conf_son_los_que_se_construyen():
    assert set(IDIOMAS) == set(BUSQUEDA) == {"es", "en"}


@pytest.mark.parametrize("idioma", IDIOMAS)
def test_cada_pagina_declara_su_idioma(libro, idioma):
    construccion = libro(idioma)
    malas = [
        f"{pagina}: lang={html(construccion, pagina).html.get('lang')!r}"
        for pagina in paginas(construccion)
        if html(construccion, pagina).html.get("lang") != idioma
    ]
    assert not malas, f"páginas sin <html lang=\"{idioma}\">:\n" + "\n".join(malas)


@pytest.mark.parametrize("idioma, autores", [("es", "los autores"), ("en", "the authors")])
def test_el_pie_de_cada_pagina_esta_en_su_idioma(libro, idioma, autores):
    construccion = libro(idioma)
    malas = [
        pagina for pagina in paginas(construccion)
        if autores not in html(construccion, pagina).select_one("div.footer, footer").get_text()
    ]
    assert not malas, f"páginas con el pie en otro idioma: {malas}"


@pytest.mark.parametrize("idioma", IDIOMAS)
def test_cada_pagina_lleva_a_la_misma_pagina_en_el_otro_idioma(libro, idioma):
    construccion = libro(idioma)
    (otro,) = set(IDIOMAS) - {idioma}
    otra = libro(otro)
    problemas = []
    for pagina in paginas(construccion):
        cambio = html(construccion, pagina).select_one("nav.cambio-idioma")
        if cambio is None:
            problemas.append(f"{pagina}: sin cambio de idioma")
            continue
        actual = cambio.select_one("[aria-current]")
        enlaces = cambio.select("a[href]")
        if actual is None or actual.get_text(strip=True) != IDIOMAS[idioma]["nombre"]:
            problemas.append(f"{pagina}: no marca {IDIOMAS[idioma]['nombre']} como el idioma actual")
        if [a.get("hreflang") for a in enlaces] != [otro]:
            problemas.append(f"{pagina}: debería enlazar solo con '{otro}': {enlaces}")
            continue
        enlace = enlaces[0]
        if enlace.get_text(strip=True) != IDIOMAS[otro]["nombre"] or enlace.get("lang") != otro:
            problemas.append(f"{pagina}: el enlace debería decir {IDIOMAS[otro]['nombre']} (lang={otro})")
        # El enlace es relativo y lleva a la misma página, en la carpeta del
        # otro idioma: se sigue desde donde está la página.
        href = enlace["href"]
        destino = posixpath.normpath(posixpath.join(idioma, pagina.parent.as_posix(), href))
        if "://" in href or href.startswith("/") or destino != posixpath.join(otro, pagina.as_posix()):
            problemas.append(f"{pagina}: el enlace {href!r} no lleva a {otro}/{pagina.as_posix()}")
        elif not (otra.html / pagina).is_file():
            problemas.append(f"{pagina}: no existe en '{otro}'")
    assert not problemas, "\n".join(problemas)


@pytest.mark.parametrize("idioma", IDIOMAS)
def test_el_buscador_usa_el_idioma_de_la_pagina(libro, idioma):
    construccion = libro(idioma)
    estaticos = construccion.html / "_static"
    lematizador, clase_js, palabra = BUSQUEDA[idioma]

    opciones = (estaticos / "documentation_options.js").read_text(encoding="utf-8")
    assert f"LANGUAGE: '{idioma}'" in opciones
    # El navegador lematiza lo que busca el lector con el Snowball del idioma...
    datos = (estaticos / "language_data.js").read_text(encoding="utf-8")
    assert f"window.Stemmer = {clase_js};" in datos

    # ...y el índice se hizo con el mismo: la palabra está por su raíz en ese
    # idioma, no por la que le daría el otro.
    indice = (construccion.html / "searchindex.js").read_text(encoding="utf-8")
    terminos = json.loads(indice[indice.index("(") + 1 : indice.rindex(")")])["terms"]
    propia = snowballstemmer.stemmer(lematizador).stemWord(palabra)
    ajenas = {
        snowballstemmer.stemmer(l).stemWord(palabra) for l, _, _ in BUSQUEDA.values()
    } - {propia}
    assert propia in terminos, f"{palabra!r} no está en el índice como {propia!r}"
    assert not ajenas & terminos.keys(), f"el índice tiene {ajenas & terminos.keys()}: otro lematizador"
