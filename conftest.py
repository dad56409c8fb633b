"""Configuración de pytest en la raíz: el Redis de las pruebas y los capítulos como guiones.

Cada capítulo de docs/ se ejecuta con Sybil de arriba abajo, en el orden en
que lo lee el lector y contra un solo Redis: las sesiones ``>>>``, los
bloques invisibles (lo que el texto acaba de pedir hacer en otra terminal) y
las salidas de consola, que se regeneran en su primer ``literalinclude`` y
se comparan con las guardadas (tests/arnes/transcripciones.py).
"""

import os
import re
import shutil
import sys
import tempfile
from doctest import ELLIPSIS, NORMALIZE_WHITESPACE
from pathlib import Path

import pytest
from rq import Queue
from sybil import Region, Sybil
from sybil.parsers.rest import DocTestParser, PythonCodeBlockParser, SkipParser

from tests.arnes import transcripciones
from tests.arnes.procesos import EJEMPLOS, entorno
from tests.arnes.vigia import vigilar_trabajos

pytest_plugins = ["tests.arnes.redis_privado", "tests.arnes.construcciones"]
RAIZ = Path(__file__).resolve().parent

# La tarea del libro lee TAREAS_ESCALA al importarse. Algunas pruebas la
# importan en este proceso (las de los capítulos web y pruebas): que vaya
# acelerada como en los subprocesos (procesos.entorno).
os.environ.setdefault("TAREAS_ESCALA", entorno()["TAREAS_ESCALA"])

def parsear_salidas(documento):
    """El primer literalinclude de cada salida ejecuta su escenario; los demás son vistas."""
    capitulo = Path(documento.path).stem
    documento.namespace["__capitulo__"] = capitulo
    vistas = set()
    for encontrado in transcripciones.INCLUSION_DE_SALIDA.finditer(documento.text):
        nombre = encontrado["nombre"]
        if nombre in vistas:
            continue
        vistas.add(nombre)
        yield Region(
            encontrado.start(), encontrado.end(), nombre,
            lambda ejemplo: transcripciones.comprobar_o_reescribir(ejemplo.parsed),
        )


def _preparar_capitulo(espacio):
    """El intérprete del lector: abierto en la carpeta del capítulo, con su entorno."""
    capitulo = espacio["__capitulo__"]
    carpeta = EJEMPLOS / transcripciones.carpeta_de(capitulo)
    variables = transcripciones.entorno_de(capitulo)
    # La tarea del libro, acelerada y con la semilla del libro, como el resto de pruebas.
    for clave in ("TAREAS_ESCALA", "TAREAS_SEMILLA"):
        variables.setdefault(clave, os.environ.get(clave) or entorno()[clave])
    espacio["__antes__"] = {
        "cwd": os.getcwd(), "sys.path": list(sys.path),
        "entorno": {clave: os.environ.get(clave) for clave in variables},
    }
    os.environ.update(variables)
    # Como `python` abierto en esa carpeta: ella y lo que diga PYTHONPATH, delante.
    extra = [r for r in variables.get("PYTHONPATH", "").split(os.pathsep) if r]
    sys.path[:0] = [str((carpeta / ruta).resolve()) for ruta in ["", *extra]]
    os.chdir(carpeta)
    espacio["terminales"] = transcripciones.Terminales(carpeta.name, variables)
    # Las mismas terminales para los escenarios del capítulo.
    transcripciones.terminales_del_capitulo = espacio["terminales"]


def _recoger_capitulo(espacio):
    antes = espacio.pop("__antes__")
    transcripciones.terminales_del_capitulo = None
    olvidadas = espacio["terminales"].cerrar_todas()
    olvidadas += transcripciones.recoger_escenarios(espacio["__capitulo__"])
    os.chdir(antes["cwd"])
    sys.path[:] = antes["sys.path"]
    for clave, valor in antes["entorno"].items():
        if valor is None:
            os.environ.pop(clave, None)
        else:
            os.environ[clave] = valor
    # Todo lo que el lector arranca en otra terminal, el texto le dice cuándo pararlo.
    assert not olvidadas, f"el capítulo no dice cuándo cerrar: {olvidadas}"


pytest_collect_file = Sybil(
    parsers=[
        DocTestParser(optionflags=ELLIPSIS | NORMALIZE_WHITESPACE),
        PythonCodeBlockParser(),
        SkipParser(),
        parsear_salidas,
    ],
    path="docs",
    patterns=["*.rst"],
    fixtures=["redis_por_documento"],
    setup=_preparar_capitulo,
    teardown=_recoger_capitulo,
).pytest()


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    # Las carpetas temporales de la sesión, en una carpeta propia que se borra
    # al final. En /tmp/pytest-of-<usuario>, con tmp_path_retention_policy =
    # "none", pytest no pone cerrojo a la carpeta de una sesión, y cualquier
    # otra sesión que termine (otro make test en la misma máquina) la borra
    # aunque siga en uso. Los procesos de pytest-xdist cuelgan de esta.
    if config.option.basetemp is None and not hasattr(config, "workerinput"):
        carpeta = tempfile.mkdtemp(prefix="guia-rq-pytest-")
        config.option.basetemp = carpeta
        config.add_cleanup(lambda: shutil.rmtree(carpeta, ignore_errors=True))


