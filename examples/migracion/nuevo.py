"""Lo mismo que antiguo.py, escrito para RQ 3.0.

Uso: python nuevo.py
"""

from comprobar import probar, trabajar
from conexion import conectar


def conexion_en_bloque():
    from rq import Queue

    return Queue(connection=conectar()).enqueue("trabajos.sumar", 2, 3).func_name


def usar_conexion():
    from rq import Queue

    return len(Queue(connection=conectar()))


def cola_en_un_trabajo():
    from rq import Queue

    cola = Queue(connection=conectar())
    trabajo = cola.enqueue("trabajos.encadenar")
    trabajar(cola)
    return trabajo.get_status(), trabajo.return_value()


def resultado():
    from rq import Queue

    cola = Queue(connection=conectar())
    trabajo = cola.enqueue("trabajos.sumar", 2, 3)
    trabajar(cola)
    return trabajo.return_value()


def error():
    from rq import Queue

    cola = Queue(connection=conectar())
    trabajo = cola.enqueue("trabajos.dividir", 1, 0)
    trabajar(cola)
    return trabajo.latest_result().exc_string.splitlines()[-1]


def enqueue_call():
    from rq import Queue

    cola = Queue(connection=conectar())
    return cola.enqueue("trabajos.sumar", 2, 3, job_timeout=30).timeout


def callback():
    from rq import Callback, Queue

    from trabajos import al_acabar

    cola = Queue(connection=conectar())
    trabajo = cola.enqueue("trabajos.sumar", 2, 3, on_success=Callback(al_acabar))
    trabajar(cola)
    return int(cola.connection.get(f"guia:avisos:{trabajo.id}"))


def meta():
    from rq import Queue

    cola = Queue(connection=conectar())
    trabajo = cola.enqueue("trabajos.progreso")
    trabajar(cola)
    return trabajo.get_meta()


def todas_las_colas():
    from rq import Queue

    return len(Queue.all(connection=conectar()))


def existe():
    from rq import Queue
    from rq.job import Job

    redis = conectar()
    trabajo = Queue(connection=redis).enqueue("trabajos.sumar", 2, 3)
    return Job.exists(trabajo.id, connection=redis)


def decorador():
    from rq.decorators import job

    @job("default", connection=conectar())
    def tarea():
        pass

    return tarea.__name__


def id_propio():
    from rq import Queue

    return Queue(connection=conectar()).enqueue("trabajos.sumar", 2, 3, job_id="informe-2024").id


def ttl_del_worker():
    from rq import Queue, Worker

    redis = conectar()
    Worker([Queue(connection=redis)], connection=redis, worker_ttl=60)
    return "creado"


def estado():
    from rq import Queue
    from rq.job import JobStatus

    cola = Queue(connection=conectar())
    trabajo = cola.enqueue("trabajos.sumar", 2, 3)
    trabajar(cola)
    return trabajo.get_status() == JobStatus.FINISHED


CAMBIOS = [
    conexion_en_bloque, usar_conexion, cola_en_un_trabajo, resultado, error, enqueue_call, callback,
    meta, todas_las_colas, existe, decorador, id_propio, ttl_del_worker, estado,
]

if __name__ == "__main__":
    probar(CAMBIOS)
