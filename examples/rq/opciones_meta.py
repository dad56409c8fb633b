"""meta: datos propios que viajan con el trabajo y que el trabajo puede actualizar."""

from rq import get_current_job


def preparar_pedido(numero):
    trabajo = get_current_job()
    trabajo.meta["estado"] = "preparado"
    trabajo.save_meta()  # Sin esto, el cambio no llega a Redis.
    return f"Pedido {numero} para {trabajo.meta['cliente']}"


def encolar_pedido(cola):
    return {"pedido": cola.enqueue(preparar_pedido, 42, meta={"cliente": "Ana", "canal": "web"})}