@pytest.fixture
def cola(redis_conexion):
    """La cola "default" en el Redis privado de las pruebas."""
    return Queue(connection=redis_conexion)


@pytest.fixture
def vigia(redis_url):
    """Ningún trabajo que nazca durante la prueba se pierde (tests/arnes/vigia.py)."""
    with vigilar_trabajos(redis_url) as vigia:
        yield vigia


@pytest.fixture
def carpeta(tmp_path):
    """Una carpeta temporal para la prueba, que se borra al acabar.

    Es tmp_path: vive en la carpeta temporal de esta sesión (arriba), que no
    comparte con ninguna otra, y con la ruta corta que piden los sockets de Unix.
    """
    return tmp_path


def pytest_addoption(parser):
    parser.addoption(
        "--capitulo", action="append", default=[],
        help="solo las pruebas de ese capítulo (su .rst, tests/test_<capítulo>.py y su catálogo)",
    )


def pytest_ignore_collect(collection_path, config):
    """Con --capitulo, ni se recogen los .rst ni los tests/test_<capítulo>.py de los demás.

    Se deseleccionarían igual (pytest_collection_modifyitems), pero recogerlos
    (Sybil lee cada capítulo; pytest reescribe los asserts de cada módulo)
    cuesta segundos en cada proceso. Los ficheros de todo el libro
    (catálogos, contabilidad...) sí se recogen: tienen pruebas por capítulo.
    """
    capitulos = config.getoption("--capitulo")
    if not capitulos:
        return None
    ruta = Path(collection_path)
    todos = {p.stem for p in (RAIZ / "docs").glob("*.rst")}
    if ruta.parent == RAIZ / "docs" and ruta.suffix == ".rst":
        return ruta.stem not in capitulos or None
    if ruta.parent == RAIZ / "tests" and ruta.name.startswith("test_") and ruta.suffix == ".py":
        modulo = ruta.stem.removeprefix("test_")
        de_capitulo = {transcripciones.modulo_python(c) for c in todos}
        elegidos = {transcripciones.modulo_python(c) for c in capitulos}
        if modulo in de_capitulo and modulo not in elegidos:
            return True
    return None


def _del_capitulo(item, capitulos):
    ruta = Path(str(item.path)).relative_to(RAIZ).as_posix()
    for capitulo in capitulos:
        modulo = transcripciones.modulo_python(capitulo)
        if ruta in (f"docs/{capitulo}.rst", f"tests/test_{modulo}.py"):
            return True
        # Pruebas de todo el libro parametrizadas por capítulo (catálogos, contabilidad).
        if re.search(rf"\[(.*-)?{re.escape(capitulo)}(-.*)?\]$", item.nodeid):
            return True
    return False


# Las unidades de trabajo más largas, primero: con pytest-xdist, si una de
# ellas empieza al final, los demás procesos acaban y esperan sin hacer nada.
# (Medido con `make bench`, por capítulo, el 28/11/2026; el resto va detrás, en su orden.)
LAS_MAS_LARGAS = [
    "docs/rendimiento.rst",
    "docs/produccion.rst",
    "tests/test_produccion.py",
    "docs/redis-durabilidad.rst",
    "tests/test_redis_durabilidad.py",
    "tests/test_navegador.py",
    "docs/redis.rst",
    "tests/test_redis.py",
    "docs/fallos.rst",
    "docs/senales.rst",
    "docs/plataformas.rst",
    "tests/test_workers.py",
    "docs/django.rst",
    "tests/test_rendimiento.py",
    "docs/vigilancia.rst",
    "tests/test_django.py",
    "tests/test_vigilancia.py",
    "tests/test_catalogos.py",
]


def _prioridad(item):
    for posicion, prefijo in enumerate(LAS_MAS_LARGAS):
        if item.nodeid.startswith(prefijo):
            return posicion
    return len(LAS_MAS_LARGAS)


def pytest_collection_modifyitems(config, items):
    capitulos = config.getoption("--capitulo")
    if capitulos:
        fuera = [item for item in items if not _del_capitulo(item, capitulos)]
        items[:] = [item for item in items if _del_capitulo(item, capitulos)]
        config.hook.pytest_deselected(items=fuera)
    items.sort(key=_prioridad)  # sort es estable: cada fichero sigue en su orden.
