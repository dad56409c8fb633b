"""Salidas del capítulo "Vigilar RQ" (docs/vigilancia.rst), en el orden del capítulo.

Todo se ejecuta desde examples/vigilancia con PYTHONPATH=../rq, como pide el
capítulo. El worker de la segunda terminal (``rq worker high default``) lo
arranca y lo para el propio capítulo (bloques invisibles con
``terminales``); aquí solo se mira lo que ha hecho.

Los servidores de la tercera terminal (rq-dashboard, las métricas) escuchan
en un puerto libre de 127.0.0.1, para no chocar con nada de la máquina; el
libro los enseña en el puerto que teclea el lector (9181, 8001, 9726), como
enseña localhost:6379 en lugar del Redis privado de las pruebas.
"""

import socket
import sys
from datetime import datetime, timezone

from redis import Redis
from rq import Queue, Worker
from rq.job import Job

from tests.arnes import capturas, procesos, transcripciones
from tests.arnes.procesos import esperar
from tests.arnes.redis_privado import puerto_libre
from tests.arnes.transcripciones import escenario

CARPETA = "vigilancia"
ENTORNO = {"PYTHONPATH": "../rq"}
INFORME = "tareas.tarea_pesada_y_falible(14400, fallar=False)"
USUARIO, CONTRASENA = "admin", "secreto"
TOKEN = "secreto-de-prometheus"


def conexion():
    return Redis.from_url(procesos.entorno()["REDIS_URL"])


def worker_con_el_informe():
    """El worker de la segunda terminal, ya con el informe entre manos, o None."""
    for worker in Worker.all(connection=conexion()):
        trabajo = worker.get_current_job()
        if trabajo is not None and trabajo.description == INFORME:
            return worker
    return None


def esperar_al_informe():
    # A velocidad real, el worker tarda unos diez segundos en despachar high
    # y default y llegar al informe; el texto le pide al lector lo mismo.
    return esperar(worker_con_el_informe, limite=60, que="que el worker llegara al informe")


def recortar_tras_la_primera_cola(sesion):
    """Deja el primer objeto de "queues" del JSON del panel y marca el corte con [...]."""
    inicio = max(i for i, linea in enumerate(sesion.lineas) if linea.startswith("$ "))
    cierre = next(i for i, linea in enumerate(sesion.lineas) if i > inicio and linea == "        },")
    del sesion.lineas[cierre + 1:]
    sesion.lineas.append("[...]")


class Servidor:
    """Un servidor de la tercera terminal: en un puerto libre, enseñado en el del libro."""

    def __init__(self, sesion, orden, puerto):
        self.sesion = sesion
        self.orden = orden
        self.mostrado = str(puerto)
        self.real = str(puerto_libre())
        self.vivo = None

    def real_de(self, texto):
        return texto.replace(self.mostrado, self.real)

    def mostrado_de(self, texto):
        return texto.replace(f"127.0.0.1:{self.real}", f"127.0.0.1:{self.mostrado}")

    def __enter__(self):
        # Guardamos el contexto: si se perdiera, se cerraría y con él el servidor.
        self._terminal = self.sesion.en_otra_terminal(self.real_de(self.orden))
        self.vivo = self._terminal.__enter__()
        esperar(self._escucha, limite=20, que=f"que «{self.orden}» escuchara")
        return self

    def _escucha(self):
        assert self.vivo.proceso.poll() is None, self.vivo.texto()
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", int(self.real))) == 0

    def ejecutar(self, orden, **opciones):
        """Una orden de la primera terminal contra este servidor (curl)."""
        resultado = self.sesion.ejecutar(self.real_de(orden), anotar=False, **opciones)
        self.sesion.anotar(f"$ {orden}", self.mostrado_de(resultado.stdout))
        return resultado

    def ctrl_c(self):
        """Ctrl+C en la tercera terminal; devuelve lo que escribió, en el puerto del libro."""
        assert self.vivo.ctrl_c() == 0, self.vivo.texto()
        return self.mostrado_de(self.vivo.texto())

    def __exit__(self, *excepcion):
        return self._terminal.__exit__(*excepcion)


@escenario("vigilancia/vaciar")
def vaciar(s):
    s.ejecutar("python ../rq/vaciar_redis.py")


@escenario("vigilancia/cargar")
def cargar(s):
    s.ejecutar("python cargar.py")


@escenario("vigilancia/info")
def info(s):
    esperar_al_informe()
    s.ejecutar("rq info high default low")


@escenario("vigilancia/info-opciones")
def info_opciones(s):
    s.ejecutar("rq info -R high default low")
    s.ejecutar("rq info --only-workers")
    s.ejecutar("rq info --only-queues low")


