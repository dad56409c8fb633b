"""Las construcciones del libro que comparten las pruebas: una por sesión.

Las pruebas miran el mismo libro que construye `make html` (build/html), y lo
construyen con esa misma orden, que es incremental: si nada cambió desde el
último `make html`, construir cuesta un par de segundos. Los avisos no se
esconden: `make html` usa -W y, si hay alguno, lo repite leyendo todos los
capítulos; solo pasa si esa lectura entera sale limpia. Los mensajes (gettext) se extraen aparte, con
sus propios doctrees, también incrementales.
"""

import fcntl
import functools
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest

from tests.arnes.medidas import apuntar_aparte

RAIZ = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CONSTRUCCION = Path(os.environ.get("BUILDDIR", RAIZ / "build"))
IDIOMAS = ("es", "en")
# es/ y en/ juntas, y un index.html que lleva a es/: lo que deja `make html`.
RAIZ_HTML = CONSTRUCCION / "html"


@dataclass(frozen=True)
class Construccion:
    idioma: str
    resultado: subprocess.CompletedProcess
    html: Path
    doctrees: Path


def _cronometrada(nombre, orden, **opciones):
    inicio = time.perf_counter()
    resultado = subprocess.run(orden, cwd=RAIZ, capture_output=True, text=True, timeout=600, **opciones)
    apuntar_aparte(nombre, time.perf_counter() - inicio)
    return resultado


@functools.cache
def _make_html():
    """`make html`, una sola vez por ejecución de pytest.

    Con pytest-xdist, los procesos de una misma ejecución se turnan con un
    cerrojo: el primero construye y deja el resultado anotado; los demás lo
    leen en vez de volver a construir.
    """
    ejecucion = os.environ.get("PYTEST_XDIST_TESTRUNUID", f"pid-{os.getpid()}")
    anotacion = CONSTRUCCION / "pruebas.json"
    anotacion.parent.mkdir(parents=True, exist_ok=True)
    with open(anotacion.with_suffix(".lock"), "w") as cerrojo:
        fcntl.flock(cerrojo, fcntl.LOCK_EX)
        previa = json.loads(anotacion.read_text()) if anotacion.exists() else {}
        if previa.get("ejecucion") == ejecucion:
            return subprocess.CompletedProcess(previa["orden"], previa["codigo"], "", previa["errores"])
        resultado = _cronometrada(
            "make html", ["make", "--no-print-directory", "-s", "html", f"BUILDDIR={CONSTRUCCION}"],
        )
        anotacion.write_text(json.dumps({
            "ejecucion": ejecucion, "orden": resultado.args,
            "codigo": resultado.returncode, "errores": resultado.stderr,
        }))
        return resultado


def construir(idioma):
    """El libro en `idioma`, tal como lo deja `make html` en esta sesión."""
    return Construccion(idioma, _make_html(), RAIZ_HTML / idioma, CONSTRUCCION / "doctrees" / idioma)


@pytest.fixture(scope="session")
def libro():
    """Da la construcción de un idioma; falla si no salió limpia."""
    def construccion_limpia(idioma):
        construccion = construir(idioma)
        if construccion.resultado.returncode != 0:
            pytest.fail(f"el libro en '{idioma}' no se construye:\n{construccion.resultado.stderr}")
        return construccion
    return construccion_limpia


@pytest.fixture(scope="session")
def mensajes_de_los_capitulos():
    """Los mensajes que tienen hoy los capítulos: {capítulo: plantilla .pot}.

    Los extrae `sphinx-build -b gettext` en una carpeta temporal, como hace
    `make po`, pero sin tocar locale/. Sus doctrees se quedan en
    build/doctrees/gettext, para releer solo los capítulos que cambien; dos
    procesos de pytest-xdist no los escriben a la vez (cerrojo).
    """
    doctrees = CONSTRUCCION / "doctrees" / "gettext"
    doctrees.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="guia-rq-gettext-") as carpeta, \
            open(doctrees.parent / "gettext.lock", "w") as cerrojo:
        fcntl.flock(cerrojo, fcntl.LOCK_EX)
        resultado = _cronometrada("sphinx-build -b gettext", [
            BIN / "sphinx-build", "-c", ".", "-q", "-b", "gettext", "-d", doctrees, "docs", carpeta,
        ])
        fcntl.flock(cerrojo, fcntl.LOCK_UN)
        if resultado.returncode != 0:
            pytest.fail(f"no se pueden extraer los mensajes:\n{resultado.stderr}")
        yield {p.stem: polib.pofile(str(p)) for p in sorted(Path(carpeta).glob("*.pot"))}
