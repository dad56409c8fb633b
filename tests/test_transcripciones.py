"""Cada salida que enseña el libro se vuelve a producir y se compara."""

import socket

import pytest

from tests.normalizadores import normalizar
from tests.transcripciones import SALIDAS, cargar_escenarios, fichero, generar

ESCENARIOS = cargar_escenarios()


def _escucha(puerto):
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", puerto)) == 0


@pytest.mark.parametrize("nombre", sorted(ESCENARIOS))
def test_la_salida_del_libro_coincide_con_una_ejecucion_nueva(nombre, redis_url):
    if nombre.endswith("/sin-redis") and _escucha(6390):
        pytest.skip("hay algo escuchando en el puerto 6390; el escenario necesita que esté libre")
    guardada = fichero(nombre)
    assert guardada.is_file(), f"falta {guardada}: ejecuta `make transcripts`"
    nueva = generar(nombre)
    assert normalizar(nueva) == normalizar(guardada.read_text(encoding="utf-8"))


def test_cada_salida_guardada_tiene_su_escenario():
    guardadas = {p.relative_to(SALIDAS).with_suffix("").as_posix() for p in SALIDAS.rglob("*.txt")}
    huerfanas = sorted(guardadas - set(ESCENARIOS))
    assert not huerfanas, f"salidas sin escenario que las regenere: {huerfanas}"
