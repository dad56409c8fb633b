"""La tarea que recorre todo el libro: lenta y, de vez en cuando, falla."""

import os
import random
import time

from rq import get_current_job

# Dos mandos para las pruebas del libro; sin ellos, la tarea hace justo lo
# que cuenta el capítulo.
# - TAREAS_ESCALA acorta cada segundo de trabajo (0.01 lo deja en 10 ms).
# - TAREAS_SEMILLA fija el azar, para que una ejecución se repita igual.
ESCALA = float(os.environ.get("TAREAS_ESCALA", "1"))
SEMILLA = os.environ.get("TAREAS_SEMILLA")


def tarea_pesada_y_falible(segundos):
    """Trabaja durante `segundos` segundos; falla, de media, una vez de cada cinco."""
    print(f"tarea_pesada_y_falible ({segundos})", end=" ", flush=True)
    if _azar(segundos).random() < 0.2:
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
