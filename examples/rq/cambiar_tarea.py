"""¿Ve el worker un cambio en el código de la tarea sin reiniciarlo?

Uso: python cambiar_tarea.py

Escribe un módulo, tarea_generada.py, con una tarea que dice su versión; la
encola en la cola 'cambios' y espera la respuesta. Después cambia el módulo,
la vuelve a encolar y espera otra vez. Al terminar, borra el módulo. Hace
falta un worker escuchando la cola 'cambios' en otra terminal.
"""

import sys
import time
from pathlib import Path

from rq import Queue

from conexion import conectar

MODULO = Path("tarea_generada.py")
VERSIONES = ["la primera", "la segunda, con cambios"]


def escribir_tarea(version):
    MODULO.write_text(f"def que_version():\n    return {version!r}\n", encoding="utf-8")


def preguntar(cola):
    """Encola la tarea y espera su resultado (hasta 20 segundos)."""
    trabajo = cola.enqueue("tarea_generada.que_version")
    fin = time.monotonic() + 20
    while time.monotonic() < fin:
        resultado = trabajo.latest_result()
        if resultado is not None:
            return resultado.return_value
        time.sleep(0.1)
    sys.exit("Error: ningún worker ha contestado; arranca `rq worker cambios` en otra terminal")


def main():
    cola = Queue("cambios", connection=conectar())
    try:
        for version in VERSIONES:
            escribir_tarea(version)
            print(f"tarea_generada.py dice ahora {version!r}; el worker contesta {preguntar(cola)!r}")
    finally:
        MODULO.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
