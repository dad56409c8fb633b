"""Ejecutar ejemplos y workers como lo haría el lector, y no dejar nada vivo.

Todo se lanza como subproceso desde una carpeta de examples/, con el mismo
virtualenv primero en el PATH y con REDIS_URL apuntando al Redis de las
pruebas, igual que en la terminal del lector después de "Antes de empezar".
Una orden escrita como texto la ejecuta bash, tal cual la teclea el lector
(tuberías, `$(...)` y `VARIABLE=valor orden` incluidos).
"""

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

from tests.arnes.medidas import apuntar_orden

RAIZ = Path(__file__).resolve().parents[2]
EJEMPLOS = RAIZ / "examples"
BIN = Path(sys.executable).parent

# Bajo prueba, un "segundo" de trabajo de la tarea dura 10 ms.
ESCALA_PRUEBAS = "0.01"
# La semilla que el libro pide exportar en "Antes de empezar": con ella, el
# azar de la tarea del libro cae igual en casa del lector que en el libro.
SEMILLA_PRUEBAS = "guia-rq"


def entorno(**extra):
    """Entorno de un subproceso: el virtualenv primero en el PATH y sin búfer."""
    variables = dict(os.environ)
    variables["PATH"] = f"{BIN}{os.pathsep}{variables.get('PATH', '')}"
    variables["PYTHONUNBUFFERED"] = "1"
    # La terminal de un lector, no un CI: con CI o BUILD_NUMBER, pytest deja
    # de recortar su resumen a 80 columnas y la salida ya no es la del libro;
    # y las opciones de nuestro pytest no son las del pytest del lector.
    for variable in ("CI", "BUILD_NUMBER", "PYTEST_ADDOPTS"):
        variables.pop(variable, None)
    variables.setdefault("TAREAS_ESCALA", ESCALA_PRUEBAS)
    variables.setdefault("TAREAS_SEMILLA", SEMILLA_PRUEBAS)
    variables.update({clave: str(valor) for clave, valor in extra.items()})
    return variables


def como_en_una_terminal():
    # Ctrl+C tiene que llegar: si las pruebas se lanzaron en segundo plano
    # (`make test &`), SIGINT llega ignorado y se heredaría; Python no pone su
    # manejador de Ctrl+C a una señal que ya venía ignorada.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _orden(orden):
    """Una lista se ejecuta tal cual; un texto, con bash, como en la terminal."""
    return ["bash", "-c", orden] if isinstance(orden, str) else [str(p) for p in orden]


def ejecutar(orden, carpeta="rq", timeout=60, **extra):
    """Ejecuta `orden` en examples/<carpeta> y devuelve el resultado.

    La salida de error se mezcla con la normal, como en la terminal.
    """
    apuntar_orden(orden)
    return subprocess.run(
        _orden(orden), cwd=EJEMPLOS / carpeta, env=entorno(**extra), timeout=timeout,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def python(script, *argumentos, carpeta="rq", **extra):
    """`python script ...` desde examples/<carpeta>, como el lector."""
    return ejecutar([sys.executable, script, *argumentos], carpeta=carpeta, **extra)


def orden_rq(subcomando, *argumentos):
    """La línea de `rq <subcomando>`: como toda orden `rq`, lee REDIS_URL del entorno."""
    return [str(BIN / "rq"), subcomando, *argumentos]


def orden_worker(*colas, opciones=()):
    """La línea de `rq worker [opciones] [colas]`."""
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


def matar(pid, senal=signal.SIGKILL):
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, senal)


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
    if cortesia and proceso.poll() is None:
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


