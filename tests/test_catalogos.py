"""La traducción inglesa está completa, al día y limpia, y se nota en el libro.

Un catálogo por capítulo en locale/en/LC_MESSAGES. Las pruebas comprueban lo
mismo que python-docs-es antes de publicar: nada sin traducir ni dudoso,
`msgfmt -c`, sphinx-lint y powrap sobre los .po; además, que los catálogos
tienen los mensajes que tienen hoy los capítulos y que ningún párrafo de la
construcción inglesa se quedó en español.
"""

import os
import pickle
import re
import shutil
import subprocess

import polib
import pytest
from docutils import nodes
from sphinx.util.nodes import extract_messages

from tests.arnes.construcciones import BIN, RAIZ
from tests.arnes.excepciones import IGUAL_EN_INGLES


CATALOGOS = RAIZ / "locale" / "en" / "LC_MESSAGES"
RUTAS = sorted(CATALOGOS.glob("*.po"))
CAPITULOS = sorted(p.stem for p in (RAIZ / "docs").glob("*.rst"))
GETTEXT = "`sudo apt-get install gettext` (macOS: `brew install gettext`)"
PARA_ARREGLARLO = "ejecuta `make po` y traduce lo que falte (ver README)"


def herramienta(nombre, instalar):
    """Ruta de una herramienta de gettext; si falta, salta la prueba, salvo en CI."""
    ruta = shutil.which(nombre)
    if ruta:
        return ruta
    mensaje = f"{nombre} no está instalado; instálalo con {instalar}"
    if os.environ.get("CI"):
        pytest.fail(mensaje + " (en CI no se salta)")
    pytest.skip(mensaje)


def catalogo(ruta):
    return polib.pofile(str(ruta))


def test_hay_catalogos():
    assert RUTAS, f"no hay catálogos en {CATALOGOS.relative_to(RAIZ)}"


@pytest.mark.parametrize("ruta", RUTAS, ids=lambda r: r.stem)
def test_el_catalogo_esta_completo(ruta):
    po = catalogo(ruta)
    sin_traducir = [e.msgid for e in po.untranslated_entries()]
    dudosas = [e.msgid for e in po.fuzzy_entries()]
    assert not sin_traducir, f"{ruta.name}: sin traducir:\n" + "\n".join(sin_traducir)
    assert not dudosas, f"{ruta.name}: dudosas (fuzzy):\n" + "\n".join(dudosas)
    # Una cabecera fuzzy (la deja sphinx-intl en los catálogos nuevos) hace
    # que msgfmt la ignore: se pierde el charset del catálogo.
    assert not po.metadata_is_fuzzy, f"{ruta.name}: quita el '#, fuzzy' de la cabecera"


@pytest.mark.parametrize("ruta", RUTAS, ids=lambda r: r.stem)
def test_msgfmt_da_el_catalogo_por_bueno(ruta):
    msgfmt = herramienta("msgfmt", GETTEXT)
    resultado = subprocess.run(
        [msgfmt, "-c", "-o", os.devnull, ruta], capture_output=True, text=True,
    )
    assert resultado.returncode == 0, resultado.stderr


def test_sphinx_lint_no_encuentra_nada_en_los_catalogos():
    resultado = subprocess.run(
        [BIN / "sphinx-lint", CATALOGOS], cwd=RAIZ, capture_output=True, text=True,
    )
    assert resultado.returncode == 0, resultado.stdout + resultado.stderr


def test_los_catalogos_tienen_el_formato_de_powrap():
    herramienta("msgcat", GETTEXT)
    resultado = subprocess.run(
        [BIN / "powrap", "--check", "--quiet", *RUTAS], cwd=RAIZ, capture_output=True, text=True,
    )
    assert resultado.returncode == 0, (
        "catálogos sin el formato de powrap: ejecuta `.venv/bin/powrap locale/en/LC_MESSAGES/*.po`\n"
        + resultado.stdout + resultado.stderr
    )


@pytest.mark.parametrize("capitulo", CAPITULOS)
def test_el_catalogo_esta_al_dia(capitulo, mensajes_de_los_capitulos):
    ruta = CATALOGOS / f"{capitulo}.po"
    assert ruta.exists(), f"{capitulo}: no tiene catálogo ({ruta.relative_to(RAIZ)}); {PARA_ARREGLARLO}"
    plantilla = mensajes_de_los_capitulos[capitulo]
    traducidos = {(e.msgctxt, e.msgid) for e in catalogo(ruta) if not e.obsolete}
    actuales = {(e.msgctxt, e.msgid) for e in plantilla}
    problemas = [f"falta en el catálogo: {m!r}" for _, m in sorted(actuales - traducidos)]
    problemas += [f"el capítulo ya no dice: {m!r}" for _, m in sorted(traducidos - actuales)]
    assert not problemas, f"{capitulo}: {PARA_ARREGLARLO}:\n" + "\n".join(problemas)


