"""Ruedas (wheels) guardadas en build/ruedas para crear entornos virtuales sin red.

La primera vez que falta alguna, se descarga (eso sí necesita red, como en
CI); las siguientes, pip instala desde la carpeta sin preguntar a nadie.
Varios procesos de pytest-xdist pueden pedir ruedas a la vez: se turnan con
un cerrojo.
"""

import fcntl
import subprocess
import sys
from pathlib import Path

from tests.arnes.construcciones import CONSTRUCCION

RUEDAS = CONSTRUCCION / "ruedas"


def _pip(python, *argumentos, timeout=600):
    return subprocess.run(
        [str(python), "-m", "pip", "--disable-pip-version-check", "-q", *argumentos],
        capture_output=True, text=True, timeout=timeout,
    )


def asegurar(*requisitos):
    """Deja en RUEDAS las ruedas de `requisitos` y sus dependencias (las baja si faltan)."""
    RUEDAS.mkdir(parents=True, exist_ok=True)
    with open(RUEDAS / ".cerrojo", "w") as cerrojo:
        fcntl.flock(cerrojo, fcntl.LOCK_EX)
        local = _pip(sys.executable, "download", "--no-index", "--find-links", str(RUEDAS),
                     "-d", str(RUEDAS), *requisitos)
        if local.returncode == 0:
            return
        red = _pip(sys.executable, "download", "-d", str(RUEDAS), *requisitos)
        assert red.returncode == 0, f"no puedo bajar {requisitos}:\n{red.stderr}"


def variables_pip():
    """Variables de entorno con las que `pip install ...` instala desde RUEDAS, sin red."""
    return {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(RUEDAS), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def entorno_virtual(destino, *requisitos):
    """Crea un entorno virtual en `destino` con `requisitos`; devuelve su python.

    Sin pip dentro (--without-pip): lo instala el pip de este entorno con
    --python, que es bastante más rápido que sembrar pip en cada entorno.
    """
    asegurar(*requisitos)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(destino)], check=True, timeout=120)
    python = Path(destino) / "bin" / "python"
    instalacion = _pip(sys.executable, "--python", str(python), "install", "--no-index",
                       "--find-links", str(RUEDAS), *requisitos)
    assert instalacion.returncode == 0, instalacion.stderr
    return python
