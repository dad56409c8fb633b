"""Apéndice de migración: lo que la tabla afirma y las salidas no enseñan ya."""

import re
import subprocess
import sys
from importlib import metadata

import pytest
from packaging.requirements import Requirement

from tests.arnes import procesos

RAIZ = procesos.RAIZ
MIGRACION = procesos.EJEMPLOS / "migracion"
# Una fila: el cambio (y, en otro párrafo, la versión), el código de antes y el de ahora.
FILA = re.compile(r"^   \* - (?P<cambio>.+?)\n     - (?P<antes>.+?)\n     - (?P<ahora>.+?)\n(?=   \* - |\n)", re.M | re.S)
LITERAL = re.compile(r"``(.+?)``")


def filas():
    texto = (RAIZ / "docs" / "migracion.rst").read_text(encoding="utf-8")
    return [m.groupdict() for m in FILA.finditer(texto)][1:]  # Sin la cabecera.


def test_el_codigo_de_cada_fila_esta_en_los_programas_que_se_ejecutan():
    # Las tareas (trabajos.py) las comparten los dos programas.
    tareas = (MIGRACION / "trabajos.py").read_text(encoding="utf-8")
    antiguo = (MIGRACION / "antiguo.py").read_text(encoding="utf-8") + tareas
    nuevo = (MIGRACION / "nuevo.py").read_text(encoding="utf-8") + tareas
    comprobadas = 0
    for fila in filas():
        if fila["cambio"].startswith(("El *log*", "Trabajos programados", "Versiones", "django-rq")):
            continue  # Se prueban aparte (salida del log, metadatos, pruebas de abajo).
        for codigo in LITERAL.findall(" ".join(fila["antes"].split())):
            assert codigo in antiguo, f"{fila['cambio']}: {codigo!r} no está en antiguo.py"
        for codigo in LITERAL.findall(" ".join(fila["ahora"].split())):
            assert codigo in nuevo, f"{fila['cambio']}: {codigo!r} no está en nuevo.py"
        comprobadas += 1
    assert comprobadas == 14


def test_versiones_minimas_de_rq_3():
    rq = metadata.metadata("rq")
    assert rq["Requires-Python"] == ">=3.10"
    redis = next(Requirement(r) for r in metadata.requires("rq") if r.startswith("redis"))
    assert str(redis.specifier) == ">=5.0.1"


@pytest.mark.parametrize("rq, esperado", [
    ({}, "on_db_commit"),
    ({"COMMIT_MODE": "auto"}, "auto"),
])
def test_django_rq_commit_mode(rq, esperado):
    codigo = "from django_rq.queues import get_commit_mode; print(get_commit_mode())"
    salida = subprocess.run(
        [sys.executable, "-c",
         "from django.conf import settings\n"
         f"settings.configure(RQ={rq!r}, INSTALLED_APPS=['django_rq'])\n"
         "import django; django.setup()\n" + codigo],
        capture_output=True, text=True, timeout=60,
    )
    assert salida.stdout.strip() == esperado, salida.stderr


def test_django_rq_autocommit_es_obsoleto_y_sigue_valiendo():
    salida = subprocess.run(
        [sys.executable, "-W", "error::DeprecationWarning", "-c",
         "from django.conf import settings\n"
         "settings.configure(RQ={'AUTOCOMMIT': True}, INSTALLED_APPS=['django_rq'])\n"
         "import django; django.setup()\n"
         "from django_rq.queues import get_commit_mode; get_commit_mode()"],
        capture_output=True, text=True, timeout=60,
    )
    assert '"AUTOCOMMIT" is deprecated; use "COMMIT_MODE" instead.' in salida.stderr


def test_django_rq_la_ruta_antigua_del_panel_sigue_existiendo():
    salida = subprocess.run(
        [sys.executable, "-c",
         "from django.conf import settings\n"
         "settings.configure(INSTALLED_APPS=['django.contrib.contenttypes', 'django.contrib.auth', "
         "'django.contrib.admin', 'django_rq'])\n"
         "import django; django.setup()\n"
         "from django.urls import include; print(len(include('django_rq.urls')[0].urlpatterns) > 0)"],
        capture_output=True, text=True, timeout=60,
    )
    assert salida.stdout.strip() == "True", salida.stderr
