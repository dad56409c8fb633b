"""Los avisos (callbacks) de los trabajos del capítulo de señales.

Viven en su propio módulo, y no en el script que encola, por la misma razón
que las tareas: RQ guarda solo su nombre ("avisos.al_fallar") y quien lo
llame tiene que poder importarlo.
"""


def al_fallar(trabajo, conexion, tipo, valor, traza):
    """on_failure: RQ lo llama con la excepción del fallo. Aquí solo avisa.

    Lo ejecuta el proceso que se da cuenta del fallo: el worker, si la tarea
    lanza una excepción; si el trabajo se ha quedado abandonado, cualquiera
    que limpie su registro de trabajos en curso.
    """
    print(f"Aviso: {trabajo.description} ha fallado ({tipo.__name__})", flush=True)
