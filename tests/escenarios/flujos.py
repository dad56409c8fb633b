"""Escenarios del capítulo "Flujos de trabajos y garantías de entrega" (docs/flujos.rst).

Todo se ejecuta desde examples/flujos con PYTHONPATH=../rq, como pide el
capítulo. En la primera terminal, los programas y los workers en modo burst;
en la segunda (``sesion.terminales``), lo que sigue en marcha de un paso a
otro: los cuatro workers de ``rq worker-pool -n 4`` y el receptor de webhooks.

El receptor escucha en el puerto 8060, el del libro. Bajo prueba, en uno
libre: se lo decimos al receptor y a webhooks.py con PUERTO_RECEPTOR, la
variable que el propio ejemplo ofrece al lector si el 8060 está ocupado (los
normalizadores tapan el número en las URL).
"""

from tests.arnes.recortes import acortar_trazas
from tests.arnes.redis_privado import puerto_libre
from tests.arnes.transcripciones import escenario, modo

CARPETA = "flujos"
ENTORNO = {"PYTHONPATH": "../rq"}

POOL = "rq worker-pool -n 4 api"
RECEPTOR = "python receptor.py"
PUERTO_DEL_LIBRO = 8060
OTRO = "rq enqueue tareas.tarea_pesada_y_falible :1 fallar:=false"


def _worker(sesion, orden="rq worker --burst", anotar=True):
    resultado = sesion.ejecutar(orden, anotar=anotar)
    sesion.lineas = acortar_trazas(sesion.lineas)
    return resultado


def lo_nuevo(vivo):
    """Lo que ha escrito la terminal desde la última vez que la enseñamos."""
    texto = vivo.texto()
    desde = getattr(vivo, "mostrado_hasta", 0)
    vivo.mostrado_hasta = len(texto)
    return texto[desde:]


@escenario("flujos/vaciar")
def vaciar(sesion):
    sesion.ejecutar("python ../rq/vaciar_redis.py")


@escenario("flujos/abanico")
def abanico(sesion):
    sesion.ejecutar("python abanico.py 3 5 2")
    sesion.ejecutar(OTRO)
    _worker(sesion)


@escenario("flujos/delante")
def delante(sesion):
    sesion.ejecutar("python abanico.py 3 5 2 --delante")
    sesion.ejecutar(OTRO)
    _worker(sesion)


@escenario("flujos/falla")
def falla(sesion):
    sesion.ejecutar("python abanico.py 3 5 2 --falla 2 --informe")
    _worker(sesion)


@escenario("flujos/pendientes")
def pendientes(sesion):
    sesion.ejecutar("python pendientes.py")
    sesion.ejecutar("python pendientes.py --cancelar")


@escenario("flujos/lote")
def lote(sesion):
    """Del log del worker, solo su primera línea y las dos últimas: el texto dice qué hace."""
    sesion.ejecutar("python lote.py facturas-junio 2 3 4 5")
    sesion.ejecutar("python lote.py facturas-junio")
    log = sesion.ejecutar("rq worker --burst", anotar=False).stdout.rstrip("\n").splitlines()
    sesion.anotar("$ rq worker --burst", log[0], "[...]", *log[-2:])
    sesion.ejecutar("python lote.py facturas-junio")


@escenario("flujos/limite")
def limite(sesion):
    sesion.ejecutar("python limite.py")
    sesion.ejecutar("python ../rq/fallos_informe.py api")


@escenario("flujos/cronologia")
def cronologia(sesion):
    """Cuatro workers en la segunda terminal; la cronología, en la primera; Ctrl+C al pool."""
    sesion.terminales.abrir(POOL, listo="Listening on", limite=30)
    sesion.ejecutar("python limite.py --cronologia")
    sesion.terminales.cerrar(POOL)


def _puerto(sesion):
    puerto = PUERTO_DEL_LIBRO if modo() == "reescribir" else puerto_libre()
    if modo() == "reescribir":
        sesion.requiere_puerto_libre(puerto)
    sesion.terminales.entorno["PUERTO_RECEPTOR"] = str(puerto)
    sesion.entorno["PUERTO_RECEPTOR"] = str(puerto)


@escenario("flujos/webhooks")
def webhooks(sesion):
    """El receptor, en la segunda terminal; encolar y un worker, en la primera."""
    _puerto(sesion)
    receptor = sesion.terminales.abrir(RECEPTOR, listo="Esperando webhooks")
    sesion.ejecutar("python webhooks.py")
    _worker(sesion)
    receptor.esperar_texto('"status": "failed"')


@escenario("flujos/webhooks-receptor")
def webhooks_receptor(sesion):
    sesion.anotar(f"$ {RECEPTOR}", lo_nuevo(sesion.terminales.abiertas[RECEPTOR]))


@escenario("flujos/sin-receptor")
def sin_receptor(sesion):
    """Ctrl+C al receptor (lo pide el texto) y otra vez lo mismo: nadie escucha."""
    sesion.terminales.cerrar(RECEPTOR)
    sesion.entorno["PUERTO_RECEPTOR"] = sesion.terminales.entorno.pop("PUERTO_RECEPTOR")
    sesion.ejecutar("python webhooks.py")
    _worker(sesion)


@escenario("flujos/correo")
def correo(sesion):
    sesion.ejecutar("python correo.py 1234")
    _worker(sesion)
    sesion.ejecutar("python correo.py --buzon")
