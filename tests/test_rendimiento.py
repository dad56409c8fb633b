"""Capítulos de rendimiento y de la comparativa: lo que afirman y los programas de examples/rendimiento.

Las medidas en sí las ejecuta el capítulo (tests/escenarios/rendimiento.py
y comparativa.py), a escala de prueba y con el vigía. Aquí, lo demás: las
entradas malas de cada programa, el proxy lento, los gráficos desde los
datos guardados y cada afirmación sobre RQ y sobre los otros sistemas.
"""

import json
import shutil
import sys
import time

import psutil
import pytest
from redis import Redis
from rq import Queue

from tests.arnes import procesos
from tests.arnes.redis_privado import puerto_libre, redis_server
from tests.arnes.transcripciones import SALIDAS

CARPETA = "rendimiento"
ENTORNO = {"PYTHONPATH": "../rq"}
PROGRAMAS = [
    "latencia.py", "trabajos_por_segundo.py", "encolar_deprisa.py", "importaciones.py",
    "memoria.py", "varias_maquinas.py", "comparativa.py", "worker_precargado.py",
]


def python(*argumentos, **entorno):
    return procesos.python(*argumentos, carpeta=CARPETA, **{**ENTORNO, **entorno})


@pytest.mark.parametrize("programa", PROGRAMAS)
def test_sin_redis_cada_programa_da_una_linea_y_sale_con_1(programa):
    resultado = python(programa, REDIS_URL="redis://127.0.0.1:1/0")
    assert resultado.returncode == 1, resultado.stdout
    assert resultado.stdout.startswith("Error: no puedo conectar con Redis en redis://127.0.0.1:1/0.")
    assert resultado.stdout.count("\n") == 1


@pytest.mark.parametrize("argumentos", [(), ("6400",), ("6400", "rapido"), ("6400", "5", "más")])
def test_proxy_lento_con_argumentos_malos_da_el_uso_y_sale_con_2(argumentos):
    resultado = python("proxy_lento.py", *argumentos)
    assert resultado.returncode == 2
    assert resultado.stdout == "Uso: python proxy_lento.py PUERTO MILISEGUNDOS\n"


def _proxy(milisegundos):
    puerto = puerto_libre()
    proxy = procesos.ProcesoVivo([sys.executable, "proxy_lento.py", str(puerto), str(milisegundos)],
                                 carpeta=CARPETA, **ENTORNO)
    proxy.esperar_texto("Proxy en 127.0.0.1")
    return proxy, puerto


def test_el_proxy_lento_lleva_a_redis_y_retrasa_cada_ida_y_vuelta(redis_url):
    proxy, puerto = _proxy(40)
    try:
        lejano = Redis(port=puerto, socket_timeout=5)
        lejano.set("guia:proxy", "hola")
        assert Redis.from_url(redis_url).get("guia:proxy") == b"hola"
        inicio = time.perf_counter()
        for _ in range(3):
            lejano.ping()
        # Cada ida y vuelta tarda al menos lo que añade el proxy (una cota
        # inferior, no un cronómetro: más despacio siempre puede ir).
        assert time.perf_counter() - inicio >= 3 * 0.040
        lejano.close()
    finally:
        proxy.acabar()


def test_enqueue_many_usa_un_solo_pipeline_y_enqueue_dos_por_trabajo():
    """Lo que dice "Encolar deprisa": un pipeline (un EXEC) para todo el lote; dos por cada enqueue()."""
    # Un Redis solo para esta prueba: los EXEC se cuentan en todo el servidor,
    # y en el de la sesión aún puede hablar algún proceso de otra prueba.
    with redis_server() as url, Redis.from_url(url) as conexion:
        cola = Queue("encolar", connection=conexion)

        def execs():
            return conexion.info("commandstats").get("cmdstat_exec", {}).get("calls", 0)

        antes = execs()
        cola.enqueue_many([Queue.prepare_data("tareas_medidas.vacia") for _ in range(50)])
        assert execs() - antes == 1
        antes = execs()
        for _ in range(50):
            cola.enqueue("tareas_medidas.vacia")
        assert execs() - antes == 2 * 50
        assert len(cola) == 100


