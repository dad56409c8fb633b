"""Las tareas de la tienda: un módulo dentro del paquete `tienda`."""


def confirmar(numero):
    return f"Pedido {numero} confirmado"