@escenario("vigilancia/info-limpia")
def info_limpia(s):
    s.ejecutar("rq info --only-queues high")


@escenario("vigilancia/resumen")
def resumen(s):
    s.ejecutar("python resumen.py")


@escenario("vigilancia/panel")
def panel(s):
    """rq-dashboard en la tercera terminal, curl en la primera y las capturas del libro."""
    orden = (
        'rq-dashboard --bind 127.0.0.1 --port 9181 --redis-url "$REDIS_URL"'
        f" --username {USUARIO} --password {CONTRASENA}"
    )
    with Servidor(s, orden, 9181) as servidor:
        antes = len(s.lineas)
        servidor.ejecutar("curl -s -w ' %{http_code}\\n' http://127.0.0.1:9181/0/data/queues.json")
        servidor.ejecutar(f"curl -s -u {USUARIO}:{CONTRASENA} http://127.0.0.1:9181/0/data/queues.json | python -m json.tool")
        recortar_tras_la_primera_cola(s)
        servidor.ejecutar(f"curl -s -u {USUARIO}:{CONTRASENA} http://127.0.0.1:9181/0/data/workers.json | python -m json.tool")
        curl = s.lineas[antes:]
        del s.lineas[antes:]
        hacer_capturas(f"http://127.0.0.1:{servidor.real}")
        terminal = servidor.ctrl_c()
    # Primero lo que se ve en la tercera terminal; después, la primera.
    s.anotar(f"$ {orden}", terminal)
    s.anotar(*curl)


def hacer_capturas(url):
    """La página de las colas y la de un trabajo fallido, como las ve el lector."""
    if not capturas.hay_navegador():
        return
    # El lector pulsa en uno de los fallidos; el libro enseña el de 4 s.
    default = Queue("default", connection=conexion())
    [fallido] = [
        trabajo.id for trabajo in Job.fetch_many(default.failed_job_registry.get_job_ids(), connection=conexion())
        if trabajo.description == "tareas.tarea_pesada_y_falible(4, fallar=True)"
    ]
    paginas = [
        capturas.Pagina("colas", "/0/view/queues", "Finished jobs"),
        capturas.Pagina("trabajo-fallido", f"/0/view/job/{fallido}", "ValueError: la tarea de 4 s", entera=True),
    ]
    sustituciones = [
        (str(procesos.EJEMPLOS), transcripciones.RAIZ_MOSTRADA),
        (sys.prefix, f"{transcripciones.RAIZ_MOSTRADA}/.venv"),
        (procesos.entorno()["REDIS_URL"], transcripciones.REDIS_MOSTRADO),
    ]
    reescribir = transcripciones.modo() == "reescribir"
    capturas.capturar(
        url, paginas, capturas.carpeta("vigilancia", reescribir),
        credenciales={"username": USUARIO, "password": CONTRASENA}, sustituciones=sustituciones,
    )


@escenario("vigilancia/metricas-django")
def metricas_django(s):
    orden = f"RQ_API_TOKEN={TOKEN} python metricas_django.py runserver 127.0.0.1:8001"
    with Servidor(s, orden, 8001) as servidor:
        servidor.ejecutar(f"curl -s -H 'Authorization: Bearer {TOKEN}' http://127.0.0.1:8001/metrics/")
        servidor.ejecutar("curl -s -w '\\n%{http_code}\\n' http://127.0.0.1:8001/metrics/")
        servidor.ctrl_c()


@escenario("vigilancia/metricas")
def metricas(s):
    orden = "python metricas.py 9726"
    with Servidor(s, orden, 9726) as servidor:
        antes = len(s.lineas)
        servidor.ejecutar("curl -s http://127.0.0.1:9726/metrics")
        curl = s.lineas[antes:]
        del s.lineas[antes:]
        terminal = servidor.ctrl_c()
    s.anotar(f"$ {orden}", terminal)
    s.anotar(*curl)


@escenario("vigilancia/salud")
def salud(s):
    s.ejecutar("python salud.py high default; echo $?")
    # El primer trabajo de low tiene que llevar más de 5 s en la cola; a
    # velocidad real, y en casa del lector, hace rato que los lleva.
    low = Queue("low", connection=conexion())
    esperar(lambda: _espera(low) > 5, limite=10, que="que low llevara 5 s esperando")
    s.ejecutar("python salud.py --espera-maxima 5 high default low; echo $?")


def _espera(cola):
    """Segundos que lleva en la cola su primer trabajo."""
    [primero] = cola.get_jobs(0, 1)
    return (datetime.now(timezone.utc) - primero.enqueued_at).total_seconds()


@escenario("vigilancia/sin-workers")
def sin_workers(s):
    s.ejecutar("python salud.py high default; echo $?")
