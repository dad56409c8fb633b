"""Escenarios del capítulo "Señales, paradas y trabajos abandonados" (docs/senales.rst).

Workers reales, señales reales (kill desde la terminal del lector, con el PID
que el worker dice en la primera línea de su log) y un Redis real.

El capítulo se lee con dos terminales: en la segunda, un worker que sigue en
marcha de un paso al siguiente (``sesion.terminales``, las mismas que cierra
el capítulo al acabar); en la primera, las órdenes que le hacen cosas. Cada
paso tiene dos salidas: lo que se teclea en la primera terminal
(``senales/<paso>``) y lo que el worker escribe mientras tanto en la segunda
(``senales/<paso>-log``).

El vigía (tests/arnes/vigia.py) mira el capítulo entero: empieza con el
primer worker y pide cuentas en el último paso, cuando todo trabajo tiene que
estar en un estado final y en su registro.

Bajo prueba, la tarea va cien veces más deprisa: un trabajo de 300 "segundos"
dura tres de verdad, y en una máquina cargada la orden del lector (bash, kill,
pgrep, python) puede llegar tarde. Por eso, solo bajo prueba, congelamos el
proceso hijo (SIGSTOP) en cuanto empieza la tarea y lo descongelamos
(SIGCONT) después de la orden: como dejar_caducar, solo cambia el reloj, no
lo que pasa ni lo que se ve. A velocidad real, el lector tiene todo el
trabajo para teclear.
"""

import contextlib
import os
import re
import signal
import threading
import time

import psutil
from redis import Redis
from rq import Queue, Worker
from rq.job import Job

from tests.arnes import procesos
from tests.arnes.procesos import esperar, matar
from tests.arnes.transcripciones import escenario, tiempo_real
from tests.arnes.vigia import vigilar_trabajos

CARPETA = "senales"
# La tarea, la conexión y el informe están en examples/rq: el capítulo pide
# exportar PYTHONPATH=../rq en cada terminal.
ENTORNO = {"PYTHONPATH": "../rq"}

WORKER = "rq worker"
TAREA = "tareas.tarea_pesada_y_falible"
INFORME = "python ../rq/fallos_informe.py"

# Lo que un paso deja para el siguiente, como en las terminales del lector.
_estado = {"vigia": None}


def conexion():
    return Redis.from_url(procesos.entorno()["REDIS_URL"])


def cola():
    return Queue(connection=conexion())


def encolar_con_rq(segundos):
    """La orden de la primera terminal que encola la tarea con un resultado seguro."""
    return f"rq enqueue {TAREA} :{segundos} fallar:=false"


def lo_nuevo(vivo):
    """Lo que ha escrito la terminal desde la última vez que la enseñamos.

    La marca va en el propio proceso (y no en un diccionario por id(), que
    Python reutiliza en cuanto un proceso terminado deja de existir).
    """
    texto = vivo.texto()
    desde = getattr(vivo, "mostrado_hasta", 0)
    vivo.mostrado_hasta = len(texto)
    return texto[desde:]


def con_killed(vivo, muerte, prompt=True):
    """Lo que ve el lector en la terminal de `vivo`, muerto por SIGKILL cuando había escrito `muerte` caracteres.

    Si la orden en primer plano muere por SIGKILL, bash escribe "Killed"
    donde esté el cursor y vuelve a dar el prompt ("$ "); lo que escriba
    después un hijo huérfano sale detrás del prompt. Con prompt=False, sin
    el prompt: no sale nada más.
    """
    assert vivo.proceso.returncode == -signal.SIGKILL, vivo.proceso.returncode
    texto = vivo.texto()
    return texto[:muerte] + "Killed\n" + ("$ " if prompt else "") + texto[muerte:]


def el_worker(sesion):
    return sesion.terminales.abierta(WORKER)


def empezar(sesion, vivo, segundos, orden):
    """Teclea `orden` (que encola) y espera a que el proceso hijo empiece la tarea.

    Devuelve lo que escribió la orden y el hijo (un Congelado). No basta con
    el estado "started": el hijo lo apunta un instante antes de llamar a la
    tarea, y una señal en ese instante cambiaría lo que se ve. Lo que se le
    haga al trabajo después tiene que llegar antes de que acabe: bajo prueba,
    el hijo se queda congelado desde que empieza la tarea (ver Congelado).
    """
    marca = f"tarea_pesada_y_falible ({segundos}) "
    hijo = Congelado(vivo, marca, veces=vivo.texto().count(marca) + 1)
    resultado = sesion.ejecutar(orden)
    hijo.esperar()
    return resultado, hijo


