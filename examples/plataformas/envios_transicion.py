"""La misma versión nueva, pero aceptando aún los trabajos de la anterior."""

import warnings


def enviar(pedido, prioridad="normal", urgente=None):
    if urgente is not None:
        # Un trabajo que encoló la versión anterior, enviar(pedido, urgente=...).
        # FutureWarning, y no DeprecationWarning, que Python oculta fuera de __main__:
        # así el aviso sale en el log del worker.
        warnings.warn("enviar(urgente=...) está obsoleto: usa prioridad=", FutureWarning)
        prioridad = "alta" if urgente else "normal"
    return f"Pedido {pedido} enviado con prioridad {prioridad}"
