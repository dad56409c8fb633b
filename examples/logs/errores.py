"""Lo que hace el worker con un error: manejadores de excepciones y un aviso.

  rq worker --exception-handler errores.apuntar_fallo
  rq worker -w errores.WorkerQueAvisa
"""

import os
import signal

from rq import Worker


def apuntar_fallo(trabajo, tipo, valor, traza):
    """Apunta el fallo en otro sitio (aquí, una línea en el log) y deja seguir a los demás.

    RQ llama a los manejadores en orden. Si uno devuelve False, los siguientes
    no se llaman; si devuelve None (como este) o True, se sigue.
    """
    print(f"[apuntar_fallo] {trabajo.func_name} ({trabajo.id}): {tipo.__name__}: {valor}", flush=True)


def morir_de_golpe():
    """Una tarea que muere como la mata el sistema cuando se queda sin memoria: SIGKILL."""
    os.kill(os.getpid(), signal.SIGKILL)


def avisar_hijo_muerto(trabajo, pid, estado, recursos):
    """Lo llama el worker cuando su hijo muere sin acabar: ningún manejador de excepciones lo oye."""
    # `estado` es el de os.waitpid; `recursos`, lo que gastó el hijo (os.wait4).
    print(f"[avisar_hijo_muerto] {trabajo.func_name} ({trabajo.id}): "
          f"el hijo murió con la señal {os.WTERMSIG(estado)}", flush=True)


class WorkerQueAvisa(Worker):
    """Un Worker con avisar_hijo_muerto: rq worker no tiene opción para él, así que va en la clase."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("work_horse_killed_handler", avisar_hijo_muerto)
        super().__init__(*args, **kwargs)