class Congelado:
    """El proceso hijo, quieto desde que empieza la tarea hasta que llega la orden del lector.

    Solo bajo prueba. Allí un trabajo de 100 "segundos" dura uno de verdad,
    y en una máquina cargada la orden que encola (bash, un intérprete que
    arranca y acaba) o la siguiente pueden tardar más que eso: congelar al
    hijo después de verlo empezar llegaba a veces tarde. Así que un hilo lo
    busca desde antes de encolar, lo para (SIGSTOP) en cuanto existe y lo deja
    avanzar a pasos de milisegundos (SIGCONT, SIGSTOP) hasta que ha escrito
    la marca de la tarea: ahí se queda, con la tarea recién empezada, tarde
    lo que tarde lo demás. Como dejar_caducar, solo cambia el reloj.

    SIGKILL mata también a un proceso parado; SIGTERM espera a que siga (con
    SIGCONT) y entonces lo mata, como si hubiera llegado en ese momento.
    """

    PASO = 0.002  # lo que dejamos avanzar al hijo de cada vez
    MIRADA = 0.02  # lo que esperamos, con él parado, a que llegue su salida
    LIMITE = 60.0

    def __init__(self, vivo, marca, veces):
        self.vivo, self.marca, self.veces = vivo, marca, veces
        self.hijo = None
        self._error = None
        self._hilo = None
        if not tiempo_real():
            self._antes = set(self._hijos())
            self._hilo = threading.Thread(target=self._congelar, daemon=True)
            self._hilo.start()

    def _hijos(self):
        """Los work-horses del worker: sus hijos con grupo de procesos propio (os.setpgrp)."""
        with contextlib.suppress(psutil.NoSuchProcess):
            for hijo in psutil.Process(self.vivo.pid).children():
                with contextlib.suppress(ProcessLookupError, psutil.NoSuchProcess):
                    if os.getpgid(hijo.pid) == hijo.pid and hijo.status() != psutil.STATUS_ZOMBIE:
                        yield hijo.pid

    def _congelar(self):
        try:
            fin = time.monotonic() + self.LIMITE
            while not (nuevos := set(self._hijos()) - self._antes):
                if time.monotonic() > fin:
                    raise AssertionError("el worker no ha creado el proceso hijo del trabajo")
                time.sleep(0.001)
            [pid] = nuevos
            matar(pid, signal.SIGSTOP)
            self.hijo = pid
            self.vivo.hijos_vistos.add(pid)
            while True:
                time.sleep(self.MIRADA)
                if self.vivo.texto().count(self.marca) >= self.veces:
                    return
                if procesos.muerto(pid):
                    raise AssertionError("el proceso hijo ha muerto antes de empezar la tarea")
                if time.monotonic() > fin:
                    raise AssertionError(f"el proceso hijo no ha escrito {self.marca!r}")
                matar(pid, signal.SIGCONT)
                time.sleep(self.PASO)
                matar(pid, signal.SIGSTOP)
        except BaseException as error:  # Lo relanza esperar(), en el hilo de la prueba.
            self._error = error

    def esperar(self):
        """Espera a que la tarea haya empezado (bajo prueba, con el hijo ya congelado)."""
        if self._hilo is None:
            self.vivo.esperar_texto(self.marca, veces=self.veces)
            self.hijo = self.vivo.hijo()
            return
        self._hilo.join(timeout=self.LIMITE + 10)
        if self._error is not None:
            raise self._error

    def soltar(self):
        if not tiempo_real():
            matar(self.hijo, signal.SIGCONT)


def esperar_que_escuche(vivo):
    """Que el worker esté ya esperando en la cola (estado idle), y no a punto de hacerlo."""
    nombre = re.search(r"Worker (\w+): started", vivo.texto())[1]
    esperar(lambda: Worker.find_by_key(f"rq:worker:{nombre}", connection=conexion()).get_state() == "idle",
            que="que el worker esperase trabajo en la cola")


