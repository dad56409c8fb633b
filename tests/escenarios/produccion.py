"""Escenarios del capítulo "RQ en producción" (docs/produccion.rst).

supervisor de verdad (el de PyPI, como demonio y como usuario normal), workers
reales y señales reales, desde examples/rq como el lector. supervisord deja
en examples/produccion/supervisor/ su log, el de cada worker, su PID y su
socket; el capítulo le dice al lector que cree esa carpeta y, al final, que
la borre.

Bajo prueba la tarea va cien veces más deprisa, pero los plazos de
supervisor y del "contenedor" son segundos de verdad: los trabajos que deben
sobrevivir a un plazo corto duran 900 "segundos" (9 s bajo prueba) y el
plazo corto es de 2 s.

El vigía (tests/arnes/vigia.py) mira el capítulo entero: ningún trabajo se
pierde, ni siquiera los que mata un plazo corto.
"""

import contextlib
import os
import shutil
import signal
import sys
import threading
import time

import psutil
import pytest
from redis import Redis
from rq import Queue

from tests.arnes import procesos
from tests.arnes.procesos import esperar, matar
from tests.arnes.transcripciones import escenario, tiempo_real
from tests.arnes.vigia import vigilar_trabajos
from tests.escenarios.senales import dejar_caducar, lo_nuevo

CARPETA = "rq"
# El lector tiene el entorno virtual activado: supervisord.conf lee VIRTUAL_ENV.
ENTORNO = {"VIRTUAL_ENV": sys.prefix}

CONF = "../produccion/supervisord.conf"
CORTO = "../produccion/supervisord-corto.conf"
RECICLAR = "../produccion/supervisord-reciclar.conf"
SUPERVISOR = procesos.EJEMPLOS / "produccion" / "supervisor"
TAREA = "tareas.tarea_pesada_y_falible"
INFORME = "python fallos_informe.py"

_estado = {"vigia": None}


def encolar(segundos):
    return f"rq enqueue {TAREA} :{segundos} fallar:=false"


def log_de_supervisord():
    with contextlib.suppress(FileNotFoundError):
        return (SUPERVISOR / "supervisord.log").read_text(encoding="utf-8", errors="replace")
    return ""


def esperar_en_el_log(texto, veces):
    """Espera a que el log de supervisord diga `texto` `veces` veces en total.

    Leer el log es barato; preguntar con supervisorctl arranca un Python cada vez.
    """
    esperar(lambda: log_de_supervisord().count(texto) >= veces, limite=15,
            que=f"que supervisord escribiera {texto!r} {veces} veces")


def todos_en_marcha():
    """Los dos workers en RUNNING: supervisor lo apunta cuando llevan vivos un segundo (startsecs)."""
    ya = log_de_supervisord().count("entered RUNNING state")
    return lambda: esperar_en_el_log("entered RUNNING state", ya + 2)


def supervisord_vivos():
    """Los supervisord de este capítulo que siguen en marcha.

    Por su fichero de PID y, por si un capítulo que falla a medias dejó
    otro (el del plazo corto comparte ese fichero), por su orden y su carpeta.
    """
    vivos = []
    with contextlib.suppress(FileNotFoundError, ValueError, psutil.NoSuchProcess):
        proceso = psutil.Process(int((SUPERVISOR / "supervisord.pid").read_text()))
        if "supervisord" in " ".join(proceso.cmdline()):
            vivos.append(proceso)
    carpeta = str(procesos.EJEMPLOS / "rq")
    for proceso in psutil.process_iter(["cmdline", "cwd"]):
        orden = " ".join(proceso.info["cmdline"] or [])
        if ("supervisord -c ../produccion/supervisord" in orden and proceso.info["cwd"] == carpeta
                and proceso not in vivos):
            vivos.append(proceso)
    return vivos