def test_worker_pool_crea_sus_workers_con_fork_y_los_repone_si_mueren(redis_conexion):
    """rq worker-pool -n 2: dos procesos hijos con su Worker; si uno muere, arranca otro."""
    from rq import Worker

    cola = Queue("piscina", connection=redis_conexion)
    with procesos.en_marcha(procesos.orden_rq("worker-pool", "-n", "2", "piscina"), carpeta=CARPETA,
                            **ENTORNO) as pool:
        trabajadores = procesos.esperar(lambda: len(Worker.all(queue=cola)) == 2 and Worker.all(queue=cola),
                                        limite=30, que="los dos workers del pool")
        hijos = {h.pid for h in psutil.Process(pool.pid).children()}
        assert {w.pid for w in trabajadores} <= hijos
        muerto = trabajadores[0].pid
        procesos.matar(muerto)
        procesos.esperar(lambda: any(w.pid not in {t.pid for t in trabajadores} for w in Worker.all(queue=cola)),
                         limite=30, que="que el pool arrancara otro worker")


def test_graficos_redibuja_desde_los_datos_guardados(tmp_path):
    """python graficos.py CARPETA: los dos idiomas de cada gráfico, desde el JSON del libro."""
    for capitulo in ("rendimiento", "comparativa"):
        for datos in (SALIDAS / capitulo).glob("*.json"):
            shutil.copy(datos, tmp_path)
    resultado = python("graficos.py", str(tmp_path))
    assert resultado.returncode == 0, resultado.stdout
    for datos in tmp_path.glob("*.json"):
        for sufijo in (".svg", ".en.svg"):
            svg = (tmp_path / f"{datos.stem}{sufijo}").read_text(encoding="utf-8")
            assert svg.startswith("<?xml")
    # Cada idioma con sus textos: el título del gráfico de latencia, por ejemplo.
    assert "Latencia de un trabajo vacío" in (tmp_path / "latencia.svg").read_text(encoding="utf-8")
    assert "Latency of an empty job" in (tmp_path / "latencia.en.svg").read_text(encoding="utf-8")


def test_los_graficos_del_libro_son_de_los_mismos_datos_que_sus_tablas():
    """Cada gráfico guardado tiene al lado su JSON, y dice la máquina que dice la tabla."""
    for capitulo in ("rendimiento", "comparativa"):
        for datos in (SALIDAS / capitulo).glob("*.json"):
            maquina = json.loads(datos.read_text(encoding="utf-8"))["maquina"]
            for sufijo in (".svg", ".en.svg"):
                svg = datos.with_name(datos.stem + sufijo).read_text(encoding="utf-8")
                assert f"Python {maquina['python']}, Redis {maquina['redis']}, RQ {maquina['rq']}" in svg


# --- Lo que dice la tabla de la comparativa de cada sistema, en su código ---

def _en_la_carpeta(codigo):
    resultado = procesos.ejecutar([sys.executable, "-c", codigo], carpeta=CARPETA, **ENTORNO)
    assert resultado.returncode == 0, resultado.stdout
    return json.loads(resultado.stdout)


def test_celery_por_omision_reserva_4_por_proceso_confirma_antes_y_no_guarda_resultados():
    conf = _en_la_carpeta(
        "import json, tareas_celery as t; c = t.app.conf;"
        "print(json.dumps([c.worker_prefetch_multiplier, c.task_acks_late, c.result_backend]))")
    assert conf == [4, False, None]


def test_dramatiq_por_omision_ocho_hilos_reserva_el_doble_y_sin_resultados():
    conf = _en_la_carpeta(
        "import json, dramatiq, tareas_dramatiq;"
        "from dramatiq import Worker;"
        "b = dramatiq.get_broker(); w = Worker(b);"
        "print(json.dumps([w.worker_threads, w.queue_prefetch, [type(m).__name__ for m in b.middleware]]))")
    hilos, reserva, middleware = conf
    assert (hilos, reserva) == (8, 16)
    assert "Results" not in middleware


def test_huey_por_omision_guarda_resultados_salvo_none_y_un_solo_hilo():
    conf = _en_la_carpeta(
        "import json, inspect, tareas_huey as t; from huey.consumer import Consumer;"
        "p = inspect.signature(Consumer).parameters;"
        "print(json.dumps([t.huey.results, t.huey.store_none, p['workers'].default, p['worker_type'].default]))")
    assert conf == [True, False, 1, "thread"]


