"""Salidas del capítulo "Probar el código que encola" (docs/pruebas.rst).

Como en el capítulo de la aplicación web, todo se ejecuta desde examples/web
con PYTHONPATH=../rq. `pytest` ahí usa examples/web/pytest.ini, no la
configuración del libro: lo mismo que ve el lector.
"""

import contextlib
import tempfile

from tests.arnes.transcripciones import escenario

CARPETA = "web"
ENTORNO = {"PYTHONPATH": "../rq"}
# pytest ajusta sus líneas al ancho de la terminal; sin terminal, 80
# columnas, salvo que alguien haya exportado COLUMNS. Las del libro, 80.
ANCHO = {"COLUMNS": "80"}


@contextlib.contextmanager
def temporales_propios():
    """Un TMPDIR solo para el pytest del lector, que se borra al acabar.

    Cada sesión de pytest guarda sus carpetas temporales en
    $TMPDIR/pytest-of-<usuario>/pytest-<n> y, al acabar, borra las más
    viejas que no estén en uso. Las de la sesión del libro no llevan cerrojo
    (tmp_path_retention_policy = "none"), así que el pytest del lector, con
    el TMPDIR de siempre, podría llevárselas por delante.
    """
    with tempfile.TemporaryDirectory(prefix="guia-rq-pytest-") as carpeta:
        # Y sin la caché de pytest, que se quedaría en examples/web (la orden
        # que se enseña no lleva cabecera: no cambia nada de lo que se ve).
        yield {**ANCHO, "TMPDIR": carpeta, "PYTEST_ADDOPTS": "-p no:cacheprovider"}


@escenario("pruebas/pytest")
def pytest_entero(s):
    with temporales_propios() as entorno:
        s.ejecutar("pytest -v --no-header", **entorno)


@escenario("pruebas/trampas")
def trampas(s):
    with temporales_propios() as entorno:
        s.ejecutar("pytest -q --runxfail --tb=line --show-capture=no tests/test_trampas.py", codigo=1, **entorno)
