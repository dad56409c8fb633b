"""Recortar las trazas de error largas de una transcripción.

Una traza de Python enseña rutas y números de línea de la biblioteca
estándar, que cambian de una instalación a otra y no le dicen nada al
lector. Dejamos la cabecera, una línea ``[...]`` visible y la excepción.
"""

CABECERA = "Traceback (most recent call last):"


def acortar_trazas(lineas):
    """Devuelve `lineas` con el cuerpo de cada traza cambiado por ``[...]``."""
    resultado = []
    dentro = False
    for linea in lineas:
        if linea == CABECERA:
            resultado += [linea, "[...]"]
            dentro = True
        elif dentro and linea.startswith(" "):
            continue  # Un marco de la traza: "  File ..." y su código.
        else:
            dentro = False
            resultado.append(linea)
    return resultado
