"""Escenarios del capítulo "Cuando los trabajos fallan" (docs/fallos.rst).

Cada escenario ejecuta de verdad lo que cuenta el capítulo: workers reales,
señales reales (kill -9 al worker o a su proceso hijo, SIGTERM...) y un
Redis real. Todos van dentro de ``vigilar_trabajos``: si algún trabajo
acaba perdido o a medias, el escenario falla.

Lo que el lector hace en otra terminal mientras un worker trabaja (encolar,
matar un proceso) lo hacemos aquí en Python; lo que el libro enseña es lo
que sale por pantalla.
"""

import os
import signal
import sys
import time

from redis import Redis
from rq import Queue
from rq.job import Job, JobStatus

from tests.arnes import procesos
from tests.arnes.procesos import esperar
from tests.arnes.senales import matar, worker_vivo
from tests.arnes.transcripciones import escenario
from tests.arnes.vigia import vigilar_trabajos

TAREA = "tareas.tarea_pesada_y_falible"


def url():
    return os.environ["REDIS_URL"]


def cola():
    return Queue(connection=Redis.from_url(url()))


def rq(orden, *argumentos):
    """La orden `rq <orden> ...` contra el Redis de las pruebas."""
    return [str(procesos.BIN / "rq"), orden, "--url", url(), *argumentos]


def tiempo_real():
    """¿Estamos generando las salidas del libro (make transcripts) a velocidad real?"""
    return procesos.entorno()["TAREAS_ESCALA"] == "1"


def anotar(sesion, mostrada, worker):
    """Añade a la sesión la orden del worker y todo lo que ha escrito."""
    sesion.lineas.append(f"$ {mostrada}")
    sesion.lineas.extend(worker.texto().rstrip("\n").splitlines())


def esperar_estado(trabajo, *estados, limite=10.0):
    esperar(lambda: trabajo.get_status() in estados, limite, f"que {trabajo.id} pasara a {estados}")


def empezar(worker, segundos, encolar=None):
    """Encola la tarea y espera a que el proceso hijo la haya empezado de verdad.

    No basta con el estado "started": el hijo lo apunta un instante antes de
    llamar a la tarea, y una señal en ese instante cambiaría lo que se ve.
    """
    marca = f"tarea_pesada_y_falible ({segundos}) "
    antes = worker.texto().count(marca)
    trabajo = encolar() if encolar else cola().enqueue(TAREA, segundos)
    worker.esperar_texto(marca, veces=antes + 1)
    return trabajo


def dejar_caducar(una_cola):
    """Deja que caduquen las entradas del StartedJobRegistry de la cola.

    La puntuación de cada entrada es la hora (Unix) a la que caduca. A
    velocidad real esperamos de verdad a esa hora (hasta 90 s con los
    valores por defecto de RQ). Bajo prueba adelantamos el reloj solo para
    esas entradas: les ponemos una hora ya pasada. Lo demás (el worker que
    las encuentra y lo que hace con ellas) es igual de real en los dos casos.
    """
    conexion = una_cola.connection
    clave = una_cola.started_job_registry.key
    entradas = conexion.zrange(clave, 0, -1, withscores=True)
    if not entradas:
        return
    if tiempo_real():
        # RQ compara con la hora en segundos enteros: un segundo de margen.
        time.sleep(max(0.0, max(hora for _, hora in entradas) + 1.5 - time.time()))
    else:
        # Todas al pasado, una por segundo, en el orden en que empezaron sus
        # trabajos (como caducarían de verdad; a igual hora, RQ desempata por
        # el identificador, que es aleatorio).
        def empezado_a(entrada):
            return Job.fetch(entrada.decode().split(":")[0], connection=conexion).started_at

        ordenadas = sorted((e for e, _ in entradas), key=empezado_a)
        ahora = int(time.time())
        conexion.zadd(clave, {e: ahora - len(ordenadas) + i for i, e in enumerate(ordenadas)})


@escenario("fallos/fallidos")
def fallidos(sesion):
    with vigilar_trabajos(url()):
        sesion.ejecutar("python fallos_encolar.py")
        sesion.ejecutar("rq worker --burst")
        sesion.ejecutar("python fallos_informe.py")
        sesion.ejecutar("rq requeue --queue default --all", real=rq("requeue", "--queue", "default", "--all"))
        # Fuera del libro: los reencolados no se quedan a medias.
        for trabajo_id in cola().get_job_ids():
            Job.fetch(trabajo_id, connection=cola().connection).cancel()


@escenario("fallos/reintentos")
def reintentos(sesion):
    with vigilar_trabajos(url()):
        sesion.ejecutar("python reintentos.py encolar 6")
        sesion.ejecutar("rq worker --burst")
        sesion.ejecutar("python reintentos.py contar")


