"""La tarea del libro, en la aplicación de Django: lenta y, a veces, falla."""

import os
import random
import time

from rq import get_current_job

# Los mismos mandos que rq/tareas.py: TAREAS_ESCALA acorta cada segundo de
# trabajo y TAREAS_SEMILLA fija el azar.
ESCALA = float(os.environ.get("TAREAS_ESCALA", "1"))
SEMILLA = os.environ.get("TAREAS_SEMILLA")


def tarea_pesada_y_falible(segundos, fallar=None):
    """Trabaja durante `segundos` segundos; falla, de media, una vez de cada cinco.

    Con fallar=True falla siempre, y con fallar=False no falla nunca.
    """
    # `manage.py rqenqueue` pasa los argumentos como texto: "3", no 3.
    segundos = int(segundos)
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


def _azar(segundos):
    # Sin semilla, azar de verdad; con ella, lo mismo en cada ejecución.
    if SEMILLA is None:
        return random
    trabajo = get_current_job()
    intento = trabajo.retries_left if trabajo else None
    return random.Random(f"{SEMILLA}-{segundos}-{intento}")
