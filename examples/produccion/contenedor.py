"""Lo que hacen `docker stop` y Kubernetes al parar un contenedor, sin Docker.

Uso: python contenedor.py SEGUNDOS ORDEN...

Arranca ORDEN como el proceso principal de un "contenedor" (en su propia
sesión, como el proceso 1 de un contenedor). Cuando este programa recibe
SIGTERM (lo que serían `docker stop` o el borrado de un pod), manda SIGTERM
al proceso principal y espera como mucho SEGUNDOS, el periodo de gracia. Si
pasado ese tiempo sigue vivo, mata con SIGKILL todos los procesos del
contenedor, como hace el núcleo cuando muere el proceso 1.
"""

import contextlib
import os
import signal
import subprocess
import sys
import threading

import psutil

USO = "Uso: python contenedor.py SEGUNDOS ORDEN..."


def avisar(linea):
    """Una línea entera de una sola vez: lo que el proceso principal escribe
    en la misma terminal no puede colarse entre el texto y su salto de línea
    (print los escribe por separado)."""
    sys.stdout.write(linea + "\n")
    sys.stdout.flush()


def parar(principal, gracia):
    """SIGTERM al proceso principal; pasada la gracia, SIGKILL a todo el contenedor."""
    avisar(f"[contenedor] SIGTERM al proceso principal; periodo de gracia: {gracia} s")
    principal.send_signal(signal.SIGTERM)
    try:
        codigo = principal.wait(timeout=gracia)
        avisar(f"[contenedor] el proceso principal ha salido solo (código {codigo})")
        return
    except subprocess.TimeoutExpired:
        pass
    # Todos los procesos del contenedor: el principal y lo que cuelga de él.
    procesos = []
    with contextlib.suppress(psutil.NoSuchProcess):
        procesos = [psutil.Process(principal.pid)]
        procesos += procesos[0].children(recursive=True)
    for proceso in procesos:
        with contextlib.suppress(psutil.NoSuchProcess):
            proceso.kill()
    principal.wait()
    avisar(f"[contenedor] fin del periodo de gracia: SIGKILL a {len(procesos)} procesos")
    avisar(f"[contenedor] el proceso principal ha muerto (código {128 + signal.SIGKILL})")


def main():
    if len(sys.argv) < 3 or not sys.argv[1].isdigit():
        sys.exit(USO)
    gracia, orden = int(sys.argv[1]), sys.argv[2:]
    try:
        principal = subprocess.Popen(orden, start_new_session=True)
    except OSError as error:
        sys.exit(f"Error: no puedo arrancar {orden[0]}: {error.strerror}")
    avisar(f"[contenedor] PID {os.getpid()}; proceso principal: {' '.join(orden)}")

    parada = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: parada.set())
    signal.signal(signal.SIGINT, lambda *_: parada.set())
    while principal.poll() is None:
        if parada.wait(0.1):
            parar(principal, gracia)
            break
    # Como Docker: 128 + la señal que lo mató (137 para SIGKILL).
    codigo = principal.returncode
    sys.exit(128 - codigo if codigo < 0 else codigo)


if __name__ == "__main__":
    main()
