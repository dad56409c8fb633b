"""Lo que NO funciona: encolar una función definida en el propio script.

Ejecutado con `python encolar_desde_main.py`, este módulo se llama
`__main__`, y un worker no puede importar `__main__.contar_vocales`.
"""

import sys

from rq import Queue

from conexion import conectar


def contar_vocales(texto):
    return sum(1 for letra in texto.lower() if letra in "aeiouáéíóúü")


if __name__ == "__main__":
    cola = Queue(connection=conectar())
    try:
        cola.enqueue(contar_vocales, "murciélago")
    except ValueError as error:
        # Sin esta captura verías una traza entera; su última línea es esta.
        sys.exit(f"{type(error).__name__}: {error}")
