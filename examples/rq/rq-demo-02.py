"""Las mismas diez llamadas, pero encoladas: el programa no espera a ninguna."""

import time

from rq import Queue

from conexion import conectar
from tareas import duraciones_al_azar, tarea_pesada_y_falible


def main():
    cola = Queue(connection=conectar())  # Sin nombre: la cola "default".
    inicio = time.perf_counter()
    for segundos in duraciones_al_azar(10):
        cola.enqueue(tarea_pesada_y_falible, segundos)
    total = time.perf_counter() - inicio
    print(f"He tardado {total:.0f} segundos en total")


if __name__ == "__main__":
    main()
