"""Dice cómo acabó el último trabajo de la cola default, sin mirar el log.

Uso: python ultimo_trabajo.py
"""

from rq import Queue

from conexion import conectar


def main():
    cola = Queue(connection=conectar())
    ids = cola.finished_job_registry.get_job_ids() + cola.failed_job_registry.get_job_ids()
    trabajos = [t for t in cola.job_class.fetch_many(ids, connection=cola.connection) if t]
    if not trabajos:
        print("No hay ningún trabajo terminado en la cola default.")
        return
    ultimo = max(trabajos, key=lambda t: t.ended_at)
    resultado = ultimo.latest_result()
    print(f"{ultimo.description}: {ultimo.get_status().value}, ", end="")
    if resultado.type == resultado.Type.SUCCESSFUL:
        print(f"devolvió {resultado.return_value!r}")
    else:
        print(resultado.exc_string.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
