"""Un módulo que tarda un segundo en importarse, como uno que carga un modelo o un diccionario grande."""

import os
import time

# TAREAS_ESCALA acorta el segundo bajo prueba, como en la tarea del libro.
time.sleep(float(os.environ.get("TAREAS_ESCALA", "1")))

IMPORTADO_A_LAS = time.time()


def cuenta():
    return IMPORTADO_A_LAS
