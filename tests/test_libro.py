"""El libro se construye en los dos idiomas sin un solo aviso, y pasa sphinx-lint."""

import subprocess

import pytest

from tests.arnes.construcciones import BIN, IDIOMAS, RAIZ, RAIZ_HTML



@pytest.mark.parametrize("idioma", IDIOMAS)
def test_el_libro_se_construye_sin_avisos(libro, idioma):
    construccion = libro(idioma)
    assert (construccion.html / "index.html").is_file()


def test_la_raiz_lleva_al_libro_en_espanol(libro):
    libro("es")
    assert "url=es/index.html" in (RAIZ_HTML / "index.html").read_text(encoding="utf-8")


def test_sphinx_lint_no_encuentra_nada_en_docs():
    resultado = subprocess.run(
        [BIN / "sphinx-lint", "docs"], cwd=RAIZ, capture_output=True, text=True,
    )
    assert resultado.returncode == 0, resultado.stdout + resultado.stderr
