"""El ayudante de conexión: conecta, o explica en una línea por qué no puede."""

import pytest

from tests.arnes.procesos import python
from tests.arnes.redis_privado import puerto_libre

SCRIPT_QUE_CONECTA = "-c", "from conexion import conectar; conectar(); print('conectado')"


def test_con_redis_en_marcha_conecta(redis_url):
    resultado = python(*SCRIPT_QUE_CONECTA)
    assert resultado.returncode == 0
    assert resultado.stdout == "conectado\n"


@pytest.mark.parametrize(
    "url, mensaje",
    [
        (f"redis://127.0.0.1:{puerto_libre()}/0", "Error: no puedo conectar con Redis en redis://127.0.0.1:"),
        ("http://localhost:6379", "Error: REDIS_URL no es una URL de Redis válida: http://localhost:6379"),
    ],
    ids=["redis-caido", "url-invalida"],
)
def test_sin_redis_una_linea_en_espanol_y_codigo_1(url, mensaje):
    resultado = python(*SCRIPT_QUE_CONECTA, REDIS_URL=url)
    assert resultado.returncode == 1
    assert resultado.stdout.startswith(mensaje)
    assert resultado.stdout.count("\n") == 1, resultado.stdout
    assert "Traceback" not in resultado.stdout


def test_la_contrasena_no_aparece_en_el_mensaje():
    url = f"redis://usuario:secreto@127.0.0.1:{puerto_libre()}/0"
    resultado = python(*SCRIPT_QUE_CONECTA, REDIS_URL=url)
    assert resultado.returncode == 1
    assert "secreto" not in resultado.stdout
    assert "usuario:***@" in resultado.stdout
