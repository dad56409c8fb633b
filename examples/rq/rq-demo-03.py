"""Cuántos trabajos esperan en cada cola."""

from rq import Queue

from conexion import conectar


def main():
    conexion = conectar()
    for nombre in ("default", "low", "high"):
        cola = Queue(nombre, connection=conexion)
        print(f"{nombre}: {len(cola)}")


if __name__ == "__main__":
    main()
