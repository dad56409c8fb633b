"""El libro construido para las pruebas: una vez por sesión, en los dos idiomas.

Lo usan la prueba de construcción estricta (tests/test_libro.py) y las del
navegador (tests/test_navegador.py). Se construye en build/pruebas/html/<idioma>,
con la misma estructura que `make html`, para que los enlaces entre idiomas
funcionen igual.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

RAIZ = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
IDIOMAS = ("es", "en")
DESTINO = Path(os.environ.get("BUILDDIR", RAIZ / "build")) / "pruebas"


def construir(idioma):
    # -E relee todos los capítulos: un aviso de un capítulo sin cambios no se
    # esconde tras una construcción incremental.
    return subprocess.run(
        [BIN / "sphinx-build", "-c", ".", "-W", "--keep-going", "-q", "-E",
         "-b", "html", "-D", f"language={idioma}",
         "-d", DESTINO / "doctrees" / idioma, "docs", DESTINO / "html" / idioma],
        cwd=RAIZ, capture_output=True, text=True,
    )


@pytest.fixture(scope="session")
def libro():
    """Construye el libro y devuelve {idioma: resultado de sphinx-build}; la raíz en .raiz."""
    resultados = {idioma: construir(idioma) for idioma in IDIOMAS}
    shutil.copy(RAIZ / "docs" / "redireccion.html", DESTINO / "html" / "index.html")
    return resultados


def raiz_html():
    return DESTINO / "html"
