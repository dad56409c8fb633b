"""Lo que pasa al encolar una función definida en el propio script."""

from rq import Queue

from conexion import conectar


def saludar(nombre):
    return f"Hola, {nombre}"


def main():
    cola = Queue(connection=conectar())
    try:
        cola.enqueue(saludar, "Ana")
    except ValueError as error:
        # Aquí saludar es __main__.saludar: un worker no tiene forma de importarla.
        print(f"RQ no lo acepta: {error}")


if __name__ == "__main__":
    main()
