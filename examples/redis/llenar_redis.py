"""Encola muchos trabajos con datos, hasta llenar un Redis con maxmemory.

Uso: python llenar_redis.py CUANTOS

Cada trabajo lleva un kilobyte de datos al azar: así no se pueden comprimir
(RQ comprime los datos de cada trabajo). Al final cuenta cuántos
identificadores hay en la cola y cuántos de ellos tienen aún sus datos en
Redis. Si Redis no deja encolar más, lo dice y sale con código 1: es lo que
haría un programa de verdad, que avisa en vez de perder trabajos.
"""

import os
import sys

from redis.exceptions import ResponseError
from rq import Queue

from conexion import conectar
from tareas_redis import apuntar

DATOS = os.urandom(1024)


def main(argumentos):
    if len(argumentos) != 1 or not argumentos[0].isdigit():
        print("Uso: python llenar_redis.py CUANTOS", file=sys.stderr)
        return 2
    cuantos = int(argumentos[0])
    conexion = conectar()
    cola = Queue(connection=conexion)
    encolados = 0
    try:
        for numero in range(cuantos):
            cola.enqueue(apuntar, numero, datos=DATOS)
            encolados += 1
    except ResponseError as error:
        # Un Redis lleno contesta "OOM ..." (dentro de una transacción, la
        # anula entera). El productor se entera y decide: aquí, parar y avisar.
        if "used memory > 'maxmemory'" not in str(error):
            raise
        print(f"Encolados ~{encolados} de {cuantos}; el siguiente, no: Redis está lleno (OOM).")
        return 1
    ids = cola.get_job_ids()
    con_datos = sum(conexion.exists(f"rq:job:{id_}") for id_ in ids)
    print(f"Encolados {encolados} de {cuantos}, sin un error.")
    print(f"En la cola hay ~{len(ids)} identificadores; ~{con_datos} tienen sus datos.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
