"""Apéndice de migración: lo que la tabla afirma y las salidas no enseñan ya."""

import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

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


def _fuente_de_rq_1_11(modulo):
    """El código de RQ 1.11.1, leído de su rueda (la misma que instala el apéndice)."""
    import zipfile

    from tests.arnes import ruedas
    from tests.escenarios.migracion import ANTIGUAS

    fichero = ruedas.RUEDAS / "rq-1.11.1-py2.py3-none-any.whl"
    if not fichero.is_file():  # pip tarda unos segundos aunque ya la tenga: solo si falta.
        ruedas.asegurar(*ANTIGUAS)
    with zipfile.ZipFile(fichero) as rueda:
        return rueda.read(f"rq/{modulo}.py").decode()


def _python(version):
    """El python de esa versión: el de pyenv (sin pasar por sus shims) o el del PATH."""
    import os
    import shutil

    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    return next((str(p) for p in sorted(pyenv.glob(f"versions/{version}.*/bin/python{version}"))), None) or (
        shutil.which(f"python{version}")
    )


def test_rq_1_11_usa_utcnow_que_avisa_desde_python_3_12():
    assert "datetime.datetime.utcnow()" in _fuente_de_rq_1_11("utils")
    python = _python("3.12")
    if python is None:
        pytest.skip("sin python3.12 no puedo ver el aviso de utcnow()")
    salida = subprocess.run(
        [python, "-W", "error::DeprecationWarning", "-c", "import datetime; datetime.datetime.utcnow()"],
        capture_output=True, text=True, timeout=60,
    )
    assert "DeprecationWarning: datetime.datetime.utcnow() is deprecated" in salida.stderr


def test_probar_no_ensena_el_aviso_de_utcnow(capsys):
    import warnings

    sys.path.insert(0, str(MIGRACION))
    try:
        from comprobar import probar
    finally:
        sys.path.remove(str(MIGRACION))

    def avisa_dos_veces():
        warnings.warn("datetime.datetime.utcnow() is deprecated and scheduled for removal", DeprecationWarning)
        warnings.warn("job.result is deprecated", DeprecationWarning)
        return 1

    probar([avisa_dos_veces])
    salida = capsys.readouterr().out
    assert "utcnow" not in salida and "y avisa DeprecationWarning: job.result is deprecated" in salida


def test_queue_sin_conexion_dentro_de_un_trabajo_falla_con_typeerror(redis_conexion):
    from rq import Queue, SimpleWorker

    sys.path.insert(0, str(MIGRACION))
    try:
        cola = Queue(connection=redis_conexion)
        trabajo = cola.enqueue("trabajos.encadenar_sin_conexion")
        SimpleWorker([cola], connection=redis_conexion).work(burst=True)
    finally:
        sys.path.remove(str(MIGRACION))
        sys.modules.pop("trabajos", None)
    ultima = trabajo.latest_result().exc_string.strip().splitlines()[-1]
    assert ultima == "TypeError: Queue() missing 1 required positional argument: 'connection'"


def test_job_exists_devolvia_el_numero_de_redis_y_ahora_un_bool(redis_conexion):
    from rq import Queue
    from rq.job import Job

    assert "return conn.exists(cls.key_for(job_id))" in _fuente_de_rq_1_11("job")
    trabajo = Queue(connection=redis_conexion).enqueue("trabajos.sumar", 2, 3)
    assert redis_conexion.exists(trabajo.key) == 1
    existe = Job.exists(trabajo.id, connection=redis_conexion)
    assert existe is True and existe == 1


def test_el_cerrojo_de_limpieza_que_deja_rq_1_11_lo_respeta_rq_3(redis_conexion):
    from rq import Queue

    antigua_cola = _fuente_de_rq_1_11("queue")
    antiguo_worker = _fuente_de_rq_1_11("worker")
    # RQ 1.11: toma el cerrojo (899 s) y no lo suelta.
    assert "return self.connection.set(self.registry_cleaning_key, 1, nx=1, ex=899)" in antigua_cola
    assert "return 'rq:clean_registries:%s' % self.name" in antigua_cola
    assert "release" not in antiguo_worker.split("def clean_registries(self):")[1].split("def ")[0]
    cola = Queue(connection=redis_conexion)
    assert cola.registry_cleaning_key == "rq:clean_registries:default"
    redis_conexion.set(cola.registry_cleaning_key, 1, ex=899)  # Lo que deja el worker de RQ 1.11.
    assert cola.acquire_maintenance_lock() is False
