"""Encola un resumen de pedido en la cola `pedidos-json`, serializado con JSON.

Un worker solo podrá leerlo si también usa JSON: `rq worker -S json pedidos-json`.
"""

from rq import Queue
from rq.serializers import JSONSerializer

from conexion import conectar
from serializacion_pedidos import resumir_pedido

PEDIDO = {
    "cliente": "Ana",
    "lineas": [
        {"producto": "café", "precio": 9.95, "unidades": 2},
        {"producto": "taza", "precio": 6.5, "unidades": 1},
    ],
}

if __name__ == "__main__":
    cola = Queue("pedidos-json", connection=conectar(), serializer=JSONSerializer)
    trabajo = cola.enqueue(resumir_pedido, PEDIDO)
    print(f"Encolado en '{cola.name}' con JSON: {trabajo.id}")
