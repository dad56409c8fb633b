"""Deja Redis como al empezar el libro: borra lo que guardan sus ejemplos.

Uso: python vaciar_redis.py

Borra solo las claves de RQ (rq:...) y las de los ejemplos (guia:...) de la
base de datos a la que apunta REDIS_URL. Cualquier otra clave se queda.
Para antes los workers que tengas en marcha: también se borra su ficha.
"""

import sys

from conexion import conectar, url_visible

PREFIJOS = ("rq:*", "guia:*")


def vaciar(conexion):
    """Borra las claves del libro y devuelve cuántas eran."""
    borradas = 0
    for patron in PREFIJOS:
        claves = list(conexion.scan_iter(match=patron, count=1000))
        for inicio in range(0, len(claves), 1000):
            borradas += conexion.delete(*claves[inicio:inicio + 1000])
    return borradas


def main(argumentos):
    if argumentos:
        print("Uso: python vaciar_redis.py  (sin argumentos)", file=sys.stderr)
        return 2
    vaciar(conectar())
    print(f"Listo: en {url_visible()} no queda nada de RQ ni de los ejemplos del libro.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
