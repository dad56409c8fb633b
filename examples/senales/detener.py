"""Pide al worker que está ejecutando un trabajo que lo pare ya.

Uso: python detener.py ID_DEL_TRABAJO
"""

import sys

from rq.command import send_stop_job_command
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from conexion import conectar


def main(argumentos):
    if len(argumentos) != 1 or argumentos[0].startswith("-"):
        print("Uso: python detener.py ID_DEL_TRABAJO", file=sys.stderr)
        sys.exit(2)
    trabajo_id = argumentos[0]
    conexion = conectar()
    try:
        trabajo = Job.fetch(trabajo_id, connection=conexion)
    except NoSuchJobError:
        sys.exit(f"Error: no existe el trabajo {trabajo_id}.")
    estado = trabajo.get_status()
    # Un trabajo terminado conserva el nombre de su worker: sin esta
    # comprobación, el worker recibiría la orden y se limitaría a ignorarla.
    if estado != JobStatus.STARTED:
        sys.exit(f"Error: el trabajo {trabajo_id} no se está ejecutando (estado: {estado.value}).")
    send_stop_job_command(conexion, trabajo_id)
    print(f"Pedido al worker {trabajo.worker_name} que pare el trabajo {trabajo_id}.")


if __name__ == "__main__":
    main(sys.argv[1:])