def acabar_con_supervisord():
    """supervisord y todo lo que cuelga de él, sin cortesías. Devuelve si había algo."""
    vivos = supervisord_vivos()
    for proceso in vivos:
        restos = [proceso, *proceso.children(recursive=True)]
        for resto in restos:
            with contextlib.suppress(psutil.NoSuchProcess):
                resto.kill()
        psutil.wait_procs(restos, timeout=10)
    return [f"supervisord (PID {p.pid})" for p in vivos]


def recoger():
    """Al acabar el capítulo (conftest.py): ningún supervisord sigue vivo."""
    olvidados = acabar_con_supervisord()
    if _estado["vigia"] is not None:
        _estado["vigia"].close()
        _estado["vigia"] = None
    shutil.rmtree(SUPERVISOR, ignore_errors=True)
    for copia in ("supervisord-corto.conf", "supervisord-reciclar.conf"):
        procesos.EJEMPLOS.joinpath("produccion", copia).unlink(missing_ok=True)
    return olvidados


def log_del_worker_con(texto):
    """El log del worker (de los dos de supervisor) que ha escrito `texto`."""
    def buscar():
        for log in sorted(SUPERVISOR.glob("rq-worker-*.log")):
            if texto in log.read_text(encoding="utf-8", errors="replace"):
                return log
        return None
    return esperar(buscar, que=f"que un worker de supervisor escribiera {texto!r}")


def hijo_de(worker):
    """El proceso hijo (work-horse) del worker, o None: el hijo con su propio grupo de procesos."""
    with contextlib.suppress(psutil.NoSuchProcess, ProcessLookupError):
        for hijo in psutil.Process(worker).children():
            if os.getpgid(hijo.pid) == hijo.pid:
                return hijo.pid
    return None


class Congelado:
    """Bajo prueba, el hijo quieto desde que empieza la tarea hasta que el worker recibe la parada.

    Un trabajo de 100 "segundos" dura uno de verdad bajo prueba: en una máquina
    cargada, la orden que para el worker (supervisorctl, kill) puede llegar
    cuando ya ha terminado. Como en el capítulo de señales, lo paramos
    (SIGSTOP) en cuanto la tarea escribe `marca` y lo soltamos (SIGCONT) en
    cuanto el worker escribe "warm shut down requested": solo cambia el
    reloj, no lo que pasa ni lo que se ve. Un hilo lo vigila desde antes de
    encolar, para no llegar tarde.

    `vigilados()` da pares (PID de un worker, función que devuelve su log).
    """

    def __init__(self, marca, vigilados):
        self.hilo = None
        self.congelado = threading.Event()
        if tiempo_real():
            self.congelado.set()
            return

        def vigilar():
            fin = time.monotonic() + 60
            while time.monotonic() < fin:
                for worker, texto in vigilados():
                    hijo = hijo_de(worker)
                    if hijo and marca in texto():
                        matar(hijo, signal.SIGSTOP)
                        self.congelado.set()
                        with contextlib.suppress(AssertionError):
                            esperar(lambda: "warm shut down requested" in texto(), limite=60, que="la parada")
                        matar(hijo, signal.SIGCONT)
                        return
                time.sleep(0.005)
            self.congelado.set()

        self.hilo = threading.Thread(target=vigilar, daemon=True)
        self.hilo.start()

    def esperar_congelado(self):
        assert self.congelado.wait(timeout=60), "el hijo no llegó a empezar la tarea"

    def soltado(self):
        if self.hilo is not None:
            self.hilo.join(timeout=70)


def workers_de_supervisor():
    """(PID, log) de cada worker de supervisor, por el PID de supervisord y sus procesos."""
    pares = []
    for supervisord in supervisord_vivos():
        with contextlib.suppress(psutil.NoSuchProcess):
            for worker in supervisord.children():
                for log in SUPERVISOR.glob("rq-worker-*.log"):
                    pares.append((worker.pid, lambda log=log: log.read_text(encoding="utf-8", errors="replace")))
    return pares


def cola():
    return Queue(connection=Redis.from_url(procesos.entorno()["REDIS_URL"]))


@escenario("produccion/vaciar")
def vaciar(sesion):
    # Lo que dejara una ejecución interrumpida (el lector la borra al final).
    recoger()
    sesion.ejecutar("python vaciar_redis.py")


