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
        if red.returncode != 0:
            raise SinRuedas(f"no puedo bajar {requisitos}:\n{red.stderr}")


class SinRuedas(AssertionError):
    """Faltan ruedas en RUEDAS y pip no ha podido bajarlas (sin red, o sin ese paquete)."""


def asegurar_o_saltar(*requisitos):
    """Como asegurar(), pero si no están guardadas y no hay red, la prueba se salta; en CI, falla.

    En la máquina de un lector sin red, una prueba que necesita otra versión
    de un paquete (RQ 1.11.1 del apéndice de migración) no puede decir nada:
    se salta diciendo qué falta. En CI siempre hay red, y saltarla escondería
    un fallo.
    """
    from tests.arnes.laboratorio import requiere

    try:
        asegurar(*requisitos)
    except SinRuedas as error:
        paquetes = " ".join(r for r in requisitos if not r.startswith("-"))
        ultima = (str(error).strip().splitlines() or [""])[-1]
        requiere(False, f"faltan las ruedas de {paquetes} en {RUEDAS} y pip no puede bajarlas ({ultima})")


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
