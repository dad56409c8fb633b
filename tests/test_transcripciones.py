"""Cada salida que enseña el libro se vuelve a producir y se compara.

Las pruebas van en una clase por capítulo (TestSalidas_<capítulo>): con
pytest-xdist (--dist loadscope), cada clase es una unidad de trabajo, y las
salidas de los distintos capítulos se comprueban en paralelo.
"""

import socket

import pytest

from tests.arnes.excepciones import COMPARADOS_APARTE
from tests.arnes.normalizadores import normalizar
from tests.arnes.transcripciones import SALIDAS, cargar_escenarios, fichero, generar

ESCENARIOS = cargar_escenarios()


def _escucha(puerto):
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", puerto)) == 0


def comparar(nombre):
    if nombre in COMPARADOS_APARTE:
        pytest.skip(COMPARADOS_APARTE[nombre])
    if nombre.endswith("/sin-redis") and _escucha(6390):
        pytest.skip("hay algo escuchando en el puerto 6390; el escenario necesita que esté libre")
    guardada = fichero(nombre)
    assert guardada.is_file(), f"falta {guardada}: ejecuta `make transcripts`"
    nueva = generar(nombre)
    assert normalizar(nueva) == normalizar(guardada.read_text(encoding="utf-8"))


def _pruebas_del_capitulo(capitulo):
    nombres = sorted(n for n in ESCENARIOS if n.split("/")[0] == capitulo)

    @pytest.mark.parametrize("nombre", nombres)
    def test_la_salida_del_libro_coincide_con_una_ejecucion_nueva(self, nombre, redis_url):
        comparar(nombre)

    return type(f"TestSalidas_{capitulo}", (), {
        "__doc__": f"Las salidas del capítulo {capitulo}.",
        "test_la_salida_del_libro_coincide_con_una_ejecucion_nueva":
            test_la_salida_del_libro_coincide_con_una_ejecucion_nueva,
    })


for _capitulo in sorted({n.split("/")[0] for n in ESCENARIOS}):
    globals()[f"TestSalidas_{_capitulo}"] = _pruebas_del_capitulo(_capitulo)


def test_cada_salida_guardada_tiene_su_escenario():
    guardadas = {p.relative_to(SALIDAS).with_suffix("").as_posix() for p in SALIDAS.rglob("*.txt")}
    huerfanas = sorted(guardadas - set(ESCENARIOS))
    assert not huerfanas, f"salidas sin escenario que las regenere: {huerfanas}"
