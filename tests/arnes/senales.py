"""Workers en marcha, señales de verdad y esperas con límite.

Lo usan las pruebas y los escenarios del capítulo de fallos. Un ``rq worker``
lanzado aquí se puede mirar (su salida se recoge en segundo plano), se le
puede buscar el proceso hijo y se le pueden mandar señales. Al terminar, no
queda vivo nada: ni el worker ni sus procesos hijos, que RQ pone en su propio
grupo de procesos (``os.setpgrp``) y por eso no caen con el grupo del worker.
"""

import contextlib
import os
import signal
import subprocess
import threading

import psutil

from tests.arnes import procesos
from tests.arnes.procesos import esperar


def matar(pid, senal=signal.SIGKILL):
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, senal)

class WorkerVivo:
    """Un ``rq worker`` en marcha, con su salida recogida línea a línea."""

    def __init__(self, proceso):
        self.proceso = proceso
        self.hijos_vistos = set()
        self._trozos = []
        self._lector = threading.Thread(target=self._leer, daemon=True)
        self._lector.start()

    @property
    def pid(self):
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
        esperar(lambda: self.texto().count(texto) >= veces, limite, f"que el worker escribiera {texto!r}")

    def hijo(self, limite=10.0):
        """El PID del proceso hijo (work-horse) que ejecuta el trabajo actual.

        Entre los hijos del worker, el work-horse es el que tiene su propio
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

    def esperar_fin(self, limite=10.0):
        """Espera a que el worker termine solo y devuelve su código de salida."""
        return self.proceso.wait(timeout=limite)

    def acabar(self):
        """Sin dejar nada vivo: ni el worker ni los hijos que le hayamos visto.

        Sin cortesías (SIGKILL): lo que había que ver, la prueba ya lo ha
        visto, y una despedida en regla le cuesta al worker hasta un segundo.
        """
        procesos.acabar_con(self.proceso, cortesia=False, tambien=self.hijos_vistos)
        self._lector.join(timeout=5)
        self.proceso.stdout.close()

@contextlib.contextmanager
def worker_vivo(*opciones, colas=(), carpeta="rq"):
    """Arranca ``rq worker [opciones] [colas]`` en examples/<carpeta>."""
    proceso = subprocess.Popen(
        procesos.orden_worker(*colas, opciones=opciones), cwd=procesos.EJEMPLOS / carpeta,
        env=procesos.entorno(), start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    worker = WorkerVivo(proceso)
    try:
        yield worker
    finally:
        worker.acabar()
