"""La versión nueva de la tarea de envíos: `urgente` pasó a ser `prioridad`."""


def enviar(pedido, prioridad="normal"):
    return f"Pedido {pedido} enviado con prioridad {prioridad}"
