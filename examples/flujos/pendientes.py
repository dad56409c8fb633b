"""Los trabajos aplazados que ya nunca se ejecutarán, porque falló algo de lo que dependen.

Uso: python pendientes.py [--cancelar] [COLA]   (la cola 'default' si no indicas otra)

Sin --cancelar solo mira. Con --cancelar los cancela: salen del registro de
trabajos aplazados y pasan al de cancelados.
"""

import sys

from rq import Queue
from rq.job import Job, JobStatus

from conexion import conectar

USO = "Uso: python pendientes.py [--cancelar] [COLA]"
# Un padre que acaba así ya no encolará a quien depende de él.
NUNCA = {JobStatus.FAILED: "ha fallado", JobStatus.STOPPED: "se detuvo", JobStatus.CANCELED: "se canceló"}


def sin_salida(cola):
    """Cada trabajo aplazado de la cola que espera a un padre que no acabó bien, y ese padre."""
    ids = cola.deferred_job_registry.get_job_ids()
    for trabajo in Job.fetch_many(ids, connection=cola.connection):
        if trabajo is None:
            continue
        for padre in trabajo.fetch_dependencies():
            estado = padre.get_status()
            if estado in NUNCA and not (estado == JobStatus.FAILED and trabajo.allow_dependency_failures):
                yield trabajo, padre
                break


def main(argumentos):
    cancelar = "--cancelar" in argumentos
    resto = [a for a in argumentos if a != "--cancelar"]
    if len(resto) > 1 or any(a.startswith("-") for a in resto):
        print(USO, file=sys.stderr)
        return 2
    cola = Queue(resto[0] if resto else "default", connection=conectar())
    encontrados = list(sin_salida(cola))
    for trabajo, padre in encontrados:
        print(f"{trabajo.description} ({trabajo.id}) espera a {padre.description}, "
              f"que {NUNCA[padre.get_status()]}")
        if cancelar:
            trabajo.cancel()
            print(f"  cancelado: ahora está {trabajo.get_status().value}")
    if not encontrados:
        print(f"Cola '{cola.name}': ningún trabajo aplazado espera a un padre fallido.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
