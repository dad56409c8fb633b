"""El vigía: ningún trabajo se pierde por el camino.

Mientras dura un bloque ``with vigilar_trabajos(url):``, el vigía apunta
cada trabajo que nace en Redis (escucha las notificaciones de Redis de cada
HSET sobre una clave ``rq:job:<id>``, así que ve también los trabajos que
crean los workers, los scripts y ``rq cron`` en otros procesos). Al salir
del bloque pide cuentas: cada trabajo apuntado tiene que existir, estar en
un estado final y figurar en el registro que corresponde a ese estado.
"""

import contextlib
import re
import time

from redis import Redis
from rq import Queue
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

# Estados en los que un trabajo puede quedarse al final de un escenario, y
# el registro de su cola donde tiene que estar. Un trabajo detenido
# (STOPPED) es una forma de fallo: RQ lo guarda con los fallidos.
REGISTRO_DE = {
    JobStatus.FINISHED: "finished_job_registry",
    JobStatus.FAILED: "failed_job_registry",
    JobStatus.STOPPED: "failed_job_registry",
    JobStatus.SCHEDULED: "scheduled_job_registry",
    JobStatus.DEFERRED: "deferred_job_registry",
    JobStatus.CANCELED: "canceled_job_registry",
}

CLAVE_DE_TRABAJO = re.compile(r"^rq:job:([^:]+)$")
CENTINELA = "guia-rq:vigia:fin"


class TrabajoPerdido(AssertionError):
    """Algún trabajo no ha llegado a un estado final, o ha desaparecido."""


class Vigia:
    def __init__(self, conexion, suscripcion):
        self.conexion = conexion
        self.suscripcion = suscripcion
        self.vistos = []

    def recoger(self):
        """Lee las notificaciones pendientes hasta el centinela."""
        self.conexion.hset(CENTINELA, "fin", 1)
        fin = time.monotonic() + 5
        while time.monotonic() < fin:
            # None también cuando el mensaje era de suscripción (se ignoran).
            mensaje = self.suscripcion.get_message(timeout=1)
            if mensaje is None or mensaje["type"] != "message":
                continue
            clave = mensaje["data"].decode()
            if clave == CENTINELA:
                self.conexion.delete(CENTINELA)
                return self.vistos
            encontrado = CLAVE_DE_TRABAJO.match(clave)
            if encontrado and encontrado[1] not in self.vistos:
                self.vistos.append(encontrado[1])
        raise TrabajoPerdido("el vigía no recibió su propia notificación: ¿Redis sin notificaciones?")

    def problemas(self):
        """Una línea por cada trabajo que no está donde debe."""
        lineas = []
        for trabajo_id in self.recoger():
            try:
                trabajo = Job.fetch(trabajo_id, connection=self.conexion)
            except NoSuchJobError:
                lineas.append(f"{trabajo_id}: ha desaparecido de Redis")
                continue
            estado = trabajo.get_status()
            if estado not in REGISTRO_DE:
                lineas.append(f"{trabajo_id} ({trabajo.description}): se ha quedado en '{estado.value}'")
                continue
            registro = getattr(Queue(trabajo.origin, connection=self.conexion), REGISTRO_DE[estado])
            if trabajo_id not in registro.get_job_ids(cleanup=False):
                lineas.append(f"{trabajo_id} ({trabajo.description}): '{estado.value}' pero fuera de {type(registro).__name__}")
        return lineas

    def pedir_cuentas(self):
        problemas = self.problemas()
        if problemas:
            raise TrabajoPerdido("trabajos perdidos o a medias:\n" + "\n".join(problemas))
        return self.vistos


def _base_de_datos(conexion):
    return conexion.connection_pool.connection_kwargs.get("db", 0)


@contextlib.contextmanager
def vigilar_trabajos(url):
    """Apunta los trabajos que nacen dentro del bloque y, al salir, pide cuentas."""
    conexion = Redis.from_url(url)
    anterior = conexion.config_get("notify-keyspace-events")["notify-keyspace-events"]
    # E: eventos por tipo de orden; h: órdenes de hash (HSET). Se suman a lo que hubiera.
    conexion.config_set("notify-keyspace-events", "".join(sorted(set(anterior) | {"E", "h"})))
    suscripcion = conexion.pubsub(ignore_subscribe_messages=True)
    try:
        suscripcion.subscribe(f"__keyevent@{_base_de_datos(conexion)}__:hset")
        vigia = Vigia(conexion, suscripcion)
        # Primera vuelta del centinela: cuando llega, la suscripción ya escucha.
        vigia.recoger()
        yield vigia
        vigia.pedir_cuentas()
    finally:
        suscripcion.close()
        conexion.config_set("notify-keyspace-events", anterior)
        conexion.close()
