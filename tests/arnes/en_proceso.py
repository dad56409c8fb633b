"""Ejemplos ejecutados dentro del proceso de pytest, sin pagar otro intérprete.

Para las pruebas que solo miran lo que hace un ejemplo en Python (sus
errores de uso, una función suelta), no cómo lo arranca el lector: eso lo
hacen los escenarios, con `python ...` de verdad.
"""

import contextlib
import runpy
import sys

import pytest

from tests.arnes.procesos import EJEMPLOS


@contextlib.contextmanager
def interprete_en(carpeta, monkeypatch):
    """Como un intérprete abierto en `carpeta` (dentro de examples/) con PYTHONPATH=../rq.

    Lo que se importe se olvida al terminar, para no dejar módulos a medio
    configurar (TAREAS_ESCALA se lee al importar tareas) a otras pruebas.
    """
    antes = set(sys.modules)
    monkeypatch.syspath_prepend(str(EJEMPLOS / "rq"))
    monkeypatch.syspath_prepend(str(EJEMPLOS / carpeta))
    try:
        yield
    finally:
        for nombre in set(sys.modules) - antes:
            del sys.modules[nombre]


def como_script(carpeta, monkeypatch, script, *argumentos):
    """`python script argumentos...` en examples/`carpeta`; devuelve su código de salida."""
    monkeypatch.setattr(sys, "argv", [script, *argumentos])
    with pytest.raises(SystemExit) as salida:
        runpy.run_path(str(EJEMPLOS / carpeta / script), run_name="__main__")
    return salida.value.code