class ProcesoVivo:
    """Un proceso largo (un worker, un servidor) con su salida recogida al vuelo.

    Se le pueden mandar señales, buscar su proceso hijo y esperar a que
    escriba algo. Al acabar no queda vivo nada suyo.
    """

    def __init__(self, orden, carpeta="rq", **extra):
        apuntar_orden(orden)
        self.proceso = subprocess.Popen(
            _orden(orden), cwd=EJEMPLOS / carpeta, env=entorno(**extra), start_new_session=True,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, preexec_fn=como_en_una_terminal,
        )
        self.hijos_vistos = set()
        # Dónde iba la salida en cada Ctrl+C: ahí lo repite la terminal ("^C").
        self.ecos_ctrl_c = []
        self._trozos = []
        self._lector = threading.Thread(target=self._leer, daemon=True)
        self._lector.start()

    @property
    def pid(self):
        """El PID del proceso que arrancó la orden (bash hace exec de una orden sola)."""
        return self.proceso.pid

    def _leer(self):
        # Por trozos, no por líneas: la tarea escribe sus puntos sin salto de
        # línea y queremos verlos en cuanto salen.
        descriptor = self.proceso.stdout.fileno()
        with contextlib.suppress(ValueError, OSError):
            while trozo := os.read(descriptor, 65536):
                self._trozos.append(trozo)

    def texto(self):
        return b"".join(self._trozos).decode("utf-8", errors="replace")

    def esperar_texto(self, texto, veces=1, limite=10.0):
        esperar(lambda: self.texto().count(texto) >= veces, limite, f"que el proceso escribiera {texto!r}")

    def hijo(self, limite=10.0):
        """El PID del proceso hijo (work-horse) que ejecuta el trabajo actual.

        Entre los hijos de un worker, el work-horse es el que tiene su propio
        grupo de procesos; el planificador, si lo hay, comparte el del worker.
        """
        def buscar():
            with contextlib.suppress(psutil.NoSuchProcess):
                for hijo in psutil.Process(self.pid).children():
                    with contextlib.suppress(ProcessLookupError):
                        if os.getpgid(hijo.pid) == hijo.pid:
                            return hijo.pid
            return None

        pid = esperar(buscar, limite, "que el worker tuviera un proceso hijo")
        self.hijos_vistos.add(pid)
        return pid

    def senal(self, senal):
        matar(self.pid, senal)

    def ctrl_c(self, limite=10.0, grupo=False):
        """Lo que hace Ctrl+C en su terminal: SIGINT y esperar a que salga.

        Con grupo=True, la señal va a todo su grupo de procesos, como la manda
        la terminal: hace falta cuando la orden deja a otro programa en primer
        plano (`make redis` y su redis-server).
        """
        self.ecos_ctrl_c.append(len(self.texto()))
        if grupo:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, signal.SIGINT)
        else:
            self.senal(signal.SIGINT)
        return self.esperar_fin(limite)

    def en_pantalla(self):
        """Su salida como la ve el lector: con el "^C" que escribe la terminal al pulsar Ctrl+C.

        La terminal lo escribe donde esté el cursor, justo antes de lo que
        el proceso escriba al recibir la señal.
        """
        texto = self.texto()
        for posicion in reversed(self.ecos_ctrl_c):
            texto = texto[:posicion] + "^C" + texto[posicion:]
        return texto

    def esperar_fin(self, limite=10.0, recoger=2.0):
        """Espera a que el proceso termine y devuelve su código de salida.

        Después espera hasta `recoger` segundos a que llegue el resto de su
        salida. Un hijo huérfano que siga vivo (un work-horse) mantiene
        abierta la salida: con recoger=0 no se le espera.
        """
        codigo = self.proceso.wait(timeout=limite)
        self._lector.join(timeout=recoger)
        return codigo

    def acabar(self, cortesia=False):
        """Sin dejar nada vivo: ni el proceso ni los hijos que le hayamos visto.

        Sin cortesías por defecto (SIGKILL): lo que había que ver ya se ha
        visto, y una despedida en regla le cuesta a un worker hasta un segundo.
        """
        acabar_con(self.proceso, cortesia=cortesia, tambien=self.hijos_vistos)
        self._lector.join(timeout=5)
        self.proceso.stdout.close()


@contextlib.contextmanager
def en_marcha(orden, carpeta="rq", cortesia=True, **extra):
    """Arranca un proceso largo y lo termina al salir, con todo lo que cuelgue de él."""
    vivo = ProcesoVivo(orden, carpeta=carpeta, **extra)
    try:
        yield vivo
    finally:
        vivo.acabar(cortesia=cortesia)


@contextlib.contextmanager
def worker_vivo(*opciones, colas=(), carpeta="rq", **extra):
    """Arranca ``rq worker [opciones] [colas]`` en examples/<carpeta>."""
    with en_marcha(orden_worker(*colas, opciones=opciones), carpeta=carpeta, cortesia=False, **extra) as worker:
        yield worker
