"""Lo que comparten los programas de medida del capítulo de rendimiento.

La máquina en la que se mide, las cuentas (mediana y percentil 95), los
datos que se guardan junto a cada gráfico y los workers que arranca cada
medida. Los programas viven en examples/rendimiento; conexion.py, en
examples/rq (de ahí el PYTHONPATH=../rq que pide el capítulo).
"""

import json
import multiprocessing
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import rq
from redis import Redis
from rq import Queue, Worker

from conexion import conectar, url_redis

# Bajo prueba, TAREAS_ESCALA=0.01 acorta también las medidas: menos
# trabajos, el mismo código. Sin ella, la medida entera.
ESCALA = float(os.environ.get("TAREAS_ESCALA", "1"))
RESULTADOS = Path("resultados")
CLASES = {
    "Worker": "rq.worker.Worker",
    "SimpleWorker": "rq.worker.SimpleWorker",
    "SpawnWorker": "rq.worker.SpawnWorker",
}


def cuantos(completo, minimo):
    """Cuántas veces medir: `completo` en la medida de verdad, menos bajo prueba."""
    return max(1, round(max(minimo, completo * ESCALA)))


# --- La máquina y las cuentas ---

def maquina(conexion):
    """Dónde se ha medido: sin esto, una cifra no dice nada."""
    return {
        "nucleos": os.cpu_count(),
        "python": platform.python_version(),
        "redis": conexion.info("server")["redis_version"],
        "rq": rq.__version__,
        "sistema": platform.system(),
        "escala": ESCALA,
    }


def linea_de_maquina(datos):
    m = datos["maquina"]
    return (f"Máquina: {m['nucleos']} núcleos, {m['sistema']}, Python {m['python']}, "
            f"Redis {m['redis']}, RQ {m['rq']}")


def mediana(valores):
    return statistics.median(valores)


def p95(valores):
    """El percentil 95: el 95 % de las veces se tarda esto o menos."""
    if len(valores) < 2:
        return valores[0]
    return statistics.quantiles(valores, n=20, method="inclusive")[-1]


def ms(segundos, decimales=1):
    return f"{segundos * 1000:.{decimales}f} ms"


# --- Lo que queda en disco: los datos de cada medida, junto a su gráfico ---

def guardar(nombre, datos):
    """Escribe resultados/<nombre>.json y sus gráficos (uno por idioma)."""
    import graficos  # matplotlib tarda en importarse: solo al final.

    RESULTADOS.mkdir(exist_ok=True)
    ruta = RESULTADOS / f"{nombre}.json"
    ruta.write_text(json.dumps(datos, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    graficos.dibujar(nombre, datos, RESULTADOS)
    print(f"Datos en {ruta}; gráficos en {RESULTADOS}/{nombre}.svg y {nombre}.en.svg")


# --- Workers arrancados por la propia medida ---

def _trabajar(clase, colas, url):
    # En el proceso hijo: su propia conexión, como un `rq worker` recién arrancado.
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C es para la medida, no para él.
    conexion = Redis.from_url(url)
    worker = rq.utils.import_attribute(CLASES[clase])(colas, connection=conexion)
    worker.work(logging_level="WARNING")


TODOS = []
# La tarea que para a un worker por el camino seguro (ver tareas_medidas.despedida).
DESPEDIDA = "tareas_medidas.despedida"


class Workers:
    """`cuantos` workers de la clase `clase` escuchando `cola`.

    Los crea con fork(), como `rq worker-pool`: cada uno es un proceso con
    su propio Worker, igual que si lo arrancaras con `rq worker` en otra
    terminal, pero sin pagar cada vez el arranque de Python.
    """

    def __init__(self, clase, cuantos_, cola):
        self.cola = cola
        self.cuantos = cuantos_
        contexto = multiprocessing.get_context("fork")
        self.procesos = [
            contexto.Process(target=_trabajar, args=(clase, [cola.name], url_redis()), daemon=True)
            for _ in range(cuantos_)
        ]
        TODOS.extend(self.procesos)

    def __enter__(self):
        for proceso in self.procesos:
            proceso.start()
        esperar_ociosos(self.cola, self.cuantos)
        return self

    def __exit__(self, *_):
        # Un trabajo de despedida para cada uno, sin esperar a que salgan:
        # lo hacen solos mientras medimos lo siguiente. Por su nombre, como
        # las tareas medidas: este proceso no debe importar su módulo.
        for _ in self.procesos:
            self.cola.enqueue(DESPEDIDA)


def recoger_workers():
    """Espera a que hayan salido todos los workers arrancados con Workers."""
    for proceso in TODOS:
        proceso.join(timeout=60)


def esperar(condicion, limite=600, que="que terminaran los trabajos"):
    fin = time.monotonic() + limite
    while not (valor := condicion()):
        if time.monotonic() > fin:
            sys.exit(f"Error: pasaron {limite} s sin {que}")
        time.sleep(0.01)
    return valor


def resultado(trabajo, limite=120):
    """Espera el resultado de `trabajo`, bloqueado en Redis (XREAD), sin preguntar una y otra vez.

    A tramos de 4 s: cada conexión de redis-py se rinde a los 5 s
    (socket_timeout), también mientras espera.
    """
    fin = time.monotonic() + limite
    while time.monotonic() < fin:
        if (hecho := trabajo.latest_result(timeout=4)) is not None:
            return hecho
    sys.exit(f"Error: pasaron {limite} s sin el resultado de {trabajo.id}")


def esperar_terminados(cola, antes, trabajos):
    """Hasta que el registro de terminados de `cola` tenga `trabajos` más que `antes`."""
    def terminados():
        if fallidos := cola.failed_job_registry.get_job_ids():
            trabajo = cola.fetch_job(fallidos[0])
            sys.exit(f"Error: el trabajo {trabajo.id} ha fallado:\n{trabajo.latest_result().exc_string}")
        return cola.finished_job_registry.count - antes >= trabajos
    esperar(terminados)


def esperar_ociosos(cola, cuantos_):
    """Hasta que `cuantos_` workers esperan trabajo en `cola`: ninguno sale con ventaja."""
    esperar(lambda: sum(w.get_state() == "idle" for w in Worker.all(queue=cola)) >= cuantos_,
            limite=120, que="que arrancaran los workers")


def despedir(workers, cola):
    """Para workers arrancados con subprocess que escuchan `cola`, y espera a que salgan.

    Una despedida para cada uno que siga vivo: el que saca una sale al
    acabarla, sin sacar otra, así que a cada uno le toca la suya. Si alguno
    no sale en 60 s (colgado, o la medida se cortó a medias), SIGKILL.
    """
    vivos = [worker for worker in workers if worker.poll() is None]
    for _ in vivos:
        cola.enqueue(DESPEDIDA)
    for worker in vivos:
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def parar(pids):
    """SIGTERM, para `rq worker-pool`, que vuelve a arrancar a un worker que se despide solo.

    El pool manda SIGINT a cada uno de sus workers, y uno ocioso puede
    recibirlo en mitad de una conversación con Redis (ver
    tareas_medidas.despedida). Lo mandamos con todos esperando trabajo, y
    que un worker del pool se despida mal no cambia ninguna medida.
    """
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass


def cola_nueva(nombre, conexion=None):
    """Una cola vacía para cada medida: lo que quede de otra no cuenta."""
    cola = Queue(nombre, connection=conexion or conectar())
    cola.empty()
    return cola
