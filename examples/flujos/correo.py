"""El correo de un pedido, encolado dos veces: como un doble clic, o un reintento tras una caída.

Uso: python correo.py PEDIDO     encola dos veces el correo de ese pedido
     python correo.py --buzon    enseña los correos que han llegado al buzón
"""

import sys

from rq import Queue, Retry

from conexion import conectar
from tareas_flujos import BUZON, mandar_correo

USO = "Uso: python correo.py PEDIDO | --buzon"

# Si otro intento tiene la marca "mandando", cada cinco minutos, hasta tres veces:
# el último llega cuando la marca de un intento muerto ya ha caducado (diez minutos).
REINTENTOS = Retry(max=3, interval=300)


def main(argumentos):
    if len(argumentos) != 1 or (argumentos[0].startswith("-") and argumentos[0] != "--buzon"):
        print(USO, file=sys.stderr)
        return 2
    conexion = conectar()
    if argumentos == ["--buzon"]:
        correos = [c.decode() for c in conexion.lrange(BUZON, 0, -1)]
        print(f"En el buzón hay {len(correos)} correo(s):")
        for correo in correos:
            print(f"  {correo}")
        return 0
    cola = Queue(connection=conexion)
    for _ in range(2):
        trabajo = cola.enqueue(mandar_correo, argumentos[0], retry=REINTENTOS)
        print(f"Encolado {trabajo.description}: {trabajo.id}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