@escenario("fallos/reintentos-espaciados")
def reintentos_espaciados(sesion):
    with vigilar_trabajos(url()):
        sesion.ejecutar("python reintentos.py encolar 3 --esperas 1,2,4")
        sesion.ejecutar("rq worker --burst")
        sesion.ejecutar("python reintentos.py contar")
        sesion.ejecutar("sleep 1")
        sesion.ejecutar("rq worker --burst --with-scheduler")


@escenario("fallos/tiempo-maximo")
def tiempo_maximo(sesion):
    with vigilar_trabajos(url()):
        sesion.ejecutar("python fallos_tiempo_maximo.py")
        sesion.ejecutar("rq worker --burst")


@escenario("fallos/senales")
def senales(sesion):
    """Un worker y, desde otra terminal, cuatro formas de interrumpirlo.

    1. kill -9 al proceso hijo; 2. SIGTERM al proceso hijo (lo que hace
    systemd con KillMode=control-group); 3. send_stop_job_command con
    fallos_detener.py; 4. SIGTERM al worker mientras trabaja: parada
    templada. El libro enseña este registro a trozos; detrás van las
    órdenes de la otra terminal.
    """
    otra_terminal = []
    with vigilar_trabajos(url()):
        with worker_vivo() as worker:
            for segundos, senal in ((100, signal.SIGKILL), (50, signal.SIGTERM)):
                trabajo = empezar(worker, segundos)
                matar(worker.hijo(), senal)
                esperar_estado(trabajo, JobStatus.FAILED)
                worker.esperar_texto("Work horse killed for job " + trabajo.id)

            def encolar_desde_la_terminal():
                encolado = procesos.ejecutar(rq("enqueue", TAREA, ":300"))
                otra_terminal.extend([f"$ rq enqueue {TAREA} :300", *encolado.stdout.splitlines()])
                return Job.fetch(encolado.stdout.split("'")[1], connection=cola().connection)

            trabajo = empezar(worker, 300, encolar_desde_la_terminal)
            detenido = procesos.ejecutar([sys.executable, "fallos_detener.py", trabajo.id])
            otra_terminal += [f"$ python fallos_detener.py {trabajo.id}", *detenido.stdout.splitlines()]
            esperar_estado(trabajo, JobStatus.STOPPED)
            worker.esperar_texto("moving job to FailedJobRegistry")

            trabajo = empezar(worker, 30)
            matar(worker.pid, signal.SIGTERM)
            assert worker.esperar_fin(limite=60) == 0
            assert trabajo.get_status() == JobStatus.FINISHED
        anotar(sesion, "rq worker", worker)
        sesion.lineas.extend(otra_terminal)
        sesion.ejecutar("python fallos_informe.py")


@escenario("fallos/worker-muerto")
def worker_muerto(sesion):
    """Dos formas de dejar un trabajo abandonado, y cómo sale de ahí.

    Primero, kill -9 al worker y a su hijo a la vez (como cuando cae la
    máquina). Después, otro worker con dos SIGTERM seguidos: parada en frío.
    Los dos trabajos se quedan "en curso" hasta que caducan sus entradas y
    los recoge la limpieza de un worker nuevo.
    """
    with vigilar_trabajos(url()):
        with worker_vivo() as worker:
            empezar(worker, 100)
            hijo = worker.hijo()
            matar(worker.pid)
            matar(hijo)
            worker.esperar_fin()
        anotar(sesion, "rq worker", worker)
        if tiempo_real():
            # Que las dos entradas no caduquen en el mismo segundo: RQ las
            # desempataría por su identificador, que es aleatorio.
            time.sleep(1.1)

        with worker_vivo() as worker:
            empezar(worker, 300)
            matar(worker.pid, signal.SIGTERM)
            worker.esperar_texto("warm shut down requested")
            # RQ ignora un segundo aviso que llegue antes de un segundo.
            time.sleep(1.3)
            matar(worker.pid, signal.SIGTERM)
            worker.esperar_fin()
        anotar(sesion, "rq worker", worker)

        sesion.ejecutar("python fallos_informe.py")
        dejar_caducar(cola())
        sesion.ejecutar("rq worker --burst")
        sesion.ejecutar("python fallos_informe.py")


@escenario("fallos/suspender")
def suspender(sesion):
    with vigilar_trabajos(url()):
        sesion.ejecutar("rq suspend", real=rq("suspend"))
        sesion.ejecutar("rq worker --burst", codigo=1)
        sesion.ejecutar("rq resume", real=rq("resume"))


@escenario("fallos/planificador")
def planificador(sesion):
    with vigilar_trabajos(url()):
        sesion.ejecutar("python planificador.py")
        sesion.ejecutar("sleep 1")
        sesion.ejecutar("rq worker --burst")
        sesion.ejecutar("python fallos_informe.py")
        sesion.ejecutar("rq worker --burst --with-scheduler")
