"""El libro se construye en los dos idiomas sin un solo aviso, y pasa sphinx-lint."""

import subprocess

import pytest

from tests.construccion import BIN, IDIOMAS, RAIZ, raiz_html

# Las pruebas que usan el libro construido van al mismo proceso: se construye una vez.
pytestmark = pytest.mark.xdist_group("libro")


@pytest.mark.parametrize("idioma", IDIOMAS)
def test_el_libro_se_construye_sin_avisos(libro, idioma):
    resultado = libro[idioma]
    assert resultado.returncode == 0, resultado.stderr
    assert (raiz_html() / idioma / "index.html").is_file()


def test_la_raiz_lleva_al_libro_en_espanol(libro):
    assert 'url=es/index.html' in (raiz_html() / "index.html").read_text(encoding="utf-8")


def test_sphinx_lint_no_encuentra_nada_en_docs():
    resultado = subprocess.run(
        [BIN / "sphinx-lint", "docs"], cwd=RAIZ, capture_output=True, text=True,
    )
    assert resultado.returncode == 0, resultado.stdout + resultado.stderr
