"""Escenarios del capítulo "Logs y errores de los workers" (docs/logs.rst).

Workers reales de una sola pasada desde examples/rq, con la carpeta logs en
PYTHONPATH como le pide el capítulo al lector, y el receptor de Sentry de
verdad en la segunda terminal.
"""

from tests.arnes.transcripciones import escenario
from tests.escenarios.senales import lo_nuevo

CARPETA = "rq"
# Lo que el lector exporta en la primera terminal al empezar el capítulo.
ENTORNO = {"PYTHONPATH": "../logs"}

TAREA = "tareas.tarea_pesada_y_falible"
RECEPTOR = "python ../logs/receptor_sentry.py"
DSN = "http://guia@127.0.0.1:8090/1"


def encolar(segundos, fallar, *opciones):
    return " ".join(["rq enqueue", *opciones, TAREA, f":{segundos}", f"fallar:={str(fallar).lower()}"])


@escenario("logs/vaciar")
def vaciar(sesion):
    sesion.ejecutar("export PYTHONPATH=../logs")
    sesion.ejecutar("python vaciar_redis.py")


@escenario("logs/json")
def json(sesion):
    sesion.ejecutar(encolar(3, False))
    sesion.ejecutar(encolar(3, True))
    sesion.ejecutar("rq worker --burst -c ajustes_worker")


@escenario("logs/sin-registro")
def sin_registro(sesion):
    sesion.ejecutar(encolar(3, True, "--job-id sin-registro"))
    sesion.ejecutar("rq worker --burst --quiet --disable-default-exception-handler "
                    "--exception-handler errores.apuntar_fallo")


@escenario("logs/hijo-muerto")
def hijo_muerto(sesion):
    sesion.ejecutar("rq enqueue errores.morir_de_golpe")
    sesion.ejecutar("rq worker --burst -w errores.WorkerQueAvisa --exception-handler errores.apuntar_fallo")


@escenario("logs/receptor")
def receptor(sesion):
    sesion.requiere_puerto_libre(8090)
    vivo = sesion.terminales.abrir(RECEPTOR, listo="Esperando eventos")
    # print() escribe la línea y su salto por separado: los dos, en esta salida.
    vivo.esperar_texto(":8090\n")
    sesion.anotar(f"$ {RECEPTOR}", lo_nuevo(vivo))


@escenario("logs/sentry")
def sentry(sesion):
    sesion.ejecutar(f"export SENTRY_DSN={DSN}")
    sesion.ejecutar(encolar(3, True))
    sesion.ejecutar("rq worker --burst --quiet -c ajustes_worker --exception-handler errores.apuntar_fallo",
                    SENTRY_DSN=DSN)


@escenario("logs/receptor-log")
def receptor_log(sesion):
    vivo = sesion.terminales.abiertas[RECEPTOR]
    vivo.esperar_texto("rq-job: ")
    sesion.terminales.cerrar(RECEPTOR)
    sesion.anotar(lo_nuevo(vivo))


@escenario("logs/limpiar")
def limpiar(sesion):
    sesion.ejecutar("unset SENTRY_DSN PYTHONPATH")