def test_cada_catalogo_tiene_su_capitulo():
    sobrantes = sorted(set(r.stem for r in RUTAS) - set(CAPITULOS))
    assert not sobrantes, "catálogos sin capítulo: " + ", ".join(f"{c}.po" for c in sobrantes)


@pytest.mark.parametrize("ruta", RUTAS, ids=lambda r: r.stem)
def test_no_se_acumulan_entradas_obsoletas(ruta):
    # `make po` las borra (--no-obsolete); si aparecen, alguien actualizó el
    # catálogo a mano y guardó traducciones que ya no se usan.
    obsoletas = [e.msgid for e in catalogo(ruta).obsolete_entries()]
    assert not obsoletas, f"{ruta.name}: entradas obsoletas (#~), {PARA_ARREGLARLO}:\n" + "\n".join(obsoletas)


def _solo_codigo(nodo):
    """¿Es el texto de `nodo` solo código (literales), cantidades ("30 s") y signos?

    Ni el código ni una cantidad con su unidad se traducen.
    """
    texto = "".join(
        t.astext() for t in nodo.findall(nodes.Text)
        if not isinstance(t.parent, nodes.literal)
    )
    texto = re.sub(r"\b\d+(\.\d+)?\s*(s|ms|KB|MB)?\b", "", texto)
    return not re.sub(r"[\W_]+", "", texto)


def _doctrees(construccion):
    carpeta = construccion.doctrees
    return {
        p.relative_to(carpeta).with_suffix("").as_posix(): pickle.loads(p.read_bytes())
        for p in sorted(carpeta.rglob("*.doctree"))
    }


@pytest.fixture(scope="module")
def igual_en_ingles(libro):
    """{(documento, texto)} de los mensajes que la construcción inglesa deja en español.

    Compara el texto que se ve (sin marcas de reST): en la construcción
    española, el de cada mensaje traducible; en la inglesa, el de los nodos
    por los que pasó el catálogo (Sphinx les pone el atributo `translated`).
    """
    espanol, ingles = _doctrees(libro("es")), _doctrees(libro("en"))
    assert espanol.keys() == ingles.keys()
    iguales, sin_catalogo = set(), []
    for documento, arbol in espanol.items():
        originales = {nodo.astext() for nodo, _ in extract_messages(arbol)}
        traducidos = [n for n in ingles[documento].findall(nodes.Element) if "translated" in n]
        if originales and not traducidos:
            sin_catalogo.append(documento)
        iguales |= {
            (documento, n.astext()) for n in traducidos
            if n.astext() in originales and not _solo_codigo(n)
        }
    assert not sin_catalogo, "la construcción inglesa no usó ningún catálogo en: " + ", ".join(sin_catalogo)
    return iguales


def _es_excepcion(texto):
    return texto.casefold() in {clave.casefold() for clave in IGUAL_EN_INGLES}


@pytest.mark.parametrize("capitulo", CAPITULOS)
def test_ningun_parrafo_ingles_sigue_en_espanol(capitulo, igual_en_ingles):
    iguales = sorted(
        f"{documento}: {texto!r}" for documento, texto in igual_en_ingles
        if documento == capitulo and not _es_excepcion(texto)
    )
    assert not iguales, (
        "textos de la construcción inglesa iguales al original; tradúcelos, o si son "
        "un nombre propio o código, añádelos con su razón a IGUAL_EN_INGLES "
        "(tests/arnes/excepciones.py):\n" + "\n".join(iguales)
    )


def test_cada_excepcion_de_traduccion_tiene_razon_y_sigue_haciendo_falta(igual_en_ingles):
    usadas = {texto.casefold() for _, texto in igual_en_ingles}
    for texto, razon in IGUAL_EN_INGLES.items():
        assert razon.strip(), f"{texto!r}: la excepción necesita una razón"
        assert texto.casefold() in usadas, f"{texto!r}: ya no hace falta en IGUAL_EN_INGLES; quítala"
