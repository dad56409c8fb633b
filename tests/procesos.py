"""Ejecutar ejemplos y workers como lo haría el lector, y no dejar nada vivo.

Todo se lanza como subproceso desde la carpeta del ejemplo, con el mismo
virtualenv y con REDIS_URL apuntando al Redis de las pruebas.
"""

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
EJEMPLOS = RAIZ / "examples"
BIN = Path(sys.executable).parent

# Bajo prueba, un "segundo" de trabajo de la tarea dura 10 ms.
ESCALA_PRUEBAS = "0.01"
# Con esta semilla, tres de los diez trabajos de rq-demo-02.py fallan (los de
# 5 y 6 segundos): el azar no siempre da justo uno de cada cinco. Los
# capítulos de workers y de fallos cuentan con ello.
SEMILLA_PRUEBAS = "guia-rq"


def entorno(**extra):
    """Entorno de un subproceso: el virtualenv primero en el PATH y sin búfer."""
    variables = dict(os.environ)
    variables["PATH"] = f"{BIN}{os.pathsep}{variables.get('PATH', '')}"
    variables["PYTHONUNBUFFERED"] = "1"
    variables.setdefault("TAREAS_ESCALA", ESCALA_PRUEBAS)
    variables.setdefault("TAREAS_SEMILLA", SEMILLA_PRUEBAS)
    variables.update({clave: str(valor) for clave, valor in extra.items()})
    return variables


def ejecutar(orden, carpeta="rq", timeout=60, **extra):
    """Ejecuta `orden` (lista o texto) en examples/<carpeta> y devuelve el resultado.

    La salida de error se mezcla con la normal, como en la terminal.
    """
    if isinstance(orden, str):
        orden = orden.split()
    return subprocess.run(
        orden, cwd=EJEMPLOS / carpeta, env=entorno(**extra), timeout=timeout,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def python(script, *argumentos, carpeta="rq", **extra):
    """`python script ...` desde examples/<carpeta>, como el lector."""
    return ejecutar([sys.executable, script, *argumentos], carpeta=carpeta, **extra)


def orden_rq(subcomando, *argumentos):
    """La línea de `rq <subcomando>` contra el Redis de las pruebas.

    `rq` no lee REDIS_URL (lee --url o RQ_REDIS_URL): se la pasamos.
    """
    return [str(BIN / "rq"), subcomando, "--url", os.environ["REDIS_URL"], *argumentos]


def orden_worker(*colas, opciones=()):
    """La línea de `rq worker` contra el Redis de las pruebas."""
    return orden_rq("worker", *opciones, *colas)


def worker_burst(*colas, opciones=(), carpeta="rq", **extra):
    """Un worker en modo burst: vacía las colas y termina."""
    return ejecutar(orden_worker(*colas, opciones=("--burst", *opciones)), carpeta=carpeta, **extra)


@contextlib.contextmanager
def en_marcha(orden, carpeta="rq", **extra):
    """Arranca un proceso largo (un worker, un servidor) y lo mata al salir.

    Va en su propio grupo de procesos: al final cae él y cualquier hijo
    (el work-horse de un worker, por ejemplo).
    """
    proceso = subprocess.Popen(
        orden, cwd=EJEMPLOS / carpeta, env=entorno(**extra), start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        yield proceso
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proceso.pid, signal.SIGTERM)
        try:
            proceso.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proceso.pid, signal.SIGKILL)
            proceso.wait()
        # Los nietos (un work-horse huérfano) comparten grupo: que no quede ninguno.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proceso.pid, signal.SIGKILL)
        if proceso.stdout:
            proceso.stdout.close()
