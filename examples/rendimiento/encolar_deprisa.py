"""¿Cuánto se tarda en encolar? enqueue() en un bucle contra enqueue_many() con un pipeline.

Uso: python encolar_deprisa.py

Encola el mismo número de trabajos vacíos de las dos formas, tres veces
cada una, y se queda con la mejor vuelta de cada forma. Al final, un
SimpleWorker en modo burst los hace todos: no deja nada en la cola. Deja
los datos y los gráficos en resultados/.
"""

import time

from rq import Queue, SimpleWorker

from conexion import conectar
from medicion import cola_nueva, cuantos, guardar, linea_de_maquina, maquina
from tareas_medidas import vacia

TRABAJOS = cuantos(2000, minimo=50)
VUELTAS = 3


def en_un_bucle(cola, trabajos):
    for _ in range(trabajos):
        cola.enqueue(vacia)  # Cada enqueue() son dos idas y vueltas a Redis.


def de_golpe(cola, trabajos):
    # prepare_data() no habla con Redis; enqueue_many() lo manda todo en un pipeline.
    cola.enqueue_many([Queue.prepare_data(vacia) for _ in range(trabajos)])


def cronometrar(forma, cola, trabajos):
    inicio = time.perf_counter()
    forma(cola, trabajos)
    return time.perf_counter() - inicio


def main():
    conexion = conectar()
    cola = cola_nueva("encolar", conexion)
    datos = {"maquina": maquina(conexion), "trabajos": TRABAJOS, "por_segundo": {}}
    for nombre, forma in (("bucle", en_un_bucle), ("many", de_golpe)):
        mejor = min(cronometrar(forma, cola, TRABAJOS) for _ in range(VUELTAS))
        datos["por_segundo"][nombre] = TRABAJOS / mejor
    SimpleWorker([cola], connection=conexion).work(burst=True, logging_level="WARNING")
    imprimir(datos)
    guardar("encolar_deprisa", datos)


def imprimir(datos):
    bucle, many = datos["por_segundo"]["bucle"], datos["por_segundo"]["many"]
    print(linea_de_maquina(datos))
    print(f"{datos['trabajos']} trabajos vacíos, mejor de {VUELTAS} vueltas:")
    print(f"  enqueue() en un bucle        {bucle:>8.0f} trabajos/s")
    print(f"  enqueue_many() (pipeline)    {many:>8.0f} trabajos/s  ({many / bucle:.1f}× más deprisa)")


if __name__ == "__main__":
    main()