# --- supervisor ---

@escenario("produccion/arrancar")
def arrancar(sesion):
    vigia = contextlib.ExitStack()
    vigia.enter_context(vigilar_trabajos(procesos.entorno()["REDIS_URL"]))
    _estado["vigia"] = vigia
    sesion.ejecutar("mkdir -p ../produccion/supervisor")
    en_marcha = todos_en_marcha()
    sesion.ejecutar(f"supervisord -c {CONF}")
    # El lector espera un par de segundos: supervisor da por buenos los
    # procesos que siguen vivos pasado un segundo (startsecs).
    en_marcha()
    sesion.ejecutar(f"supervisorctl -c {CONF} status")


@escenario("produccion/rearrancar")
def rearrancar(sesion):
    """kill -9 a un worker: supervisor arranca otro en su lugar."""
    sesion.ejecutar(f"kill -9 $(supervisorctl -c {CONF} pid rq-worker:rq-worker-0)")
    esperar_en_el_log("success: rq-worker-0 entered RUNNING state", 2)
    sesion.ejecutar(f"supervisorctl -c {CONF} status")
    sesion.ejecutar("grep -E 'exited|spawned' ../produccion/supervisor/supervisord.log")


@escenario("produccion/parada-ordenada")
def parada_ordenada(sesion):
    hijo = Congelado("tarea_pesada_y_falible (100) ", workers_de_supervisor)
    sesion.ejecutar(encolar(100))
    log = log_del_worker_con("tarea_pesada_y_falible (100) ")
    hijo.esperar_congelado()
    sesion.ejecutar(f"supervisorctl -c {CONF} stop 'rq-worker:*'")
    hijo.soltado()
    sesion.ejecutar("grep 'stopped:' ../produccion/supervisor/supervisord.log")
    sesion.ejecutar(f"tail -n 7 ../produccion/supervisor/{log.name}")


@escenario("produccion/apagar")
def apagar(sesion):
    sesion.ejecutar(f"supervisorctl -c {CONF} shutdown")
    esperar(lambda: not supervisord_vivos(), que="que supervisord terminara")


@escenario("produccion/reciclar")
def reciclar(sesion):
    """--max-jobs 1 y dos trabajos: cada worker hace uno, sale con código 0 y supervisor arranca otro."""
    sesion.ejecutar(f"sed 's/rq worker high/rq worker --max-jobs 1 high/' {CONF} > {RECICLAR}")
    en_marcha = todos_en_marcha()
    sesion.ejecutar(f"supervisord -c {RECICLAR}")
    en_marcha()
    rearrancados = todos_en_marcha()
    sesion.ejecutar("python fallos_encolar.py 2")
    # El lector espera unos segundos: los dos han salido y supervisor los ha rearrancado.
    rearrancados()
    sesion.ejecutar("grep quitting ../produccion/supervisor/rq-worker-*.log")
    sesion.ejecutar(f"supervisorctl -c {RECICLAR} status")


@escenario("produccion/reciclar-apagar")
def reciclar_apagar(sesion):
    sesion.ejecutar(f"supervisorctl -c {RECICLAR} shutdown")
    esperar(lambda: not supervisord_vivos(), que="que supervisord terminara")


@escenario("produccion/plazo-corto")
def plazo_corto(sesion):
    sesion.ejecutar(f"sed 's/^stopwaitsecs=200/stopwaitsecs=2/' {CONF} > {CORTO}")
    en_marcha = todos_en_marcha()
    sesion.ejecutar(f"supervisord -c {CORTO}")
    en_marcha()
    sesion.ejecutar(encolar(900))
    log_del_worker_con("tarea_pesada_y_falible (900) ")
    sesion.ejecutar(f"supervisorctl -c {CORTO} stop 'rq-worker:*'")
    sesion.ejecutar("grep SIGKILL ../produccion/supervisor/supervisord.log")
    # El hijo huérfano escribe su siguiente punto y se encuentra el tubo cerrado.
    esperar(lambda: cola().failed_job_registry.count == 1, que="que el trabajo de 900 fallara")
    sesion.ejecutar(INFORME)
    sesion.ejecutar(f"supervisorctl -c {CORTO} shutdown")
    esperar(lambda: not supervisord_vivos(), que="que supervisord terminara")


