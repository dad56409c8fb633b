"""Salidas del capítulo "Cuando el worker no puede ejecutar tu código" (docs/plataformas.rst).

El capítulo trabaja en examples/plataformas y pide exportar
PYTHONPATH=../rq, para que sus ejemplos encuentren conexion.py y tareas.py.
Los fallos se provocan de verdad: un worker arrancado en otra carpeta, en
otro entorno virtual, con otra versión de la tarea.
"""

import shutil
import tempfile

from tests.arnes import ruedas
from tests.arnes.recortes import acortar_trazas
from tests.arnes.transcripciones import escenario

CARPETA = "plataformas"
ENTORNO = {"PYTHONPATH": "../rq"}
# Lo que instala el lector en el entorno del worker: rq, sin nada más.
RQ = "rq==3.0.0"


def _recortar(sesion):
    sesion.lineas = acortar_trazas(sesion.lineas)


@escenario("plataformas/vaciar")
def vaciar(s):
    s.ejecutar("python ../rq/vaciar_redis.py")


# Las secciones que mezclan las dos terminales dicen, en un comentario de
# bash al final de cada orden, en cuál va. bash lo ignora al ejecutarla.
T1 = "  # terminal 1"
T2 = "  # terminal 2"


@escenario("plataformas/otra-carpeta")
def otra_carpeta(s):
    s.ejecutar("python encolar_aviso.py" + T1)
    # La segunda terminal sube a la carpeta de los ejemplos.
    s.ejecutar("cd .." + T2)
    s.ejecutar("pwd" + T2, carpeta=".")
    s.ejecutar("rq worker --burst" + T2, carpeta=".")
    _recortar(s)


@escenario("plataformas/cd")
def con_cd(s):
    s.ejecutar("python encolar_aviso.py" + T1)
    s.ejecutar("cd plataformas" + T2, carpeta=".")
    s.ejecutar("rq worker --burst" + T2)


@escenario("plataformas/path")
def con_path(s):
    s.ejecutar("python encolar_aviso.py" + T1)
    s.ejecutar("cd .." + T2)
    s.ejecutar("rq worker --burst --path plataformas" + T2, carpeta=".")
    s.ejecutar("cd plataformas" + T2, carpeta=".")


@escenario("plataformas/paquete")
def paquete(s):
    s.ejecutar("python tienda/encolar_pedido.py", codigo=1)
    s.ejecutar("python tienda/encolar_atajo.py")
    s.ejecutar("rq worker --burst")
    s.ejecutar("python -m tienda.encolar_pedido")
    s.ejecutar("rq worker --burst")
    _recortar(s)


@escenario("plataformas/otro-entorno")
def otro_entorno(s):
    """Un entorno virtual nuevo, solo con rq, como el de un worker mal preparado.

    El lector lo crea en su carpeta personal; aquí, HOME es una carpeta
    temporal. pip instala de verdad, pero desde las ruedas guardadas
    (build/ruedas), sin red: las variables PIP_* no cambian la orden.
    """
    ruedas.asegurar_o_saltar(RQ)
    casa = tempfile.mkdtemp(prefix="guia-rq-casa-")
    try:
        entorno = {"HOME": casa, **ruedas.variables_pip()}
        s.ejecutar("python encolar_informe.py")
        s.ejecutar("python3 -m venv --without-pip ~/entorno-del-worker", **entorno)
        s.ejecutar(f"pip --python ~/entorno-del-worker/bin/python install -q {RQ}", **entorno)
        s.ejecutar("~/entorno-del-worker/bin/rq worker --burst", **entorno)
        s.ejecutar('~/entorno-del-worker/bin/python -c "import informes"', codigo=1, **entorno)
        s.ejecutar("rm -r ~/entorno-del-worker", **entorno)
        s.ejecutar("python encolar_informe.py")
        s.ejecutar("rq worker --burst")
    finally:
        shutil.rmtree(casa, ignore_errors=True)
    _recortar(s)


@escenario("plataformas/main")
def desde_main(s):
    s.ejecutar("python ../rq/encolar_desde_main.py", codigo=1)


@escenario("plataformas/lambda")
def lambdas(s):
    s.ejecutar("python encolar_calculos.py")
    s.ejecutar("rq worker --burst 2>&1 | grep -E 'default: |^ValueError'")


@escenario("plataformas/firma")
def firma(s):
    s.ejecutar("python encolar_como_antes.py envios")
    s.ejecutar("rq worker --burst")
    _recortar(s)


@escenario("plataformas/transicion")
def transicion(s):
    s.ejecutar("python encolar_como_antes.py envios_transicion")
    s.ejecutar("rq worker --burst")


@escenario("plataformas/spawn")
def spawn(s):
    s.ejecutar("python encolar_aviso.py")
    s.ejecutar("rq worker --burst --worker-class rq.worker.SpawnWorker")


@escenario("plataformas/spawn-resultado")
def spawn_resultado(s):
    s.ejecutar("python ultimo_trabajo.py")


@escenario("plataformas/medida")
def medida(s):
    """La tabla de medir_arranque.py. Lo único robusto que comprobar: spawn cuesta más que fork.

    Sin margen: con la máquina muy cargada, un fork llegó a costar 250 ms y
    un spawn 470 ms (la mitad de lo habitual de diferencia).
    """
    resultado = s.ejecutar("python medir_arranque.py")
    ms = {linea.split()[0]: float(linea.split()[1]) for linea in resultado.stdout.splitlines()[1:]}
    assert ms["rq.worker.SpawnWorker"] > ms["rq.worker.Worker"], resultado.stdout


@escenario("plataformas/windows-fork")
def windows_fork(s):
    s.ejecutar("python encolar_aviso.py")
    s.ejecutar("python como_en_windows.py worker --burst")
    s.ejecutar("python encolar_aviso.py")
    s.ejecutar("python como_en_windows.py worker --burst --worker-class rq.worker.SpawnWorker")
    # Los dos trabajos se quedan en el registro de trabajos en curso.
    s.ejecutar("rq info --only-queues default")
    _recortar(s)


@escenario("plataformas/windows-simple")
def windows_simple(s):
    s.ejecutar("python encolar_aviso.py")
    s.ejecutar("python encolar_lenta.py")
    s.ejecutar("python como_en_windows.py worker --burst --worker-class rq.worker.SimpleWorker")
    _recortar(s)
