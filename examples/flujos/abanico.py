"""Repartir y juntar: varias partes que pueden ir a la vez y un trabajo que las suma.

Uso: python abanico.py SEGUNDOS... [--delante] [--falla N] [--informe]

Encola en la cola 'default' una parte por cada duración y `juntar`, que
depende de todas. --delante pone `juntar` al principio de la cola en cuanto
está listo; --falla N hace que falle la parte N; --informe añade un trabajo
que informa de cómo acabó cada parte, hayan fallado o no.
"""

import argparse
import sys

from rq import Queue
from rq.job import Dependency

from conexion import conectar
from tareas import tarea_pesada_y_falible
from tareas_flujos import informar, juntar

USO = "Uso: python abanico.py SEGUNDOS... [--delante] [--falla N] [--informe]"


def encolar_abanico(cola, duraciones, delante=False, falla=None, informe=False):
    partes = [
        cola.enqueue(tarea_pesada_y_falible, segundos, fallar=(numero == falla),
                     description=f"parte {numero} ({segundos} s)")
        for numero, segundos in enumerate(duraciones, start=1)
    ]
    if delante:
        espera = Dependency(jobs=partes, enqueue_at_front=True)
    else:
        espera = partes
    trabajos = {"partes": partes, "juntar": cola.enqueue(juntar, depends_on=espera, description="juntar")}
    if informe:
        trabajos["informar"] = cola.enqueue(
            informar, depends_on=Dependency(jobs=partes, allow_failure=True), description="informar",
        )
    return trabajos


class _Argumentos(argparse.ArgumentParser):
    def error(self, message):
        print(USO, file=sys.stderr)
        sys.exit(2)


def main():
    argumentos = _Argumentos(add_help=False)
    argumentos.add_argument("segundos", nargs="+", type=int)
    argumentos.add_argument("--delante", action="store_true")
    argumentos.add_argument("--falla", type=int)
    argumentos.add_argument("--informe", action="store_true")
    opciones = argumentos.parse_args()
    if any(s < 1 for s in opciones.segundos) or (
        opciones.falla is not None and not 1 <= opciones.falla <= len(opciones.segundos)
    ):
        argumentos.error("")
    trabajos = encolar_abanico(
        Queue(connection=conectar()), opciones.segundos,
        delante=opciones.delante, falla=opciones.falla, informe=opciones.informe,
    )
    for trabajo in [*trabajos["partes"], *[trabajos[n] for n in ("juntar", "informar") if n in trabajos]]:
        print(f"{trabajo.description:<14} {trabajo.get_status().value:<9} {trabajo.id}")


if __name__ == "__main__":
    main()
