"""¿Qué ha sido de cada trabajo? Un informe de una cola y de todos sus registros.

Uso: python fallos_informe.py [COLA]   (la cola 'default' si no indicas otra)

Recorre la cola, sus siete registros de trabajos y, de los límites de
concurrencia (RateLimit, RQ 3.0), los trabajos de esa cola que esperan turno.

El informe solo mira: lee los registros con cleanup=False para no mover
nada. Por eso un trabajo abandonado sigue apareciendo "en curso" hasta que
alguien (un worker, por ejemplo) limpie el registro.
"""

import sys
from datetime import datetime, timezone

from rq import Queue
from rq.job import Job, JobStatus
from rq.rate_limit import RateLimitRegistry
from rq.results import Result

from conexion import conectar

USO = "Uso: python fallos_informe.py [COLA]"

# Un nombre para cada estado de RQ 3.0 (JobStatus): un estado sin nombre
# sería un KeyError a mitad de informe.
ESTADOS = {
    JobStatus.CREATED: "creado",
    JobStatus.QUEUED: "en espera",
    JobStatus.STARTED: "en curso",
    JobStatus.SCHEDULED: "programado",
    JobStatus.DEFERRED: "aplazado",
    JobStatus.FINISHED: "terminado",
    JobStatus.FAILED: "fallido",
    JobStatus.STOPPED: "detenido",
    JobStatus.CANCELED: "cancelado",
    JobStatus.READY_TO_ENQUEUE: "listo",
    JobStatus.RATE_LIMITED: "sin turno",
}


def registros(cola):
    """Los registros de la cola, en el orden en que los recorre un trabajo."""
    return [
        cola.scheduled_job_registry,
        cola.deferred_job_registry,
        cola.ready_job_registry,
        cola.started_job_registry,
        cola.finished_job_registry,
        cola.failed_job_registry,
        cola.canceled_job_registry,
    ]


def sin_turno(conexion):
    """Los trabajos que esperan turno en algún límite de concurrencia (RateLimit).

    Estos registros no son de una cola, sino de cada clave de límite: un
    mismo límite puede frenar trabajos de varias colas.
    """
    ids = []
    for limite in RateLimitRegistry.all(conexion):
        ids.extend(limite.get_rate_limited_job_ids())
    return ids


def trabajos_de(cola):
    """Todos los trabajos que la cola conoce, del más antiguo al más nuevo."""
    ids = list(cola.get_job_ids())
    for registro in registros(cola):
        ids.extend(registro.get_job_ids(cleanup=False))
    ids.extend(sin_turno(cola.connection))
    trabajos = Job.fetch_many(list(dict.fromkeys(ids)), connection=cola.connection)
    # Los límites de concurrencia se comparten entre colas: solo los de esta.
    return sorted((t for t in trabajos if t and t.origin == cola.name), key=lambda t: t.created_at)


def caducidades(registro):
    """Cuándo caduca la entrada de cada trabajo en curso, por id de trabajo.

    Cada entrada del StartedJobRegistry es "trabajo:ejecución" y su
    puntuación es la hora (Unix) a la que se dará por abandonada.
    """
    conexion = registro.connection
    horas = {}
    for trabajo_id, ejecucion_id in registro.get_job_and_execution_ids(cleanup=False):
        puntuacion = conexion.zscore(registro.key, f"{trabajo_id}:{ejecucion_id}")
        horas[trabajo_id] = datetime.fromtimestamp(puntuacion, timezone.utc)
    return horas


def hora(momento):
    """Hora local, como la escribe el log del worker."""
    return momento.astimezone().strftime("%H:%M:%S")


def resumen_del_resultado(resultado):
    if resultado is None:
        return "sin resultado guardado"
    if resultado.type == Result.Type.SUCCESSFUL:
        return f"devolvió {resultado.return_value!r}"
    if resultado.type == Result.Type.MAX_RETRIES_EXCEEDED:
        return "agotó sus reintentos"
    # La última línea de la traza dice qué excepción fue y con qué mensaje.
    return resultado.exc_string.strip().splitlines()[-1]


def reintentos(quedan):
    if quedan == 1:
        return "le queda 1 reintento"
    return f"le quedan {quedan} reintentos"


def detalle(trabajo, estado, cola, en_curso):
    ahora = datetime.now(timezone.utc)
    if estado == JobStatus.STARTED:
        caduca = en_curso[trabajo.id]
        return (
            f"en el worker {trabajo.worker_name}; su entrada caduca a las {hora(caduca)}, "
            f"dentro de {(caduca - ahora).total_seconds():.0f} segundos"
        )
    if estado == JobStatus.SCHEDULED:
        return f"le toca a las {hora(cola.scheduled_job_registry.get_scheduled_time(trabajo))}"
    if estado in (JobStatus.FINISHED, JobStatus.FAILED, JobStatus.STOPPED):
        return resumen_del_resultado(trabajo.latest_result())
    return ""


def informe(cola):
    trabajos = trabajos_de(cola)
    en_curso = caducidades(cola.started_job_registry)
    print(f"Cola '{cola.name}': {len(trabajos)} trabajo{'' if len(trabajos) == 1 else 's'}")
    for trabajo in trabajos:
        estado = trabajo.get_status()
        linea = f"  {ESTADOS[estado]:<10} {trabajo.description}  {detalle(trabajo, estado, cola, en_curso)}"
        if trabajo.retries_left is not None:
            linea += f" ({reintentos(trabajo.retries_left)})"
        print(linea.rstrip())


def main(argumentos):
    if len(argumentos) > 1 or (argumentos and argumentos[0].startswith("-")):
        print(USO, file=sys.stderr)
        sys.exit(2)
    nombre = argumentos[0] if argumentos else "default"
    informe(Queue(nombre, connection=conectar()))


if __name__ == "__main__":
    main(sys.argv[1:])
