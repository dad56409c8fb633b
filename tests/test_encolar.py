"""Capítulo "Encolar trabajos": lo que no enseñan las sesiones >>> ni las transcripciones.

Las sesiones de docs/encolar.rst ya prueban la API de la cola, las reglas y
los resultados contra un worker de verdad; las transcripciones, los scripts
encolar_desde_main.py, encolar_importando.py y encolar_conteo.py.
"""

import pytest
from rq import Queue

from tests.arnes.procesos import EJEMPLOS, python


def test_encolar_conteo_sin_url_explica_el_uso_y_sale_con_2():
    resultado = python("encolar_conteo.py")
    assert resultado.returncode == 2
    assert resultado.stdout.startswith("Uso: python encolar_conteo.py URL")
    assert resultado.stdout.count("\n") == 1
    assert "Traceback" not in resultado.stdout


@pytest.mark.parametrize(
    "argumentos, validas",
    [
        ((), None),
        (("http://127.0.0.1:8000/a.html", "bienvenida.html"), None),
        (("ftp://ejemplo.org/a.html",), None),
        (("http://127.0.0.1:8000/a.html", "https://ejemplo.org/"), ["http://127.0.0.1:8000/a.html", "https://ejemplo.org/"]),
    ],
    ids=["nada", "sin-esquema", "ftp", "buenas"],
)
def test_encolar_conteo_solo_acepta_urls_http(monkeypatch, argumentos, validas):
    monkeypatch.syspath_prepend(str(EJEMPLOS / "rq"))
    from encolar_conteo import urls_validas

    assert urls_validas(list(argumentos)) == validas


def test_job_result_esta_obsoleto_pero_sigue_dando_el_valor(redis_conexion, monkeypatch):
    monkeypatch.syspath_prepend(str(EJEMPLOS / "rq"))
    from vocales import contar_vocales

    # is_async=False ejecuta el trabajo aquí mismo, sin worker: basta para
    # tener un resultado guardado en Redis.
    cola = Queue("sincrona", connection=redis_conexion, is_async=False)
    trabajo = cola.enqueue(contar_vocales, "murciélago")
    assert trabajo.return_value() == 5
    with pytest.warns(DeprecationWarning, match=r"job\.result is deprecated, use job\.return_value"):
        assert trabajo.result == 5
