"""Las salidas de consola que enseña el libro, y cómo se obtienen.

Cada escenario ejecuta órdenes reales (ejemplos, workers) y escribe lo que
vería el lector en docs/salidas/<nombre>.txt, que los capítulos incluyen con
literalinclude. Hay dos formas de usarlo:

* ``make transcripts`` (este módulo como programa; admite nombres de
  escenario para regenerar solo esos) ejecuta los escenarios a
  velocidad real, con la semilla fija, contra un Redis privado, y reescribe
  los ficheros. Es lento a propósito: es lo que verá el lector.
* tests/test_transcripciones.py ejecuta cada escenario con la tarea
  acelerada y compara, tras los normalizadores, con el fichero guardado.

Los escenarios de cada capítulo viven en tests/escenarios_<capítulo>.py y se
registran con el decorador ``@escenario``.
"""

import os
import shlex
import sys
from pathlib import Path

if __package__ in (None, ""):  # `python tests/transcripciones.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests import procesos

SALIDAS = procesos.RAIZ / "docs" / "salidas"
ESCENARIOS = {}


def escenario(nombre):
    """Registra un escenario; su salida irá a docs/salidas/<nombre>.txt."""
    def registrar(funcion):
        ESCENARIOS[nombre] = funcion
        return funcion
    return registrar


class Sesion:
    """Una terminal de mentira que ejecuta de verdad: guarda órdenes y salidas."""

    def __init__(self):
        self.lineas = []

    def ejecutar(self, mostrada, carpeta="rq", real=None, codigo=0, **entorno):
        """Ejecuta una orden y anota "$ mostrada" y su salida.

        `mostrada` es lo que teclea el lector; `real`, si hace falta, lo que
        ejecutamos (por ejemplo, `rq worker` con --url del Redis privado).
        `codigo` es el código de salida esperado.
        """
        orden = real or _orden_real(mostrada)
        resultado = procesos.ejecutar(orden, carpeta=carpeta, **entorno)
        if resultado.returncode != codigo:
            raise AssertionError(
                f"`{mostrada}` salió con {resultado.returncode} (se esperaba {codigo}):\n"
                f"{resultado.stdout}"
            )
        self.lineas.append(f"$ {mostrada}")
        self.lineas.extend(resultado.stdout.rstrip("\n").splitlines())
        return resultado

    def texto(self):
        return "\n".join(self.lineas) + "\n"


def _orden_real(mostrada):
    """Traduce la orden del lector a la que ejecutamos en las pruebas."""
    partes = shlex.split(mostrada)
    if partes[0] == "python":
        return [sys.executable, *partes[1:]]
    if partes[:2] == ["rq", "worker"]:
        return [str(procesos.BIN / "rq"), "worker", "--url", os.environ["REDIS_URL"], *partes[2:]]
    return partes


def generar(nombre):
    sesion = Sesion()
    ESCENARIOS[nombre](sesion)
    return sesion.texto()


def fichero(nombre):
    return SALIDAS / f"{nombre}.txt"


def cargar_escenarios():
    """Importa los escenarios de cada capítulo: tests/escenarios_<capítulo>.py."""
    import importlib

    for modulo in sorted(Path(__file__).parent.glob("escenarios_*.py")):
        importlib.import_module(f"tests.{modulo.stem}")
    return ESCENARIOS


def main(nombres):
    from redis import Redis

    from tests.redis_privado import redis_server

    os.environ["TAREAS_ESCALA"] = "1"  # Tiempo real: lo que verá el lector.
    os.environ["TAREAS_SEMILLA"] = procesos.SEMILLA_PRUEBAS
    with redis_server() as url:
        os.environ["REDIS_URL"] = url
        for nombre in nombres or sorted(ESCENARIOS):
            Redis.from_url(url).flushdb()
            print(f"transcripción: {nombre}", flush=True)
            destino = fichero(nombre)
            destino.parent.mkdir(parents=True, exist_ok=True)
            destino.write_text(generar(nombre), encoding="utf-8")


if __name__ == "__main__":
    # Como programa, este fichero es __main__, pero los escenarios se
    # registran en tests.transcripciones: trabajamos con ese módulo.
    from tests import transcripciones

    transcripciones.cargar_escenarios()
    desconocidos = set(sys.argv[1:]) - set(transcripciones.ESCENARIOS)
    if desconocidos:
        sys.exit(f"Escenarios desconocidos: {', '.join(sorted(desconocidos))}")
    transcripciones.main(sys.argv[1:])
