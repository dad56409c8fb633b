"""on_success, on_failure y on_stopped: funciones que RQ llama al acabar un trabajo."""

from rq import Callback, Retry

from tareas import tarea_pesada_y_falible


def al_terminar_bien(trabajo, conexion, resultado):
    print(f"✔ {trabajo.description} devolvió {resultado!r}", flush=True)


def al_fallar(trabajo, conexion, tipo, valor, traza):
    print(f"✘ {trabajo.description} falló: {tipo.__name__}: {valor}", flush=True)


def al_parar(trabajo, conexion):
    print(f"■ {trabajo.description} parado a mano", flush=True)


def avisar_por_correo(trabajo, conexion, resultado):
    # Un aviso que falla: el trabajo había terminado bien, pero RQ lo dará por fallido.
    raise ConnectionError("el servidor de correo no contesta")


def encolar_con_callbacks(cola):
    avisos = {"on_success": Callback(al_terminar_bien), "on_failure": Callback(al_fallar)}
    return {
        "bien": cola.enqueue(tarea_pesada_y_falible, 1, fallar=False, **avisos),
        "correo": cola.enqueue(
            tarea_pesada_y_falible, 2, fallar=False,
            on_success=Callback(avisar_por_correo), on_failure=Callback(al_fallar),
        ),
        # Falla siempre y se reintenta una vez: dos intentos, dos fallos.
        "mal": cola.enqueue(tarea_pesada_y_falible, 3, fallar=True, retry=Retry(max=1), **avisos),
    }
