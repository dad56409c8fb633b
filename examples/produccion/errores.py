"""Un manejador de excepciones para el worker: rq worker --exception-handler errores.apuntar_fallo"""


def apuntar_fallo(trabajo, tipo, valor, traza):
    """Apunta el fallo en otro sitio (aquí, una línea en el log) y deja seguir a los demás.

    RQ llama a los manejadores en orden. Si uno devuelve False, los siguientes
    no se llaman; si devuelve None (como este) o True, se sigue.
    """
    print(f"[apuntar_fallo] {trabajo.func_name} ({trabajo.id}): {tipo.__name__}: {valor}", flush=True)
