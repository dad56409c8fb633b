"""Salidas del capítulo de Django (docs/django.rst), en el orden del capítulo.

Todo se ejecuta desde examples/django, como el lector, con REDIS_URL
apuntando al Redis de las pruebas. Lo que el texto pide hacer en otra
terminal (un worker que se queda escuchando, el servidor de desarrollo) va
en ``sesion.en_otra_terminal``. Donde el texto necesita que un trabajo acabe
bien o mal, la tarea lleva ``fallar``; los de rqenqueue (2 y 3 segundos, y
el de 1) no fallan con la semilla del libro.
"""

import atexit
import functools
import json
import os
import re
import shutil
import signal
import socket
import tempfile

from tests.arnes import procesos
from tests.arnes.procesos import esperar
from tests.arnes.redis_privado import puerto_libre
from tests.arnes.transcripciones import escenario, modo

CARPETA = "django"
TAREA = "demo.tareas.tarea_pesada_y_falible"
# El servidor de desarrollo del capítulo: ni el 8000 de runserver ni el de livehtml.
PUERTO_DEL_LIBRO = 8010
CURL = "curl -s -w ' %{http_code}\\n'"


@functools.cache
def _carpeta_temporal():
    carpeta = tempfile.mkdtemp(prefix="guia-rq-django-")
    atexit.register(shutil.rmtree, carpeta, ignore_errors=True)
    return carpeta


def _bd():
    """La base de datos SQLite del capítulo: la del lector es db.sqlite3, junto a manage.py.

    Bajo prueba va a una carpeta temporal, para no dejar nada en el repositorio.
    """
    return {"DJANGO_BASE_DE_DATOS": os.path.join(_carpeta_temporal(), "db.sqlite3")}


def _terminados(*ids):
    """¿Han acabado (bien o mal) todos esos trabajos?"""
    from redis import Redis
    from rq.job import Job, JobStatus

    conexion = Redis.from_url(procesos.entorno()["REDIS_URL"])
    with conexion:
        estados = [Job.fetch(i, connection=conexion).get_status() for i in ids]
    return all(e in (JobStatus.FINISHED, JobStatus.FAILED) for e in estados)


def _workers_ociosos():
    """¿Están todos los workers esperando trabajo? (Ctrl+C a uno ocupado escribe una línea más)."""
    from redis import Redis
    from rq import Worker

    conexion = Redis.from_url(procesos.entorno()["REDIS_URL"])
    with conexion:
        workers = Worker.all(connection=conexion)
        return bool(workers) and all(w.get_state() == "idle" for w in workers)


def _recortar(sesion, desde, hasta, dejar=2):
    """Entre las líneas `desde` y `hasta` de la última orden, deja `dejar` y la última, con [...]."""
    inicio = max(i for i, linea in enumerate(sesion.lineas) if linea.startswith("$ "))
    iguales = [i for i, linea in enumerate(sesion.lineas) if i > inicio and re.search(desde, linea)]
    fin = next(i for i, linea in enumerate(sesion.lineas) if i > inicio and re.search(hasta, linea))
    quitar = [i for i in iguales if i < fin][dejar:-1]
    if quitar:
        sesion.lineas[quitar[0]:quitar[-1] + 1] = ["[...]"]


@escenario("django/vaciar")
def vaciar(sesion):
    sesion.ejecutar("python ../rq/vaciar_redis.py")


@escenario("django/migrate")
def migrate(sesion):
    sesion.ejecutar("python manage.py migrate", **_bd())
    _recortar(sesion, r"^  Applying ", r"^  Applying sessions\.")
    sesion.ejecutar(
        "DJANGO_SUPERUSER_PASSWORD=cambiala python manage.py createsuperuser"
        " --noinput --username admin --email admin@example.com",
        **_bd(),
    )


@escenario("django/sin-url")
def sin_url(sesion):
    sesion.ejecutar("env -u REDIS_URL python manage.py check", codigo=1)


@escenario("django/contrasena")
def contrasena(sesion):
    sesion.ejecutar("python contrasena_junto_a_url.py")


@escenario("django/mezcla")
def mezcla(sesion):
    sesion.ejecutar("python manage.py rqworker --burst high informes", codigo=1)


def _redis_del_lector(sesion):
    """En el YAML de rqstats, el Redis del lector (localhost:6379), no el de las pruebas.

    Es lo mismo que hace transcripciones.mostrable() con la URL de REDIS_URL.
    """
    sesion.lineas = [
        re.sub(r"^(\s+host: )127\.0\.0\.1$", r"\1localhost", re.sub(r"^(\s+port: )\d+$", r"\g<1>6379", linea))
        for linea in sesion.lineas
    ]


def _solo_la_primera_cola(sesion):
    """Deja solo la primera cola del YAML de rqstats y marca el corte con [...]."""
    inicio = max(i for i, linea in enumerate(sesion.lineas) if linea.startswith("$ "))
    colas = [i for i, linea in enumerate(sesion.lineas) if i > inicio and linea.startswith("- ")]
    del sesion.lineas[colas[1]:]
    sesion.lineas.append("[...]")


