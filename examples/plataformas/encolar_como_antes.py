"""Encola un envío como lo hacía la versión anterior del código.

Uso: python encolar_como_antes.py MODULO   (envios o envios_transicion)

Es lo que pasa durante un despliegue: la aplicación web aún no se ha
reiniciado, o el trabajo llevaba un rato esperando en la cola, y la llamada
se guardó con la firma antigua, enviar(pedido, urgente=True).
"""

import sys

from rq import Queue

from conexion import conectar


def main(argumentos):
    if len(argumentos) != 1:
        print("Uso: python encolar_como_antes.py MODULO   (envios o envios_transicion)", file=sys.stderr)
        return 2
    cola = Queue(connection=conectar())
    trabajo = cola.enqueue(f"{argumentos[0]}.enviar", 7, urgente=True)
    print(f"Encolado {trabajo.description}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
