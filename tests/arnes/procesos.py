"""Ejecutar ejemplos y workers como lo haría el lector, y no dejar nada vivo.

Todo se lanza como subproceso desde la carpeta del ejemplo, con el mismo
virtualenv y con REDIS_URL apuntando al Redis de las pruebas.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

RAIZ = Path(__file__).resolve().parents[2]
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


def esperar(condicion, limite=10.0, que="la condición"):
    """Espera a que `condicion()` sea cierta y devuelve su valor; falla con un mensaje claro si no llega."""
    fin = time.monotonic() + limite
    while time.monotonic() < fin:
        valor = condicion()
        if valor:
            return valor
        time.sleep(0.02)
    raise AssertionError(f"pasaron {limite} s sin que se cumpliera {que}")


def muerto(pid):
    """Ya no existe, o es un zombi que solo espera a que alguien lo recoja."""
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def _descendientes(pid):
    with contextlib.suppress(psutil.NoSuchProcess):
        return {p.pid for p in psutil.Process(pid).children(recursive=True)}
    return set()


def acabar_con(proceso, cortesia=True, tambien=()):
    """Termina `proceso`, su grupo y todos sus descendientes, y espera a que mueran.

    El grupo no basta: RQ pone cada work-horse en un grupo propio
    (os.setpgrp), así que lo buscamos entre los descendientes. `tambien` son
    PIDs que ya no cuelgan de él (un work-horse huérfano). Con cortesia, el
    proceso recibe antes SIGTERM y hasta 10 s para despedirse.
    """
    restos = set(tambien) | _descendientes(proceso.pid)
    if cortesia:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proceso.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proceso.wait(timeout=10)
    restos |= _descendientes(proceso.pid)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proceso.pid, signal.SIGKILL)
    for pid in restos:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    proceso.wait(timeout=10)
    esperar(lambda: all(muerto(pid) for pid in restos), que="que no quedara ningún proceso hijo")


@contextlib.contextmanager
def en_marcha(orden, carpeta="rq", **extra):
    """Arranca un proceso largo (un worker, un servidor) y lo mata al salir,
    a él y a cualquier descendiente (el work-horse de un worker, por ejemplo)."""
    proceso = subprocess.Popen(
        orden, cwd=EJEMPLOS / carpeta, env=entorno(**extra), start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        yield proceso
    finally:
        acabar_con(proceso)
        if proceso.stdout:
            proceso.stdout.close()
