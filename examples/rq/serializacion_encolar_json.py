"""Encola un resumen de pedido en la cola `pedidos-json`, serializado con JSON.

Uso: python serializacion_encolar_json.py

Un worker solo podrá leerlo si también usa JSON: `rq worker -S json pedidos-json`.
"""

import sys

from rq import Queue

from conexion import conectar
from serializacion_pedidos import resumir_pedido

PEDIDO = {
    "cliente": "Ana",
    "lineas": [
        {"producto": "café", "precio": 9.95, "unidades": 2},
        {"producto": "taza", "precio": 6.5, "unidades": 1},
    ],
}


def main(argumentos):
    if argumentos:
        print("Uso: python serializacion_encolar_json.py  (sin argumentos)", file=sys.stderr)
        return 2
    # "json" es el alias de rq.serializers.JSONSerializer.
    cola = Queue("pedidos-json", connection=conectar(), serializer="json")
    trabajo = cola.enqueue(resumir_pedido, PEDIDO)
    print(f"Encolado en '{cola.name}' con JSON: {trabajo.id}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
