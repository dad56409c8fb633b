"""Capítulo de plataformas: por qué el worker no encuentra una tarea, macOS y Windows."""

import inspect
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from rq import Queue, SimpleWorker
from rq.job import JobStatus
from rq.timeouts import TimerDeathPenalty
from rq.utils import import_attribute
from rq.worker import SpawnWorker, Worker

from tests.arnes import procesos

CARPETA = "plataformas"
ENTORNO = {"PYTHONPATH": "../rq"}


def test_un_import_que_falla_dentro_del_modulo_se_ve_como_invalid_attribute_name(monkeypatch):
    # El módulo existe, pero importa algo que no está: RQ se traga el ImportError.
    with tempfile.TemporaryDirectory(prefix="guia-rq-modulo-") as carpeta:
        Path(carpeta, "con_dependencia.py").write_text("import paquete_que_no_existe\n\ndef f():\n    pass\n")
        monkeypatch.syspath_prepend(carpeta)
        with pytest.raises(ValueError, match="^Invalid attribute name: con_dependencia.f$"):
            import_attribute("con_dependencia.f")
        with pytest.raises(ModuleNotFoundError, match="paquete_que_no_existe"):
            __import__("con_dependencia")


def test_lambdas_y_anidadas_se_encolan_pero_no_se_pueden_importar(redis_conexion):
    sys.path.insert(0, str(procesos.EJEMPLOS / CARPETA))
    try:
        import calculos

        cola = Queue(connection=redis_conexion)
        nombres = [cola.enqueue(f, 1).func_name for f in (calculos.doble, calculos.sumador(2))]
        assert nombres == ["calculos.<lambda>", "calculos.sumador.<locals>.sumar"]
        # El error solo enseña el último trozo del nombre: "sumar", no el camino entero.
        for nombre, enseña in zip(nombres, ("<lambda>", "sumar")):
            with pytest.raises(ValueError, match=f"^Invalid attribute name: {enseña}$"):
                import_attribute(nombre)
        assert import_attribute("calculos.sumar") is calculos.sumar
    finally:
        sys.path.remove(str(procesos.EJEMPLOS / CARPETA))
        sys.modules.pop("calculos", None)


def test_rq_rechaza_al_encolar_las_funciones_de_main(redis_conexion):
    def tarea():
        pass

    tarea.__module__ = "__main__"
    with pytest.raises(ValueError, match="Functions from the __main__ module cannot be processed by workers"):
        Queue(connection=redis_conexion).enqueue(tarea)


def test_spawnworker_usa_llamadas_que_windows_no_tiene():
    # os.posix_spawn, os.wait4 y os.killpg son solo de Unix (documentación de os).
    assert "os.posix_spawn(" in inspect.getsource(SpawnWorker.fork_work_horse)
    assert issubclass(SpawnWorker, Worker)
    assert "os.wait4(" in inspect.getsource(Worker.wait_for_horse)
    assert "os.killpg(" in inspect.getsource(Worker.kill_horse)
    assert "os.fork()" in inspect.getsource(Worker.fork_work_horse)


def test_sin_sigalrm_rq_elige_timerdeathpenalty():
    codigo = (
        "import signal; del signal.SIGALRM\n"
        "from rq import SimpleWorker; print(SimpleWorker.death_penalty_class.__name__)"
    )
    salida = subprocess.run([sys.executable, "-c", codigo], capture_output=True, text=True, timeout=60)
    assert salida.stdout.strip() == "TimerDeathPenalty", salida.stderr
    assert Worker.death_penalty_class.__name__ == "UnixSignalDeathPenalty"  # Con SIGALRM, la de siempre.


def test_el_temporizador_no_corta_una_llamada_bloqueada_en_c(redis_conexion):
    """TimerDeathPenalty lanza la excepción cuando el hilo vuelve a Python: time.sleep acaba antes."""
    cola = Queue(connection=redis_conexion)
    trabajo = cola.enqueue("time.sleep", 1.5, job_timeout=1)
    worker = SimpleWorker([cola], connection=redis_conexion)
    worker.death_penalty_class = TimerDeathPenalty
    inicio = time.monotonic()
    worker.work(burst=True)
    assert time.monotonic() - inicio >= 1.5
    assert trabajo.get_status() == JobStatus.FAILED
    assert "JobTimeoutException" in trabajo.latest_result().exc_string


