"""on_success, on_failure y on_stopped: funciones que RQ llama al acabar un trabajo."""

from rq import Callback
from rq.command import send_stop_job_command

from tareas_opciones import dormir, fallar, sumar


def al_terminar_bien(trabajo, conexion, resultado):
    _avisar(conexion, f"✔ {trabajo.description} devolvió {resultado!r}")


def al_fallar(trabajo, conexion, tipo, valor, traza):
    _avisar(conexion, f"✘ {trabajo.description} falló: {tipo.__name__}: {valor}")


def al_parar(trabajo, conexion):
    _avisar(conexion, f"■ {trabajo.description} parado a mano")


def _avisar(conexion, texto):
    # Los callbacks corren en el worker: lo imprimimos en su registro y lo
    # dejamos en Redis, con la conexión que nos pasa RQ.
    print(texto, flush=True)
    conexion.rpush("avisos", texto)


def encolar_con_callbacks(cola):
    avisos = {"on_success": Callback(al_terminar_bien), "on_failure": Callback(al_fallar)}
    return {
        "bien": cola.enqueue(sumar, 2, 3, **avisos),
        "mal": cola.enqueue(fallar, "a propósito", **avisos),
    }


def encolar_para_parar(cola):
    return {"largo": cola.enqueue(dormir, 30, on_stopped=Callback(al_parar))}


def parar(trabajo):
    """Pide al worker que está ejecutando `trabajo` que lo pare."""
    send_stop_job_command(trabajo.connection, trabajo.id)
