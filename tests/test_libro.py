"""El libro se construye en los dos idiomas sin un solo aviso, y pasa sphinx-lint."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

RAIZ = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CONSTRUCCION = Path(os.environ.get("BUILDDIR", RAIZ / "build"))


@pytest.mark.parametrize("idioma", ["es", "en"])
def test_el_libro_se_construye_sin_avisos(idioma):
    # -E relee todos los capítulos: un aviso de un capítulo sin cambios no se
    # esconde tras una construcción incremental.
    salida = CONSTRUCCION / "pruebas" / idioma
    resultado = subprocess.run(
        [BIN / "sphinx-build", "-c", ".", "-W", "--keep-going", "-q", "-E",
         "-b", "html", "-D", f"language={idioma}",
         "-d", salida / "doctrees", "docs", salida / "html"],
        cwd=RAIZ, capture_output=True, text=True,
    )
    assert resultado.returncode == 0, resultado.stderr
    assert (salida / "html" / "index.html").is_file()


def test_sphinx_lint_no_encuentra_nada_en_docs():
    resultado = subprocess.run(
        [BIN / "sphinx-lint", "docs"], cwd=RAIZ, capture_output=True, text=True,
    )
    assert resultado.returncode == 0, resultado.stdout + resultado.stderr