@escenario("django/recorrido")
def recorrido(sesion):
    sesion.ejecutar(f"python manage.py rqenqueue {TAREA} 2")
    sesion.ejecutar(f"python manage.py rqenqueue --queue high {TAREA} 3")
    sesion.ejecutar("python manage.py rqstats")
    sesion.ejecutar("python manage.py rqworker --burst high default low")


@escenario("django/yaml")
def yaml(sesion):
    sesion.ejecutar("python manage.py rqstats --yaml")
    _solo_la_primera_cola(sesion)
    _redis_del_lector(sesion)


@escenario("django/suspender")
def suspender(sesion):
    """Un trabajo en default, los workers suspendidos y uno normal en la segunda terminal."""
    encolado = sesion.ejecutar(f"python manage.py rqenqueue {TAREA} 1")
    trabajo = re.search(r"Job (\S+) created", encolado.stdout)[1]
    sesion.ejecutar("python manage.py rqsuspend")
    orden = "python manage.py rqworker high default low"
    with sesion.en_otra_terminal(orden) as worker:
        worker.esperar_texto("suspended, run `rq resume` to resume", limite=30)
        sesion.ejecutar("python manage.py rqresume")
        esperar(lambda: _terminados(trabajo), limite=30, que="que el worker hiciera el trabajo")
        worker.esperar_texto("result is kept for", limite=10)
        esperar(_workers_ociosos, limite=10, que="que el worker volviera a esperar trabajo")
        # "Páralo con Ctrl+C".
        worker.ctrl_c(limite=15)
    sesion.anotar_terminal(orden, worker)


@escenario("django/rqscheduler")
def rqscheduler(sesion):
    sesion.ejecutar("python manage.py rqscheduler", codigo=1)


def _puerto_del_servidor():
    """El puerto del libro si está libre; si no (otra prueba, otro programa), uno que lo esté.

    Los normalizadores cambian el número por un marcador. Para regenerar la
    salida del libro, el puerto del libro tiene que estar libre.
    """
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", PUERTO_DEL_LIBRO))
            return PUERTO_DEL_LIBRO
        except OSError:
            if modo() == "reescribir":
                raise RuntimeError(f"el puerto {PUERTO_DEL_LIBRO} está ocupado: libéralo para regenerar la salida")
    return puerto_libre()


def _id_del_trabajo(resultado):
    """El identificador que devuelve POST /encolar/ (el lector lo copia de la respuesta)."""
    return json.loads(resultado.stdout.rsplit(" ", 1)[0])["trabajo"]


@escenario("django/servidor")
def servidor(sesion):
    """runserver en la segunda terminal; curl y un worker en modo burst en la primera."""
    puerto = _puerto_del_servidor()
    orden = f"python manage.py runserver {puerto}"
    base = f"http://127.0.0.1:{puerto}"
    peticiones = 0

    def curl(argumentos):
        nonlocal peticiones
        peticiones += 1
        return sesion.ejecutar(f"{CURL} {argumentos}")

    with sesion.en_otra_terminal(orden, **_bd()) as servidor:
        servidor.esperar_texto("For more information on production servers", limite=30)
        bien = _id_del_trabajo(curl(f"-d segundos=2 -d fallar=false {base}/encolar/"))
        mal = _id_del_trabajo(curl(f"-d segundos=1 -d fallar=true {base}/encolar/"))
        curl(f"{base}/trabajos/{bien}/")
        curl(f"-d segundos=mucho {base}/encolar/")
        sesion.ejecutar("python manage.py rqworker --burst high default low")
        curl(f"{base}/trabajos/{bien}/")
        curl(f"{base}/trabajos/{mal}/")
        curl(f"{base}/trabajos/no-existe/")
        # El panel, sin haber entrado en el admin.
        peticiones += 1
        sesion.ejecutar(f"curl -s -o /dev/null -w '%{{http_code}} %{{redirect_url}}\\n' {base}/admin/django_rq/dashboard/")
        curl(f"{base}/admin/django_rq/dashboard/stats.json")
        servidor.esperar_texto(' HTTP/1.1" ', veces=peticiones, limite=10)
        # "Páralo con Ctrl+C": la terminal manda la señal a todo el grupo, el
        # servidor y el proceso que lo recarga cuando cambia el código.
        os.killpg(servidor.pid, signal.SIGINT)
        servidor.esperar_fin(limite=15)
    sesion.anotar_terminal(orden, servidor)


@escenario("django/sin-redis")
def sin_redis(sesion):
    # En el 6390 no escucha nadie (la prueba se salta si lo hubiera).
    sesion.requiere_puerto_libre(6390)
    sesion.ejecutar("REDIS_URL=redis://localhost:6390/0 python manage.py rqstats", codigo=1)


@escenario("django/pruebas")
def pruebas(sesion):
    sesion.ejecutar("python manage.py test demo -v 2 --buffer 2>&1 | grep -E ' \\.\\.\\. |^OK$'")
