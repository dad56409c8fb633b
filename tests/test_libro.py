"""El libro se construye en los dos idiomas sin un solo aviso, y pasa sphinx-lint."""

import subprocess

import pytest

from tests.construcciones import BIN, RAIZ


@pytest.mark.parametrize("idioma", ["es", "en"])
def test_el_libro_se_construye_sin_avisos(libro, idioma):
    construccion = libro(idioma)
    assert (construccion.html / "index.html").is_file()


def test_sphinx_lint_no_encuentra_nada_en_docs():
    resultado = subprocess.run(
        [BIN / "sphinx-lint", "docs"], cwd=RAIZ, capture_output=True, text=True,
    )
    assert resultado.returncode == 0, resultado.stdout + resultado.stderr
