"""Las salidas de consola que enseña el libro, generadas leyendo cada capítulo en orden.

Un capítulo es un guion. Sybil lo recorre de arriba abajo contra un solo
Redis (ver conftest.py): ejecuta cada sesión ``>>>``, cada bloque invisible
y, en el primer ``literalinclude`` de cada salida guardada
(``docs/salidas/<capítulo>/<nombre>.txt``), el escenario que la produce.
Así, cada salida es lo que deja en Redis lo anterior del capítulo, ni más ni
menos que lo que hace el lector.

Los escenarios de un capítulo viven en ``tests/escenarios/<capítulo>.py`` y se
registran con ``@escenario("<capítulo>/<nombre>")``. Ese módulo puede fijar
``CARPETA`` (la carpeta de examples/ desde la que trabaja el capítulo; ``rq``
si no dice otra) y ``ENTORNO`` (variables que el capítulo pide exportar).

Dos modos, según GUIA_RQ_TRANSCRIPCIONES:

* ``comparar`` (``make test``): la tarea va acelerada y cada salida nueva se
  compara, tras los normalizadores, con la guardada.
* ``reescribir`` (``make transcripts``): a velocidad real y con la semilla
  del libro; cada salida se guarda en su fichero.
"""

import difflib
import importlib
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.arnes import procesos
from tests.arnes.normalizadores import normalizar

DOCS = procesos.RAIZ / "docs"
SALIDAS = DOCS / "salidas"
# Un literalinclude de una salida guardada: ".. literalinclude:: salidas/<nombre>.txt".
INCLUSION_DE_SALIDA = re.compile(r"^[ \t]*\.\. literalinclude:: salidas/(?P<nombre>\S+)\.txt[ \t]*$", re.M)
ESCENARIOS_DIR = Path(__file__).resolve().parents[1] / "escenarios"
# Lo que el libro enseña en lugar de lo que cambia de una máquina a otra.
RAIZ_MOSTRADA = "/home/lector/guia-rq-ejemplos"
REDIS_MOSTRADO = "redis://localhost:6379/0"
ESCENARIOS = {}
# Las otras terminales del capítulo que se está leyendo (conftest.py las pone
# al empezar el capítulo y las quita al acabar). Un escenario las usa cuando lo
# que arranca (un worker) sigue en marcha en los pasos siguientes, como en casa
# del lector: un paso lo abre, otro lo para.
terminales_del_capitulo = None


def modo():
    return os.environ.get("GUIA_RQ_TRANSCRIPCIONES", "comparar")


def tiempo_real():
    """¿Estamos generando las salidas del libro (make transcripts) a velocidad real?"""
    return procesos.entorno()["TAREAS_ESCALA"] == "1"


def escenario(nombre):
    """Registra un escenario; su salida irá a docs/salidas/<nombre>.txt."""
    def registrar(funcion):
        ESCENARIOS[nombre] = funcion
        return funcion
    return registrar


def modulo_python(nombre_capitulo):
    """El nombre de módulo de un capítulo: "antes-de-empezar" -> "antes_de_empezar"."""
    return nombre_capitulo.replace("-", "_")


def capitulo(nombre):
    """El módulo de escenarios del capítulo (importado), o None si no tiene."""
    modulo = modulo_python(nombre)
    if not (ESCENARIOS_DIR / f"{modulo}.py").is_file():
        return None
    return importlib.import_module(f"tests.escenarios.{modulo}")


def recoger_escenarios(nombre_capitulo):
    """Al acabar el capítulo: lo que sus escenarios dejaron en marcha de una salida a otra.

    Un módulo de escenarios que mantiene algo vivo entre salidas (los Redis
    y las terminales de tests/arnes/laboratorio.py) define ``recoger()``,
    que lo para todo y devuelve lo que seguía en marcha.
    """
    recoger = getattr(capitulo(nombre_capitulo), "recoger", None)
    return recoger() if recoger else []


def carpeta_de(nombre_capitulo):
    modulo = capitulo(nombre_capitulo)
    return getattr(modulo, "CARPETA", "rq")


def entorno_de(nombre_capitulo):
    modulo = capitulo(nombre_capitulo)
    return dict(getattr(modulo, "ENTORNO", {}))


# Lo que una terminal interpreta y no enseña: colores, cursor ("\x1b[?25l").
CONTROL_DE_TERMINAL = re.compile(r"\x1b\[\??[0-9;]*[A-Za-z]")


