"""Un worker que importa modulo_pesado una vez, antes de empezar a trabajar.

Uso: python worker_precargado.py [colas...]   (por omisión, la cola 'pesada')

Es la receta de la documentación de RQ ("Performance notes"): tu propio
script de worker, que importa lo caro antes del bucle. Cada proceso hijo
nace con fork() de este proceso y ya lo tiene importado.
"""

import sys

from rq import Worker

# Lo que usan las tareas se importa aquí, una vez, antes de cualquier fork().
import modulo_pesado  # noqa: F401
import tareas_medidas  # noqa: F401
from conexion import conectar


def main(colas):
    Worker(colas or ["pesada"], connection=conectar()).work()


if __name__ == "__main__":
    main(sys.argv[1:])