def test_un_hijo_que_aborta_deja_en_el_log_la_senal_6(redis_conexion):
    # Lo que ve el lector en macOS cuando el sistema aborta el proceso hijo (SIGABRT).
    trabajo = Queue(connection=redis_conexion).enqueue("os.abort")
    worker = procesos.worker_burst(carpeta=CARPETA)
    assert "Work-horse terminated unexpectedly; waitpid returned 6 (signal 6)" in worker.stdout
    assert trabajo.get_status() == JobStatus.FAILED


def test_un_trabajo_con_la_firma_vieja_falla_y_la_transicion_lo_acepta(redis_conexion):
    for modulo, estado in (("envios", JobStatus.FAILED), ("envios_transicion", JobStatus.FINISHED)):
        procesos.python("encolar_como_antes.py", modulo, carpeta=CARPETA, **ENTORNO)
    worker = procesos.worker_burst(carpeta=CARPETA)
    assert "TypeError: enviar() got an unexpected keyword argument 'urgente'" in worker.stdout
    # El FutureWarning de la versión de transición sale en el log del worker.
    assert "FutureWarning: enviar(urgente=...) está obsoleto: usa prioridad=" in worker.stdout
    resultados = {}
    for id_ in Queue(connection=redis_conexion).finished_job_registry.get_job_ids():
        resultados[id_] = Queue(connection=redis_conexion).fetch_job(id_).return_value()
    assert list(resultados.values()) == ["Pedido 7 enviado con prioridad alta"]


@pytest.mark.parametrize("script, argumentos", [
    ("encolar_como_antes.py", []),
    ("medir_arranque.py", ["1"]),
    ("medir_arranque.py", ["muchos"]),
])
def test_argumentos_malos_dan_el_uso_y_el_codigo_2(script, argumentos):
    resultado = procesos.python(script, *argumentos, carpeta=CARPETA, **ENTORNO)
    assert resultado.returncode == 2
    assert resultado.stdout.startswith(f"Uso: python {script}") and resultado.stdout.count("\n") == 1


@pytest.mark.parametrize("script", [
    "encolar_aviso.py", "encolar_informe.py", "encolar_calculos.py", "encolar_lenta.py", "medir_arranque.py",
    "ultimo_trabajo.py",
])
def test_sin_redis_cada_script_da_una_linea_y_sale_con_1(script):
    resultado = procesos.python(script, carpeta=CARPETA, REDIS_URL="redis://127.0.0.1:1/0", **ENTORNO)
    assert resultado.returncode == 1
    assert resultado.stdout.startswith("Error: no puedo conectar con Redis") and resultado.stdout.count("\n") == 1


def test_en_macos_urllib_consulta_los_proxies_del_sistema():
    # Lo que lleva a las bibliotecas de Objective-C sin saberlo: _scproxy (SystemConfiguration).
    import urllib.request

    fuente = inspect.getsource(urllib.request)
    assert "if sys.platform == 'darwin':\n    from _scproxy import _get_proxy_settings, _get_proxies" in fuente
    import requests.utils

    assert requests.utils.getproxies is urllib.request.getproxies


def test_el_hijo_de_spawnworker_no_escribe_sus_lineas_de_info(redis_conexion):
    """El trabajo acaba bien, pero el log no lo dice: el hijo no configura el logging."""
    cola = Queue(connection=redis_conexion)
    bien = cola.enqueue("avisos.avisar", "ana")
    mal = cola.enqueue("calculos.sumar", 1, "x")
    worker = procesos.worker_burst(opciones=("--worker-class", "rq.worker.SpawnWorker"), carpeta=CARPETA)
    assert bien.get_status() == JobStatus.FINISHED and bien.return_value() == "Aviso enviado a ana"
    assert mal.get_status() == JobStatus.FAILED
    assert "Job OK" not in worker.stdout and "result is kept" not in worker.stdout
    # Los errores sí salen, sin la hora delante (el manejador de último recurso de logging).
    assert f"\nWorker {worker.stdout.split('Worker ')[1].split(':')[0]}: job {mal.id}: exception raised" in worker.stdout


