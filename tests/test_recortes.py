"""El recorte de trazas también se prueba: no debe comerse nada más."""

from tests.arnes.recortes import acortar_trazas


def test_deja_cabecera_marca_y_excepcion():
    traza = [
        "antes",
        "Traceback (most recent call last):",
        '  File "/usr/lib/python3.11/urllib/request.py", line 643, in http_error_default',
        "    raise HTTPError(req.full_url, code, msg, hdrs, fp)",
        "urllib.error.HTTPError: HTTP Error 404: File not found",
        "después",
    ]
    assert acortar_trazas(traza) == [
        "antes",
        "Traceback (most recent call last):",
        "[...]",
        "urllib.error.HTTPError: HTTP Error 404: File not found",
        "después",
    ]


def test_recorta_cada_traza_de_una_cadena_de_excepciones():
    traza = [
        "Traceback (most recent call last):",
        '  File "a.py", line 1, in f',
        "_pickle.UnpicklingError: invalid load key, '['.",
        "",
        "The above exception was the direct cause of the following exception:",
        "",
        "Traceback (most recent call last):",
        '  File "b.py", line 2, in g',
        "rq.exceptions.DeserializationError",
    ]
    assert acortar_trazas(traza) == [
        "Traceback (most recent call last):",
        "[...]",
        "_pickle.UnpicklingError: invalid load key, '['.",
        "",
        "The above exception was the direct cause of the following exception:",
        "",
        "Traceback (most recent call last):",
        "[...]",
        "rq.exceptions.DeserializationError",
    ]


def test_sin_trazas_no_cambia_nada():
    lineas = ["  sangrada pero sin traza", "normal"]
    assert acortar_trazas(lineas) == lineas