def dejar_caducar(una_cola):
    """Deja que caduquen las entradas del StartedJobRegistry de la cola.

    La puntuación de cada entrada es la hora (Unix) a la que caduca. A
    velocidad real esperamos de verdad a esa hora (hasta 90 s con los
    valores por defecto de RQ), como el lector. Bajo prueba adelantamos el
    reloj solo para esas entradas: les ponemos una hora ya pasada. Lo demás
    (quién las encuentra y qué hace con ellas) es igual de real en los dos casos.
    """
    redis = una_cola.connection
    clave = una_cola.started_job_registry.key
    entradas = redis.zrange(clave, 0, -1, withscores=True)
    if not entradas:
        return
    if tiempo_real():
        # RQ compara con la hora en segundos enteros: un segundo de margen.
        time.sleep(max(0.0, max(hora for _, hora in entradas) + 1.5 - time.time()))
        return

    # Todas al pasado, una por segundo, en el orden en que empezaron sus
    # trabajos (como caducarían de verdad; a igual hora, RQ desempata por el
    # identificador, que es aleatorio).
    def empezado_a(entrada):
        return Job.fetch(entrada.decode().split(":")[0], connection=redis).started_at

    ordenadas = sorted((e for e, _ in entradas), key=empezado_a)
    ahora = int(time.time())
    redis.zadd(clave, {e: ahora - len(ordenadas) + i for i, e in enumerate(ordenadas)})


@escenario("senales/vaciar")
def vaciar(sesion):
    sesion.ejecutar("python ../rq/vaciar_redis.py")


# --- El worker de las señales: del primer paso a la parada ordenada. ---

@escenario("senales/worker")
def worker(sesion):
    """En la segunda terminal, `rq worker`: su primera línea dice su PID."""
    vigia = contextlib.ExitStack()
    vigia.enter_context(vigilar_trabajos(procesos.entorno()["REDIS_URL"]))
    _estado["vigia"] = vigia
    w = sesion.terminales.abrir(WORKER)
    # El primer worker tras vaciar Redis limpia también los registros de grupos.
    w.esperar_texto("cleaning group registries")
    sesion.anotar(f"$ {WORKER}", lo_nuevo(w))


@escenario("senales/hijo-kill-9")
def hijo_kill_9(sesion):
    w = el_worker(sesion)
    _, hijo = empezar(sesion, w, 300, encolar_con_rq(300))
    sesion.ejecutar(f"kill -9 $(pgrep -P {w.pid})")
    hijo.soltar()
    w.esperar_texto("Work horse killed for job")


@escenario("senales/hijo-kill-9-log")
def hijo_kill_9_log(sesion):
    sesion.anotar(lo_nuevo(el_worker(sesion)))


@escenario("senales/hijo-sigterm")
def hijo_sigterm(sesion):
    w = el_worker(sesion)
    _, hijo = empezar(sesion, w, 300, encolar_con_rq(300))
    sesion.ejecutar(f"kill -TERM $(pgrep -P {w.pid})")
    hijo.soltar()
    w.esperar_texto("Work horse killed for job", veces=2)


@escenario("senales/hijo-sigterm-log")
def hijo_sigterm_log(sesion):
    sesion.anotar(lo_nuevo(el_worker(sesion)))


@escenario("senales/detener")
def detener(sesion):
    w = el_worker(sesion)
    encolado, hijo = empezar(sesion, w, 300, "python encolar.py 300 --reintentos 2")
    trabajo_id = encolado.stdout.split()[-1]
    sesion.ejecutar(f"python detener.py {trabajo_id}")
    hijo.soltar()
    w.esperar_texto("stopped by user, moving job to FailedJobRegistry")


@escenario("senales/detener-log")
def detener_log(sesion):
    sesion.anotar(lo_nuevo(el_worker(sesion)))


@escenario("senales/suspender")
def suspender(sesion):
    """rq suspend con el worker ya esperando en la cola: se lleva el siguiente trabajo."""
    w = el_worker(sesion)
    esperar_que_escuche(w)
    sesion.ejecutar("rq suspend")
    sesion.ejecutar(encolar_con_rq(2))
    w.esperar_texto("suspended, run `rq resume` to resume")
    sesion.ejecutar(encolar_con_rq(3))
    sesion.ejecutar("rq worker", codigo=1)
    sesion.ejecutar("rq resume")
    # El worker suspendido mira cada segundo si ya puede seguir.
    w.esperar_texto("tarea_pesada_y_falible (3) ")
    w.esperar_texto("Job OK", veces=2)


@escenario("senales/suspender-log")
def suspender_log(sesion):
    sesion.anotar(lo_nuevo(el_worker(sesion)))