def test_huey_saca_el_mensaje_de_la_cola_al_empezar(redis_url):
    """Huey lo da por entregado al sacarlo: con el consumidor muerto a mitad, la tarea ya no está."""
    resultado = _en_la_carpeta(
        "import json, tareas_huey as t; t.vacia(1.0); h = t.huey;"
        "antes = h.pending_count(); h.dequeue(); print(json.dumps([antes, h.pending_count()]))")
    assert resultado == [1, 0]
    for clave in Redis.from_url(redis_url).scan_iter(match="huey.*"):
        Redis.from_url(redis_url).delete(clave)


# --- comparativa.py cuando algo sale mal ---

def test_comparativa_con_un_worker_que_no_arranca_da_su_error_y_no_deja_trabajos(redis_conexion, tmp_path):
    """Sin `rq` en el PATH, el worker de RQ sale enseguida: una línea en español y la cola limpia."""
    resultado = python("comparativa.py", PATH=str(tmp_path))  # Un PATH sin nada: sh no encuentra rq.
    assert resultado.returncode == 1, resultado.stdout
    assert resultado.stdout.startswith("Error: el worker salió con 127: "), resultado.stdout
    assert "rq" in resultado.stdout and resultado.stdout.count("\n") == 1, resultado.stdout
    # Los trabajos que encoló antes de arrancar el worker ya no están.
    assert Queue("comparativa", connection=redis_conexion).count == 0
    assert not list(redis_conexion.scan_iter(match="rq:job:*"))


def test_comparativa_empieza_sin_la_cola_de_rq_sus_registros_ni_sus_trabajos(redis_conexion):
    """Lo que deja una medida a medias: un trabajo hecho (en su registro, con su resultado) y otro en la cola."""
    from rq import SimpleWorker

    cola = Queue("comparativa", connection=redis_conexion)
    hecho = cola.enqueue("time.time")
    SimpleWorker([cola], connection=redis_conexion).work(burst=True)
    assert hecho.id in cola.finished_job_registry.get_job_ids() and hecho.latest_result() is not None
    esperando = cola.enqueue("time.time")
    assert cola.get_job_ids() == [esperando.id]
    _en_la_carpeta("import comparativa; from conexion import conectar; comparativa.empezar_limpio(conectar()); print(0)")
    assert not [c for c in redis_conexion.scan_iter(match="rq:*") if b"comparativa" in c or
                any(t.id.encode() in c for t in (hecho, esperando))]


def test_con_worker_cada_trabajo_abre_conexiones_nuevas_con_simpleworker_no(redis_conexion):
    """El proceso hijo no usa las conexiones del worker (redis-py las rehace tras fork()):
    con comparables.vacia, la de RQ y la de apuntar(), dos por trabajo."""
    cola = Queue("comparativa", connection=redis_conexion)

    def conexiones_con(*opciones):
        for _ in range(5):
            cola.enqueue("comparables.vacia", 1.0)
        antes = redis_conexion.info("stats")["total_connections_received"]
        resultado = procesos.worker_burst("comparativa", opciones=opciones, carpeta=CARPETA, **ENTORNO)
        assert resultado.returncode == 0, resultado.stdout
        return redis_conexion.info("stats")["total_connections_received"] - antes

    con_worker = conexiones_con()
    con_simple = conexiones_con("-w", "rq.worker.SimpleWorker")
    assert redis_conexion.llen("guia:comparativa:hechos") == 10
    assert con_worker - con_simple >= 2 * 5 - 1, (con_worker, con_simple)


# --- Las cifras que cita el texto, las de las tablas guardadas ---

def _texto(capitulo):
    """El capítulo en una línea, con los espacios de las líneas cortadas juntos."""
    return " ".join((procesos.RAIZ / "docs" / f"{capitulo}.rst").read_text(encoding="utf-8").split())


def _datos(capitulo, nombre):
    return json.loads((SALIDAS / capitulo / f"{nombre}.json").read_text(encoding="utf-8"))


def _cifra(valor, decimales=0):
    """Como la escribe el texto: con coma decimal."""
    return f"{valor:.{decimales}f}".replace(".", ",")


def _ms(segundos):
    return _cifra(segundos * 1000, 1) + " ms"


