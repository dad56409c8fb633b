"""Apéndice de migración: lo que la tabla afirma y las salidas no enseñan ya."""

import os
import re
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.arnes import procesos, ruedas

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
        if "(sin ejecutar)" in fila["cambio"]:
            continue  # Documentales: sus versiones, en las ruedas (pruebas de abajo).
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


def _rueda(paquete, version):
    """La rueda guardada de `paquete`==`version` (la baja si falta; sin red, se salta)."""
    nombre = paquete.replace("-", "_")
    encontradas = sorted(ruedas.RUEDAS.glob(f"{nombre}-{version}-*.whl"))
    if not encontradas:  # pip tarda unos segundos aunque ya la tenga: solo si falta.
        ruedas.asegurar_o_saltar("--no-deps", f"{paquete}=={version}")
        encontradas = sorted(ruedas.RUEDAS.glob(f"{nombre}-{version}-*.whl"))
    return zipfile.ZipFile(encontradas[0])


def _leer(paquete, version, ruta):
    with _rueda(paquete, version) as rueda:
        if ruta == "METADATA":
            ruta = f"{paquete.replace('-', '_')}-{version}.dist-info/METADATA"
        nombres = rueda.namelist()
        return rueda.read(ruta).decode() if ruta in nombres else None


def _fuente_de_rq_1_11(modulo):
    """El código de RQ 1.11.1, leído de su rueda (la misma que instala el apéndice)."""
    return _leer("rq", "1.11.1", f"rq/{modulo}.py")


# Lo que dice cada fila de la tabla sobre versiones, leído en las ruedas de esas
# versiones (su código y sus metadatos: Requires-Python, Requires-Dist y el README).
@pytest.mark.parametrize("paquete, version, ruta, texto, esta", [
    # Conexión en un bloque: Connection() avisa desde 1.13.0, no en 1.12.0; 2.0 la quita.
    ("rq", "1.12.0", "rq/connections.py", "warnings.warn", False),
    ("rq", "1.13.0", "rq/connections.py", "The Conneciton context manager is deprecated", True),
    ("rq", "2.0.0", "rq/connections.py", "def Connection", False),
    # Resultado y error de un trabajo: ya avisan en 1.12.0.
    ("rq", "1.12.0", "rq/job.py", "job.result is deprecated", True),
    ("rq", "1.12.0", "rq/job.py", "job.exc_info is deprecated", True),
    # Versiones mínimas: Python 3.10 desde 2.9.0; redis-py 5.0.1 desde 3.0.0.
    ("rq", "1.11.1", "METADATA", "Requires-Python: >=3.5", True),
    ("rq", "1.11.1", "METADATA", "Requires-Dist: redis (>=3.5.0)", True),
    ("rq", "2.8.0", "METADATA", "Requires-Python: >=3.9", True),
    ("rq", "2.9.0", "METADATA", "Requires-Python: >=3.10", True),
    ("rq", "2.12.0", "METADATA", "Requires-Dist: redis!=6,>=3.5", True),
    # Servidor mínimo: lo que dice el README de cada versión (el de 1.11.1 no va en su
    # rueda; en su repositorio dice lo mismo que el de 2.0.0).
    ("rq", "2.0.0", "METADATA", "RQ requires Redis >= 3.0.0.", True),
    ("rq", "2.3.0", "METADATA", "RQ requires Redis >= 4 or Valkey >= 7.2.", True),
    ("rq", "2.4.0", "METADATA", "RQ requires Redis >= 5 or Valkey >= 7.2.", True),
    # Sentry: 1.x tenía rq worker --sentry-dsn y rq/contrib/sentry.py; 2.0.0, ninguno.
    ("rq", "1.11.1", "rq/cli/cli.py", "--sentry-dsn", True),
    ("rq", "2.0.0", "rq/cli/cli.py", "sentry", False),
    # rate_limit: RQ 1.11 no lo conocía (llegaba a la tarea).
    ("rq", "1.11.1", "rq/queue.py", "rate_limit", False),
    # django-rq: rqworker --sentry-dsn hasta 3.x; 4.0.0 lo quitó.
    ("django-rq", "3.2.2", "django_rq/management/commands/rqworker.py", "--sentry-dsn", True),
    ("django-rq", "4.0.0", "django_rq/management/commands/rqworker.py", "sentry", False),
])
def test_las_versiones_de_la_tabla_salen_de_las_ruedas(paquete, version, ruta, texto, esta):
    contenido = _leer(paquete, version, ruta) or ""
    assert (texto in contenido) is esta, f"{paquete} {version}, {ruta}: {texto!r}"


def test_rq_2_quito_su_integracion_con_sentry():
    assert _leer("rq", "1.11.1", "rq/contrib/sentry.py") is not None
    assert _leer("rq", "2.0.0", "rq/contrib/sentry.py") is None


def test_rate_limit_es_de_rq_desde_3_0(redis_conexion):
    from rq import Queue

    cola = Queue(connection=redis_conexion)
    with pytest.raises(AttributeError, match="'int' object has no attribute 'key'"):
        cola.enqueue("trabajos.sumar", 2, 3, rate_limit=5)
    trabajo = cola.enqueue("trabajos.sumar", args=(2, 3), kwargs={"rate_limit": 5})
    assert trabajo.kwargs == {"rate_limit": 5}


def test_sin_red_ni_ruedas_se_salta_con_su_motivo_y_en_ci_falla(tmp_path, monkeypatch):
    """Un lector sin red ve por qué se salta la prueba del entorno antiguo; CI no la salta nunca."""
    monkeypatch.setattr(ruedas, "RUEDAS", tmp_path)
    # Un índice en un puerto de 127.0.0.1 donde no escucha nadie: pip no puede bajar nada.
    for variable, valor in {"PIP_CONFIG_FILE": os.devnull, "PIP_FIND_LINKS": "", "PIP_RETRIES": "0",
                            "PIP_INDEX_URL": "http://127.0.0.1:9/simple/", "PIP_DEFAULT_TIMEOUT": "2"}.items():
        monkeypatch.setenv(variable, valor)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"faltan las ruedas de rq==1\.11\.1 en .* y pip no puede"):
        ruedas.asegurar_o_saltar("rq==1.11.1")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="en CI no se salta"):
        ruedas.asegurar_o_saltar("rq==1.11.1")


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
