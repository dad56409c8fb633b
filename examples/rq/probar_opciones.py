"""Encola en la cola `opciones` los trabajos de ejemplo de una opción de enqueue.

Uso: python probar_opciones.py OPCIÓN
Después, `rq worker --burst opciones` los ejecuta.
"""

import sys

from rq import Queue

import opciones_args_kwargs
import opciones_at_front
import opciones_callbacks
import opciones_depends_on
import opciones_description
import opciones_failure_ttl
import opciones_job_id
import opciones_meta
import opciones_result_ttl
import opciones_timeout
import opciones_ttl
from conexion import conectar

EJEMPLOS = {
    "args_kwargs": opciones_args_kwargs.encolar_publicaciones,
    "at_front": opciones_at_front.encolar_uno_urgente,
    "callbacks": opciones_callbacks.encolar_con_callbacks,
    "depends_on": lambda cola: {
        **opciones_depends_on.encolar_cadena(cola),
        **opciones_depends_on.encolar_tras_un_fallo(cola),
    },
    "description": opciones_description.encolar_con_descripcion,
    "failure_ttl": opciones_failure_ttl.encolar_fallos,
    "job_id": opciones_job_id.encolar_con_id_propio,
    "job_timeout": opciones_timeout.encolar_con_tiempo_maximo,
    "meta": opciones_meta.encolar_pedido,
    "result_ttl": opciones_result_ttl.encolar_con_distintos_result_ttl,
    "ttl": opciones_ttl.encolar_aviso_con_caducidad,
}

USO = f"Uso: python probar_opciones.py OPCIÓN (una de: {', '.join(EJEMPLOS)})"


def main(argumentos):
    if len(argumentos) != 1 or argumentos[0] not in EJEMPLOS:
        print(USO, file=sys.stderr)
        return 2
    cola = Queue("opciones", connection=conectar())
    for nombre, trabajo in EJEMPLOS[argumentos[0]](cola).items():
        estado = trabajo.get_status(refresh=False).value
        print(f"{nombre:<16} {estado:<9} {trabajo.description}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
