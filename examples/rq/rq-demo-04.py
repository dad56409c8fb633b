"""Dos trabajos en cada cola, encolados de la menos a la más urgente."""

from rq import Queue

from conexion import conectar
from tareas import tarea_pesada_y_falible


def main():
    conexion = conectar()
    for nombre in ("low", "default", "high"):
        cola = Queue(nombre, connection=conexion)
        for segundos in (2, 3):
            cola.enqueue(tarea_pesada_y_falible, segundos)
    print("Encolados dos trabajos en low, default y high")


if __name__ == "__main__":
    main()
