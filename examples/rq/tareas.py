"""La tarea que recorre todo el libro: lenta y, de vez en cuando, falla."""

import os
import random
import time

from rq import get_current_job

# Dos mandos que se leen del entorno:
# - TAREAS_SEMILLA fija el azar, para que los fallos caigan siempre en los
#   mismos trabajos (el libro usa "guia-rq").
# - TAREAS_ESCALA acorta cada segundo de trabajo; las pruebas del libro usan
#   0.01 (10 ms) para ir cien veces más rápido. Sin ella, un segundo es un segundo.
ESCALA = float(os.environ.get("TAREAS_ESCALA", "1"))
SEMILLA = os.environ.get("TAREAS_SEMILLA")


def tarea_pesada_y_falible(segundos, fallar=None):
    """Trabaja durante `segundos` segundos; falla, de media, una vez de cada cinco.

    Con fallar=True falla siempre, y con fallar=False no falla nunca: para
    cuando el ejemplo necesita un resultado seguro.
    """
    print(f"tarea_pesada_y_falible ({segundos})", end=" ", flush=True)
    if fallar is None:
        fallar = _azar(segundos).random() < 0.2
    if fallar:
        print("¡Ay! Hoy no me sale.", flush=True)
        raise ValueError(f"la tarea de {segundos} s se ha torcido (fallo simulado)")
    for _ in range(segundos):
        time.sleep(ESCALA)
        print(".", end="", flush=True)
    print(" [OK]", flush=True)
    return segundos


def duraciones_al_azar(cuantas):
    """Devuelve `cuantas` duraciones de 2 a 7 segundos."""
    azar = random.Random(SEMILLA)
    return [azar.randint(2, 7) for _ in range(cuantas)]


def _azar(segundos):
    # Sin semilla, azar de verdad. Con semilla, el resultado depende solo de
    # la semilla, de la duración y del intento (los reintentos cambian el dado).
    if SEMILLA is None:
        return random
    trabajo = get_current_job()
    intento = trabajo.retries_left if trabajo else None
    return random.Random(f"{SEMILLA}-{segundos}-{intento}")