def test_las_cifras_que_cita_rendimiento_son_las_de_sus_tablas():
    """Tras `make medidas`, si cambia una cifra, el texto tiene que cambiar con ella."""
    from statistics import median

    latencia = _datos("rendimiento", "latencia")
    empezar = {clase: median(m["al_empezar"]) for clase, m in latencia["clases"].items()}
    piezas = latencia["piezas"]
    caudal = _datos("rendimiento", "trabajos_por_segundo")["clases"]
    simple_50 = [_cifra(caudal["SimpleWorker"][n]["espera_50ms"]) for n in ("1", "2", "4", "8")]
    encolar = _datos("rendimiento", "encolar_deprisa")["por_segundo"]
    importar = [median(f["por_trabajo"]) for f in _datos("rendimiento", "importaciones")["formas"].values()]
    memoria = _datos("rendimiento", "memoria")["formas"]
    lejos = _datos("rendimiento", "varias_maquinas")["retrasos"]["20"]
    citas = [
        # Lo que cuesta un trabajo.
        f"suman unos {_cifra((piezas['fork'] + piezas['importar_tarea']) * 1000)} ms de los "
        f"{_cifra((empezar['Worker'] - empezar['SimpleWorker']) * 1000)} ms",
        # Trabajos por segundo.
        f"({simple_50[0]}, {simple_50[1]} y {simple_50[2]} trabajos por segundo)",
        f"pasa de {simple_50[2]} a {simple_50[3]}",
        f"en {_cifra(caudal['Worker']['4']['espera_50ms'])} desde cuatro",
        f"({_cifra(caudal['worker-pool']['1']['vacia'])} trabajos por segundo frente a "
        f"{_cifra(caudal['Worker']['1']['vacia'])} con la tarea vacía)",
        # El resumen.
        f"{_ms(empezar['Worker'])} con ``Worker``", f"{_ms(empezar['SpawnWorker'])} con ``SpawnWorker``",
        f"{_ms(empezar['SimpleWorker'])} con ``SimpleWorker``",
        f"pasó de {simple_50[0]} con un *worker* a {simple_50[3]} con ocho",
        f"{_cifra(encolar['many'] / encolar['bucle'], 1)} veces más deprisa",
        f"(de {_cifra(importar[0], 2)} s por trabajo a {_cifra(importar[1], 2)} s)",
        f"({_cifra(memoria['Worker']['tarea'][0])} MB tras el primer trabajo y tras el último)",
        f"(de {_cifra(memoria['SimpleWorker']['tarea'][0])} MB a {_cifra(memoria['SimpleWorker']['tarea'][-1])} MB",
        f"solo el {_cifra(100 * lejos['maquina-b'] / (lejos['maquina-a'] + lejos['maquina-b']))} % de los trabajos",
    ]
    texto = _texto("rendimiento")
    # "tras el primer trabajo y tras el último": la misma cifra las dos veces.
    assert _cifra(memoria["Worker"]["tarea"][0]) == _cifra(memoria["Worker"]["tarea"][-1])
    assert [cita for cita in citas if cita not in texto] == []


def test_las_cifras_que_cita_comparativa_son_las_de_su_tabla():
    from statistics import median

    sistemas = _datos("comparativa", "comparativa")["sistemas"]
    vacias = {s: _cifra(m["vacias"]) for s, m in sistemas.items()}
    latencia = {s: median(m["latencias"]) for s, m in sistemas.items()}
    otros = [s for s in sistemas if s != "RQ"]
    de_50ms = sorted(m["de_50ms"] for s, m in sistemas.items() if s != "Dramatiq")
    citas = [
        f"({vacias['RQ']}, frente a {vacias['Celery']} de Celery, {vacias['Huey']} de Huey y "
        f"{vacias['Dramatiq']} de Dramatiq)",
        f"({_ms(latencia['RQ'])} de mediana, frente a entre {_ms(min(latencia[s] for s in otros))[:-3]} y "
        f"{_ms(max(latencia[s] for s in otros))})",
        f"({_cifra(sistemas['Dramatiq']['de_50ms'])} trabajos por segundo; los demás, entre "
        f"{_cifra(de_50ms[0])} y {_cifra(de_50ms[-1])})",
    ]
    texto = _texto("comparativa")
    assert [cita for cita in citas if cita not in texto] == []