@escenario("senales/parada-ordenada")
def parada_ordenada(sesion):
    w = el_worker(sesion)
    _, hijo = empezar(sesion, w, 100, encolar_con_rq(100))
    sesion.ejecutar(f"kill -TERM {w.pid}")
    w.esperar_texto("warm shut down requested")
    hijo.soltar()


@escenario("senales/parada-ordenada-log")
def parada_ordenada_log(sesion):
    w = el_worker(sesion)
    sesion.terminales.terminada(WORKER, limite=200)
    sesion.anotar(lo_nuevo(w))


# --- Otros workers, que acaban peor. ---

@escenario("senales/parada-inmediata")
def parada_inmediata(sesion):
    """Dos SIGTERM con un segundo entre medias: el segundo mata al hijo."""
    w = sesion.terminales.abrir(WORKER)
    _, hijo = empezar(sesion, w, 300, "python encolar.py 300")
    sesion.ejecutar(f"kill -TERM {w.pid}")
    # El segundo aviso cuenta si llega un segundo después de que el worker
    # atendiera el primero (lo dice en su log).
    w.esperar_texto("warm shut down requested")
    sesion.ejecutar("sleep 1")
    sesion.ejecutar(f"kill -TERM {w.pid}")
    w.esperar_texto("killed horse pid")
    hijo.soltar()


@escenario("senales/parada-inmediata-log")
def parada_inmediata_log(sesion):
    w = el_worker(sesion)
    sesion.terminales.terminada(WORKER)
    sesion.anotar(f"$ {WORKER}", lo_nuevo(w))


@escenario("senales/huerfano")
def huerfano(sesion):
    """kill -9 solo al worker: el hijo sigue solo, acaba y guarda el resultado."""
    w = sesion.terminales.abrir(WORKER)
    _, congelado = empezar(sesion, w, 100, encolar_con_rq(100))
    # Aquí lo soltamos antes del kill: si el padre muere con el hijo parado,
    # el grupo del hijo queda huérfano con un proceso parado, y Unix le manda
    # SIGHUP (y SIGCONT), que lo mataría. Le queda un segundo de verdad: de
    # sobra para el kill, que ya no espera a nada más.
    hijo = congelado.hijo
    congelado.soltar()
    sesion.ejecutar(f"kill -9 {w.pid}")
    w.proceso.wait(timeout=10)
    # Hasta donde había escrito cuando murió: ahí escribe bash "Killed".
    w.muerte = len(w.texto())
    esperar(lambda: procesos.muerto(hijo), limite=200, que="que el hijo huérfano terminara su trabajo")


@escenario("senales/huerfano-log")
def huerfano_log(sesion):
    w = el_worker(sesion)
    sesion.terminales.terminada(WORKER)
    sesion.anotar(f"$ {WORKER}", con_killed(w, w.muerte))


@escenario("senales/los-dos")
def los_dos(sesion):
    """kill -9 al worker y a su hijo a la vez, como cuando cae la máquina."""
    w = sesion.terminales.abrir(WORKER)
    _, hijo = empezar(sesion, w, 100, "python encolar.py 100 --reintentos 1")
    # Primero el PID del hijo, a la vista; luego los dos, el del worker delante.
    sesion.ejecutar(f"pgrep -P {w.pid}")
    sesion.ejecutar(f"kill -9 {w.pid} {hijo.hijo}")
    hijo.soltar()


@escenario("senales/los-dos-log")
def los_dos_log(sesion):
    w = el_worker(sesion)
    sesion.terminales.terminada(WORKER)
    sesion.anotar(f"$ {WORKER}", con_killed(w, len(w.texto()), prompt=False))


@escenario("senales/en-curso")
def en_curso(sesion):
    sesion.ejecutar(INFORME)


@escenario("senales/rescate")
def rescate(sesion):
    """Pasada la hora, cualquiera que limpie el registro los encuentra: aquí, rq info."""
    dejar_caducar(cola())
    sesion.ejecutar("rq info --only-queues")
    sesion.ejecutar("rq worker --burst", timeout=300)
    sesion.ejecutar(INFORME)
    vigia, _estado["vigia"] = _estado["vigia"], None
    assert vigia is not None, "falta el vigía del capítulo: lo arranca la salida senales/worker, que ha fallado antes"
    vigia.close()  # Pide cuentas: ningún trabajo del capítulo se ha perdido.