class Sesion:
    """Una terminal de mentira que ejecuta de verdad: guarda órdenes y salidas."""

    def __init__(self, carpeta="rq", entorno=None):
        self.carpeta = carpeta
        self.entorno = entorno or {}
        self.lineas = []

    def ejecutar(self, mostrada, carpeta=None, codigo=0, anotar=True, timeout=120, **entorno):
        """Ejecuta con bash la orden que teclea el lector y anota "$ orden" y su salida.

        `codigo` es el código de salida esperado. Con anotar=False la orden
        se ejecuta sin aparecer en la salida: solo para lo que el capítulo
        cuenta en el texto (por ejemplo, "vuelve a encolar los diez trabajos").
        """
        resultado = procesos.ejecutar(
            mostrada, carpeta=carpeta or self.carpeta, timeout=timeout, **{**self.entorno, **entorno}
        )
        if resultado.returncode != codigo:
            raise AssertionError(
                f"`{mostrada}` salió con {resultado.returncode} (se esperaba {codigo}):\n"
                f"{resultado.stdout}"
            )
        if anotar:
            self.anotar(f"$ {mostrada}", resultado.stdout)
        return resultado

    def ejecutar_en_terminal(self, mostrada, carpeta=None, codigo=0, **entorno):
        """Como `ejecutar`, pero con la salida en una terminal de verdad (un pty de
        `script`, de util-linux): lo que un programa solo dibuja en una terminal,
        como la barra de progreso de click, sale como lo ve el lector.

        Se anota la pantalla final: sin códigos de control y, en cada línea, lo
        que quedó tras el último retorno de carro (cada avance de la barra
        escribe encima del anterior).
        """
        orden = ["script", "--quiet", "--return", "--command", mostrada, "/dev/null"]
        procesos.apuntar_orden(mostrada)
        resultado = subprocess.run(
            orden, cwd=procesos.EJEMPLOS / (carpeta or self.carpeta), timeout=120,
            env=procesos.entorno(**{**self.entorno, **entorno}), stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )
        crudo = CONTROL_DE_TERMINAL.sub("", resultado.stdout.decode("utf-8", errors="replace"))
        pantalla = "\n".join(linea.rsplit("\r", 1)[-1] for linea in crudo.split("\r\n"))
        if resultado.returncode != codigo:
            raise AssertionError(f"`{mostrada}` salió con {resultado.returncode} (se esperaba {codigo}):\n{pantalla}")
        self.anotar(f"$ {mostrada}", pantalla)
        return pantalla

    def en_otra_terminal(self, mostrada, carpeta=None, **entorno):
        """Arranca una orden larga (un worker, un servidor), como en otra terminal.

        Devuelve un ProcesoVivo para usarlo con ``with``. Lo que escribe se
        anota con ``sesion.anotar_terminal(mostrada, proceso)`` cuando el
        escenario decide enseñarlo.
        """
        return procesos.en_marcha(
            mostrada, carpeta=carpeta or self.carpeta, cortesia=False, **{**self.entorno, **entorno}
        )

    def requiere_puerto_libre(self, puerto):
        """Para los escenarios que enseñan qué pasa cuando nadie escucha en `puerto`."""
        with socket.socket() as s:
            ocupado = s.connect_ex(("127.0.0.1", puerto)) == 0
        if ocupado:
            if modo() == "reescribir":
                raise RuntimeError(f"el puerto {puerto} está ocupado: libéralo para regenerar esta salida")
            pytest.skip(f"hay algo escuchando en el puerto {puerto}; el escenario necesita que esté libre")

    def anotar_terminal(self, mostrada, proceso):
        self.anotar(f"$ {mostrada}", proceso.texto())

    def anotar(self, *textos):
        """Añade texto tal cual (una tabla medida, la salida de un proceso largo)."""
        for texto in textos:
            self.lineas.extend(texto.rstrip("\n").splitlines())

    def texto(self):
        return "\n".join(self.lineas) + "\n"


def mostrable(texto):
    """El texto tal como lo enseña el libro: sin las rutas y el Redis de esta máquina."""
    texto = texto.replace(str(procesos.EJEMPLOS), RAIZ_MOSTRADA)
    # El entorno virtual, también por su ruta real (si .venv es un enlace, las
    # trazas de los procesos que arranca supervisord salen con esa).
    for prefijo in dict.fromkeys([sys.prefix, os.path.realpath(sys.prefix)]):
        texto = texto.replace(prefijo, f"{RAIZ_MOSTRADA}/.venv")
    url = os.environ.get("REDIS_URL")
    if url:
        texto = texto.replace(url, REDIS_MOSTRADO)
    return texto


def generar(nombre):
    """Ejecuta el escenario `nombre` y devuelve su salida, ya mostrable."""
    cargar_escenarios()
    nombre_capitulo = nombre.split("/")[0]
    sesion = Sesion(carpeta_de(nombre_capitulo), entorno_de(nombre_capitulo))
    sesion.terminales = terminales_del_capitulo
    ESCENARIOS[nombre](sesion)
    return mostrable(sesion.texto())