def test_sin_fork_el_planificador_usa_el_metodo_por_omision_de_multiprocessing():
    import multiprocessing

    import rq.scheduler

    fuente = inspect.getsource(rq.scheduler)
    assert "try:\n    ForkProcess = get_context('fork').Process\nexcept ValueError:\n    ForkProcess = Process" in fuente
    assert rq.scheduler.ForkProcess is multiprocessing.get_context("fork").Process  # Aquí, con fork().


def test_la_version_de_transicion_acepta_la_firma_vieja_y_avisa():
    import runpy

    nueva = runpy.run_path(str(procesos.EJEMPLOS / CARPETA / "envios.py"))["enviar"]
    transicion = runpy.run_path(str(procesos.EJEMPLOS / CARPETA / "envios_transicion.py"))["enviar"]
    with pytest.raises(TypeError, match="unexpected keyword argument 'urgente'"):
        nueva(7, urgente=True)
    with pytest.warns(FutureWarning, match="usa prioridad="):
        assert transicion(7, urgente=True) == "Pedido 7 enviado con prioridad alta"
    assert transicion(7) == nueva(7) == "Pedido 7 enviado con prioridad normal"


@pytest.mark.parametrize("categoria, entorno, se_ve", [
    ("DeprecationWarning", {}, False),
    ("DeprecationWarning", {"PYTHONWARNINGS": "default"}, True),
    ("FutureWarning", {}, True),
])
def test_python_oculta_los_deprecationwarning_fuera_de_main(categoria, entorno, se_ve):
    """Por eso envios_transicion.py avisa con FutureWarning: el DeprecationWarning no llegaría al log."""
    import os

    with tempfile.TemporaryDirectory(prefix="guia-rq-avisos-") as carpeta:
        Path(carpeta, "modulo_que_avisa.py").write_text(
            f"import warnings\n\ndef f():\n    warnings.warn('obsoleto', {categoria})\n"
        )
        limpio = {k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"}
        salida = subprocess.run(
            [sys.executable, "-c", "import modulo_que_avisa; modulo_que_avisa.f()"],
            cwd=carpeta, capture_output=True, text=True, timeout=60, env={**limpio, **entorno},
        )
    assert (f"{categoria}: obsoleto" in salida.stderr) is se_ve, salida.stderr


def test_simpleworker_ejecuta_el_trabajo_en_su_mismo_proceso(redis_conexion):
    import os

    cola = Queue(connection=redis_conexion)
    trabajo = cola.enqueue("os.getpid")
    SimpleWorker([cola], connection=redis_conexion).work(burst=True)
    assert trabajo.return_value() == os.getpid()


def test_la_tarea_del_libro_duerme_de_segundo_en_segundo():
    # Por eso el temporizador la corta al segundo: vuelve a Python tras cada time.sleep(ESCALA).
    import runpy

    tarea = runpy.run_path(str(procesos.EJEMPLOS / "rq" / "tareas.py"))["tarea_pesada_y_falible"]
    assert "for _ in range(segundos):\n        time.sleep(ESCALA)" in inspect.getsource(tarea)


def test_sin_fork_el_trabajo_se_queda_en_curso(redis_conexion):
    """El worker de como_en_windows.py se cae al crear el hijo: el trabajo queda en StartedJobRegistry."""
    cola = Queue(connection=redis_conexion)
    trabajo = cola.enqueue("avisos.avisar", "ana")
    resultado = procesos.python("como_en_windows.py", "worker", "--burst", carpeta=CARPETA, **ENTORNO)
    assert "AttributeError: module 'os' has no attribute 'fork'" in resultado.stdout
    assert cola.started_job_registry.get_job_ids() == [trabajo.id]
    assert len(cola) == 0


def test_pip_python_existe_desde_pip_22_3():
    # "Added in version 22.3" (documentación de pip, topics/python-option); lo hace __pip-runner__.py.
    import pip
    from packaging.version import Version

    assert Version(pip.__version__) >= Version("22.3")
    assert (Path(pip.__file__).parent / "__pip-runner__.py").is_file()
