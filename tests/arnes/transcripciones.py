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
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.arnes import procesos

SALIDAS = procesos.RAIZ / "docs" / "salidas"
RAIZ_MOSTRADA = "/home/lector/guia-de-rq"
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

    def ejecutar(self, mostrada, carpeta="rq", real=None, codigo=0, anotar=True, **entorno):
        """Ejecuta una orden y anota "$ mostrada" y su salida.

        `mostrada` es lo que teclea el lector; `real`, si hace falta, lo que
        ejecutamos (por ejemplo, `rq worker` con --url del Redis privado).
        `codigo` es el código de salida esperado. Con anotar=False la orden
        solo prepara el escenario y no aparece en la salida.
        """
        orden = real or _orden_real(mostrada)
        resultado = procesos.ejecutar(orden, carpeta=carpeta, **entorno)
        if resultado.returncode != codigo:
            raise AssertionError(
                f"`{mostrada}` salió con {resultado.returncode} (se esperaba {codigo}):\n"
                f"{resultado.stdout}"
            )
        if anotar:
            self.anotar(f"$ {mostrada}", resultado.stdout)
        return resultado

    def anotar(self, *textos):
        """Añade texto tal cual (una tabla medida, la salida de un proceso largo)."""
        for texto in textos:
            self.lineas.extend(texto.rstrip("\n").splitlines())

    def texto(self):
        return "\n".join(self.lineas) + "\n"


def _orden_real(mostrada):
    """Traduce la orden del lector a la que ejecutamos en las pruebas.

    `python` es el del virtualenv y `rq ...` recibe --url del Redis de las
    pruebas. Una tubería (`a | b`) la ejecuta la shell, como en la terminal.
    """
    tramos = [_tramo_real(shlex.split(tramo)) for tramo in mostrada.split(" | ")]
    if len(tramos) == 1:
        return tramos[0]
    return ["sh", "-c", " | ".join(shlex.join(tramo) for tramo in tramos)]


def _tramo_real(partes):
    if partes[0] == "python":
        return [sys.executable, *partes[1:]]
    if partes[0] == "rq":
        return procesos.orden_rq(*partes[1:])
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

    for modulo in sorted((Path(__file__).parents[1] / "escenarios").glob("[!_]*.py")):
        importlib.import_module(f"tests.escenarios.{modulo.stem}")
    return ESCENARIOS


def main(nombres):
    from redis import Redis

    from tests.arnes.redis_privado import redis_server

    os.environ["TAREAS_ESCALA"] = "1"  # Tiempo real: lo que verá el lector.
    os.environ["TAREAS_SEMILLA"] = procesos.SEMILLA_PRUEBAS
    with redis_server() as url:
        os.environ["REDIS_URL"] = url
        for nombre in nombres or sorted(ESCENARIOS):
            Redis.from_url(url).flushdb()
            print(f"transcripción: {nombre}", flush=True)
            destino = fichero(nombre)
            destino.parent.mkdir(parents=True, exist_ok=True)
            # La ruta del repositorio cambia de máquina a máquina; enseñamos una de ejemplo.
            texto = generar(nombre).replace(str(procesos.RAIZ), RAIZ_MOSTRADA)
            destino.write_text(texto, encoding="utf-8")


def principal(nombres):
    cargar_escenarios()
    desconocidos = set(nombres) - set(ESCENARIOS)
    if desconocidos:
        sys.exit(f"Error: escenarios desconocidos: {', '.join(sorted(desconocidos))}")
    main(nombres)


if __name__ == "__main__":
    # Los escenarios se registran en tests.arnes.transcripciones, no en __main__.
    from tests.arnes import transcripciones

    transcripciones.principal(sys.argv[1:])
