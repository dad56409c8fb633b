"""Configuración de pytest en la raíz: el Redis de las pruebas y las sesiones >>>.

Cada bloque `>>>` de docs/ se ejecuta con Sybil como una prueba más, contra
el Redis de las pruebas y con examples/rq en el camino de importación, igual
que si el lector abriera Python en esa carpeta.
"""

import os
import sys
from doctest import ELLIPSIS, NORMALIZE_WHITESPACE

from sybil import Sybil
from sybil.parsers.rest import DocTestParser, PythonCodeBlockParser, SkipParser

from tests.arnes.procesos import EJEMPLOS, entorno

pytest_plugins = ["tests.arnes.redis_privado", "tests.arnes.construcciones"]


def _preparar_documento(espacio):
    # El intérprete del lector se abre en examples/rq con REDIS_URL definida.
    if str(EJEMPLOS / "rq") not in sys.path:
        sys.path.insert(0, str(EJEMPLOS / "rq"))
    # La tarea del libro, acelerada y con azar fijo, como en el resto de pruebas.
    for clave in ("TAREAS_ESCALA", "TAREAS_SEMILLA"):
        os.environ.setdefault(clave, entorno()[clave])


pytest_collect_file = Sybil(
    parsers=[
        DocTestParser(optionflags=ELLIPSIS | NORMALIZE_WHITESPACE),
        PythonCodeBlockParser(),
        SkipParser(),
    ],
    path="docs",
    patterns=["*.rst"],
    fixtures=["redis_por_documento"],
    setup=_preparar_documento,
).pytest()



# Las unidades de trabajo más largas, primero: con pytest-xdist, si una de
# ellas empieza al final, los demás procesos acaban y esperan sin hacer nada.
# (Medido con `pytest --durations=0`; el resto va detrás, en su orden.)
LAS_MAS_LARGAS = [
    "tests/test_transcripciones.py::TestSalidas_fallos",
    "tests/test_navegador.py",
    "tests/test_workers.py",
    "tests/test_transcripciones.py::TestSalidas_django",
    "tests/test_django.py",
    "tests/test_catalogos.py",
]


def _prioridad(item):
    for posicion, prefijo in enumerate(LAS_MAS_LARGAS):
        if item.nodeid.startswith(prefijo):
            return posicion
    return len(LAS_MAS_LARGAS)


def pytest_collection_modifyitems(items):
    items.sort(key=_prioridad)  # sort es estable: cada fichero sigue en su orden.