# --- Contenedores ---

CONTENEDOR_LARGO = "python ../produccion/contenedor.py 200 rq worker"
CONTENEDOR_CORTO = "python ../produccion/contenedor.py 2 rq worker"


@escenario("produccion/contenedor")
def contenedor(sesion):
    # Su primera limpieza de registros sale justo después de "Listening on".
    vivo = sesion.terminales.abrir(CONTENEDOR_LARGO, listo="cleaning registries for queue: default")
    sesion.anotar(f"$ {CONTENEDOR_LARGO}", lo_nuevo(vivo))


@escenario("produccion/contenedor-parar")
def contenedor_parar(sesion):
    vivo = sesion.terminales.abiertas[CONTENEDOR_LARGO]
    [worker] = psutil.Process(vivo.pid).children()
    hijo = Congelado("tarea_pesada_y_falible (100) ", lambda: [(worker.pid, vivo.texto)])
    sesion.ejecutar(encolar(100))
    vivo.esperar_texto("tarea_pesada_y_falible (100) ")
    hijo.esperar_congelado()
    sesion.ejecutar(f"kill -TERM {vivo.pid}")
    hijo.soltado()


@escenario("produccion/contenedor-parar-log")
def contenedor_parar_log(sesion):
    vivo = sesion.terminales.abiertas[CONTENEDOR_LARGO]
    sesion.terminales.terminada(CONTENEDOR_LARGO, limite=300)
    sesion.anotar(lo_nuevo(vivo))


@escenario("produccion/contenedor-corto")
def contenedor_corto(sesion):
    """En la segunda terminal, el contenedor de 2 s de gracia, antes de encolar nada."""
    vivo = sesion.terminales.abrir(CONTENEDOR_CORTO, listo="cleaning registries for queue: default")
    sesion.anotar(f"$ {CONTENEDOR_CORTO}", lo_nuevo(vivo))


@escenario("produccion/gracia-corta")
def gracia_corta(sesion):
    vivo = sesion.terminales.abiertas[CONTENEDOR_CORTO]
    sesion.ejecutar(encolar(900))
    vivo.esperar_texto("tarea_pesada_y_falible (900) ")
    sesion.ejecutar(f"kill -TERM {vivo.pid}")


@escenario("produccion/gracia-corta-log")
def gracia_corta_log(sesion):
    vivo = sesion.terminales.abiertas[CONTENEDOR_CORTO]
    sesion.terminales.terminada(CONTENEDOR_CORTO, limite=30)
    sesion.anotar(lo_nuevo(vivo))


@escenario("produccion/en-curso")
def en_curso(sesion):
    sesion.ejecutar(INFORME)


@escenario("produccion/rescate")
def rescate(sesion):
    """Pasada la hora que dice el informe, rq info limpia el registro y lo encuentra."""
    dejar_caducar(cola())
    sesion.ejecutar("rq info --only-queues")
    sesion.ejecutar(INFORME)


@escenario("produccion/limpiar")
def limpiar(sesion):
    vigia, _estado["vigia"] = _estado["vigia"], None
    vigia.close()  # Pide cuentas: ningún trabajo del capítulo se ha perdido.
    sesion.ejecutar(f"rm -rf ../produccion/supervisor {CORTO} {RECICLAR}")


# --- systemd ---

@escenario("produccion/systemd")
def systemd(sesion):
    """Lo que systemd-analyze comprueba sin instalar la unidad: sintaxis y rutas."""
    if shutil.which("systemd-analyze") is None:
        pytest.skip("esta máquina no tiene systemd-analyze (paquete systemd)")
    sesion.ejecutar("systemd-analyze verify ../produccion/rq-worker@.service", codigo=1)
