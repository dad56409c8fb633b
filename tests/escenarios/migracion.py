"""Salidas del apéndice "De RQ 1.x (y tutoriales antiguos) a RQ 3.0" (docs/migracion.rst).

El apéndice trabaja en examples/migracion con PYTHONPATH=../rq. El lector
crea en su carpeta personal un entorno con RQ 1.11.1; aquí, HOME es una
carpeta temporal que se crea en la primera salida que lo necesita y se borra
en la última, cuando el apéndice pide borrarlo. pip instala de verdad, desde
las ruedas guardadas en build/ruedas (las variables PIP_* no cambian la orden).
"""

import atexit
import shutil
import tempfile

from tests.arnes import ruedas
from tests.arnes.transcripciones import escenario

CARPETA = "migracion"
ENTORNO = {"PYTHONPATH": "../rq"}
# Las versiones del entorno antiguo. rq 1.11.1 pide redis>=3.5 y click>=5:
# redis 4.6.0 (la última 4.x) y click 8.1.3 (de 2022) funcionan con Python
# 3.11. Con click 8.2 o posterior, `rq worker` de 1.11 avisa de una opción
# repetida (--serializer) antes de arrancar.
ANTIGUAS = ("rq==1.11.1", "redis==4.6.0", "click==8.1.3")
_casa = {}


def _entorno():
    if "HOME" not in _casa:
        _casa["HOME"] = tempfile.mkdtemp(prefix="guia-rq-casa-")
        atexit.register(shutil.rmtree, _casa["HOME"], True)
    return {"HOME": _casa["HOME"], **ruedas.variables_pip()}


@escenario("migracion/vaciar")
def vaciar(s):
    s.ejecutar("python ../rq/vaciar_redis.py")


@escenario("migracion/entorno-antiguo")
def entorno_antiguo(s):
    # Sin red y sin las ruedas guardadas, en la máquina de un lector se salta; en CI, falla.
    ruedas.asegurar_o_saltar(*ANTIGUAS)
    s.ejecutar("python3 -m venv --without-pip ~/rq-1.11", **_entorno())
    s.ejecutar(f"pip --python ~/rq-1.11/bin/python install -q {' '.join(ANTIGUAS)}", **_entorno())
    s.ejecutar("~/rq-1.11/bin/python antiguo.py", **_entorno())


@escenario("migracion/antiguo-en-3")
def antiguo_en_3(s):
    s.ejecutar("python antiguo.py")


@escenario("migracion/nuevo")
def nuevo(s):
    s.ejecutar("python nuevo.py")


@escenario("migracion/log")
def log(s):
    if "HOME" not in _casa:  # No se creó el entorno antiguo: ¿faltan sus ruedas?
        ruedas.asegurar_o_saltar(*ANTIGUAS)
    s.ejecutar("python ../rq/vaciar_redis.py")
    s.ejecutar("python encolar_suma.py")
    s.ejecutar("~/rq-1.11/bin/rq worker --burst", **_entorno())
    s.ejecutar("python encolar_suma.py")
    s.ejecutar("rq worker --burst")
    s.ejecutar("rm -r ~/rq-1.11", **_entorno())
    shutil.rmtree(_casa.pop("HOME"), ignore_errors=True)
