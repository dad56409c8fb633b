"""Las construcciones del libro que comparten las pruebas: una de cada, por sesión.

Construir cuesta poco, pero varias pruebas miran el mismo resultado (avisos,
cambio de idioma, buscador, traducción): lo construimos una vez por idioma y
sesión, y una vez los mensajes (gettext) en una carpeta temporal.
"""

import fcntl
import functools
import json
import os
import shutil
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
# Como build/html con `make html`: es/ y en/ juntas, y un index.html que lleva a es/.
RAIZ_HTML = CONSTRUCCION / "pruebas" / "html"


@dataclass(frozen=True)
class Construccion:
    idioma: str
    resultado: subprocess.CompletedProcess
    html: Path
    doctrees: Path


def _sphinx(*argumentos):
    inicio = time.perf_counter()
    resultado = subprocess.run(
        [BIN / "sphinx-build", "-c", ".", *argumentos],
        cwd=RAIZ, capture_output=True, text=True, timeout=300,
    )
    constructor = argumentos[argumentos.index("-b") + 1]
    idioma = next((a.split("=")[1] for a in argumentos if a.startswith("language=")), "es")
    apuntar_aparte(f"sphinx-build -b {constructor} ({idioma})", time.perf_counter() - inicio)
    return resultado


@functools.cache
def construir(idioma):
    """Construye el libro en `idioma`, con -W, una sola vez por sesión.

    Con pytest-xdist, los procesos de una misma ejecución se turnan con un
    cerrojo: el primero construye y deja el resultado anotado; los demás lo
    leen en vez de volver a construir.
    """
    html = RAIZ_HTML / idioma
    doctrees = CONSTRUCCION / "pruebas" / "doctrees" / idioma
    ejecucion = os.environ.get("PYTEST_XDIST_TESTRUNUID", f"pid-{os.getpid()}")
    anotacion = CONSTRUCCION / "pruebas" / f"{idioma}.json"
    anotacion.parent.mkdir(parents=True, exist_ok=True)
    with open(anotacion.with_suffix(".lock"), "w") as cerrojo:
        fcntl.flock(cerrojo, fcntl.LOCK_EX)
        previa = json.loads(anotacion.read_text()) if anotacion.exists() else {}
        if previa.get("ejecucion") == ejecucion:
            resultado = subprocess.CompletedProcess(previa["orden"], previa["codigo"], "", previa["errores"])
        else:
            # -E relee todos los capítulos: un aviso de un capítulo sin cambios
            # no se esconde tras una construcción incremental. Los idiomas quedan
            # uno junto a otro, como con `make html`, para que los enlaces
            # relativos del cambio de idioma se puedan seguir de verdad.
            resultado = _sphinx(
                "-W", "--keep-going", "-q", "-E", "-b", "html", "-D", f"language={idioma}",
                "-d", str(doctrees), "docs", str(html),
            )
            shutil.copy(RAIZ / "docs" / "redireccion.html", RAIZ_HTML / "index.html")
            anotacion.write_text(json.dumps({
                "ejecucion": ejecucion, "orden": [str(a) for a in resultado.args],
                "codigo": resultado.returncode, "errores": resultado.stderr,
            }))
    return Construccion(idioma, resultado, html, doctrees)


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
    `make po`, pero sin tocar build/ ni locale/.
    """
    with tempfile.TemporaryDirectory(prefix="guia-rq-gettext-") as carpeta:
        resultado = _sphinx("-q", "-E", "-b", "gettext", "-d", f"{carpeta}/doctrees", "docs", carpeta)
        if resultado.returncode != 0:
            pytest.fail(f"no se pueden extraer los mensajes:\n{resultado.stderr}")
        yield {p.stem: polib.pofile(str(p)) for p in sorted(Path(carpeta).glob("*.pot"))}