def salidas_en_orden(nombre_capitulo):
    """Las salidas de un capítulo en el orden en que las enseña (la primera vez de cada una)."""
    texto = (DOCS / f"{nombre_capitulo}.rst").read_text(encoding="utf-8")
    return list(dict.fromkeys(m["nombre"] for m in INCLUSION_DE_SALIDA.finditer(texto)))


def fichero(nombre):
    return SALIDAS / f"{nombre}.txt"


def comprobar_o_reescribir(nombre):
    """Lo que hace el primer literalinclude de una salida cuando Sybil lo alcanza."""
    nueva = generar(nombre)
    guardada = fichero(nombre)
    if modo() == "reescribir":
        guardada.parent.mkdir(parents=True, exist_ok=True)
        guardada.write_text(nueva, encoding="utf-8")
        return
    assert guardada.is_file(), f"falta {guardada}: ejecuta `make transcripts`"
    esperado = normalizar(guardada.read_text(encoding="utf-8"))
    obtenido = normalizar(nueva)
    if obtenido != esperado:
        diferencias = "\n".join(difflib.unified_diff(
            esperado.splitlines(), obtenido.splitlines(), "libro", "ahora", lineterm="",
        ))
        raise AssertionError(f"la salida {nombre} ya no es la del libro:\n{diferencias}")


def cargar_escenarios():
    """Importa los escenarios de cada capítulo: tests/escenarios/<capítulo>.py."""
    for modulo in sorted(ESCENARIOS_DIR.glob("[!_]*.py")):
        importlib.import_module(f"tests.escenarios.{modulo.stem}")
    return ESCENARIOS


class Terminales:
    """Las otras terminales del lector durante las sesiones >>> de un capítulo.

    Cuando el texto pide arrancar algo en otra terminal (un worker, un
    servidor), un bloque invisible llama a ``terminales.abrir("orden")`` con
    la orden que el texto acaba de dar; cuando pide pararlo,
    ``terminales.cerrar("orden")``. Al terminar el capítulo no puede quedar
    ninguna abierta: el texto tiene que haber dicho que se cierre.
    """

    def __init__(self, carpeta="rq", entorno=None):
        self.carpeta = carpeta
        self.entorno = entorno or {}
        self.abiertas = {}

    def abrir(self, orden, listo="Listening on", carpeta=None, limite=15.0):
        """Arranca `orden` y espera a que escriba `listo` (None: no espera)."""
        assert orden not in self.abiertas, f"«{orden}» ya está en marcha en otra terminal"
        vivo = procesos.ProcesoVivo(orden, carpeta=carpeta or self.carpeta, **self.entorno)
        self.abiertas[orden] = vivo
        if listo:
            vivo.esperar_texto(listo, limite=limite)
        return vivo

    def ejecutar(self, orden, codigo=0, carpeta=None, limite=60.0):
        """Una orden que termina sola (un worker en modo burst) en otra terminal.

        No se queda abierta, así que no hay que cerrarla. Devuelve lo que escribió.
        """
        resultado = procesos.ejecutar(orden, carpeta=carpeta or self.carpeta, timeout=limite, **self.entorno)
        assert resultado.returncode == codigo, f"«{orden}» salió con {resultado.returncode}:\n{resultado.stdout}"
        return resultado.stdout

    def abierta(self, orden):
        """La terminal de `orden`, que abrió un paso anterior; si no está, un fallo que lo explica."""
        if orden not in self.abiertas:
            raise AssertionError(
                f"«{orden}» no está en marcha en otra terminal: la arranca un paso anterior del capítulo; "
                "mira el primer fallo del capítulo, este es consecuencia suya"
            )
        return self.abiertas[orden]

    def terminada(self, orden, limite=15.0):
        """El proceso de esa terminal ha terminado solo (una señal, un kill -9): se da por cerrada."""
        vivo = self.abierta(orden)
        del self.abiertas[orden]
        try:
            vivo.esperar_fin(limite=limite)
        finally:
            vivo.acabar()
        return vivo.texto()

    def cerrar(self, orden):
        """Ctrl+C en esa terminal: el proceso sale por las buenas."""
        vivo = self.abierta(orden)
        del self.abiertas[orden]
        try:
            vivo.senal(signal.SIGINT)
            vivo.esperar_fin(limite=15)
        finally:
            vivo.acabar()
        return vivo.texto()

    def cerrar_todas(self):
        """Para todo lo que quede en marcha y dice qué había quedado abierto."""
        olvidadas = list(self.abiertas)
        for vivo in self.abiertas.values():
            vivo.acabar()
        self.abiertas.clear()
        return olvidadas
