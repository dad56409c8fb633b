"""Imitación, en Linux o macOS, de lo que RQ encuentra en Windows.

Uso: python como_en_windows.py worker [opciones de rq worker]

Quita de los módulos os y signal lo que Windows no tiene (fork, posix_spawn,
los grupos de procesos, SIGALRM...) y arranca la orden rq con el resto de
argumentos. No es Windows: es una forma de ver, sin salir de este sistema,
qué partes de RQ dependen de POSIX.
"""

import os
import signal
import sys

LO_QUE_WINDOWS_NO_TIENE = {
    os: ["fork", "posix_spawn", "killpg", "getpgid", "setpgrp", "wait4"],
    signal: ["SIGALRM", "SIGKILL", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGRTMIN", "alarm", "setitimer"],
}


def main():
    for modulo, nombres in LO_QUE_WINDOWS_NO_TIENE.items():
        for nombre in nombres:
            if hasattr(modulo, nombre):
                delattr(modulo, nombre)
    # Solo ahora se importa RQ: al importarse, elige cómo cortar los trabajos largos.
    from rq.cli import main as rq

    rq(sys.argv[1:], prog_name="rq")


if __name__ == "__main__":
    main()
