"""La tarea del libro con reintentos automáticos, y la cuenta de los intentos.

Uso:
  python reintentos.py encolar [CUÁNTOS] [--esperas 1,2,4]
  python reintentos.py contar

Con --esperas, cada reintento espera los segundos indicados (el primero,
el segundo, el tercero...) y no vuelve a la cola hasta entonces.
"""

import sys

from rq import Queue, Retry
from rq.job import JobStatus

from conexion import conectar
from fallos_informe import ESTADOS, trabajos_de
from tareas import duraciones_al_azar, tarea_pesada_y_falible

MAX_REINTENTOS = 3

USO = "Uso: python reintentos.py encolar [CUÁNTOS] [--esperas 1,2,4] | python reintentos.py contar"


def politica(esperas=None):
    """Hasta tres reintentos; con esperas entre ellos si se indican."""
    if esperas:
        return Retry(max=MAX_REINTENTOS, interval=esperas)
    return Retry(max=MAX_REINTENTOS)


def encolar(cola, cuantos, esperas=None):
    duraciones = duraciones_al_azar(cuantos)
    for segundos in duraciones:
        cola.enqueue(tarea_pesada_y_falible, segundos, retry=politica(esperas))
    return duraciones


def intentos(trabajo):
    """Cuántas veces se ha ejecutado ya el trabajo.

    RQ no guarda un contador de intentos: guarda cuántos reintentos le
    quedan (retries_left), y lo descuenta cada vez que lo vuelve a encolar.
    """
    hechos = MAX_REINTENTOS - trabajo.retries_left
    if trabajo.get_status() in (JobStatus.FINISHED, JobStatus.FAILED):
        hechos += 1  # El último intento, el que lo dejó así, no descontó nada.
    return hechos


def contar(cola):
    for trabajo in trabajos_de(cola):
        if trabajo.retries_left is None:
            continue  # Un trabajo encolado sin reintentos.
        estado = ESTADOS[trabajo.get_status()]
        print(f"{trabajo.description:<36} {estado:<10} intentos: {intentos(trabajo)}")


def tarea_que_pide_reintento(segundos, fallar=None):
    """La tarea del libro, pero decide ella misma cuándo reintentar.

    En vez de dejar escapar el error, devuelve un Retry: RQ apunta ese
    intento en el historial de resultados y vuelve a encolar el trabajo.
    Otros errores (un TypeError, por ejemplo) no merecen otro intento.
    """
    try:
        return tarea_pesada_y_falible(segundos, fallar=fallar)
    except ValueError:
        return Retry(max=MAX_REINTENTOS)


def leer_argumentos(argumentos):
    """(orden, cuántos, esperas) o termina con el uso y código 2."""
    if argumentos == ["contar"]:
        return "contar", None, None
    if not argumentos or argumentos[0] != "encolar":
        raise ValueError
    resto = argumentos[1:]
    esperas = None
    if "--esperas" in resto:
        posicion = resto.index("--esperas")
        texto = resto[posicion + 1]  # IndexError si falta el valor.
        esperas = [int(s) for s in texto.split(",")]
        if any(s < 0 for s in esperas):
            raise ValueError
        del resto[posicion:posicion + 2]
    if len(resto) > 1 or (resto and not resto[0].isdigit()):
        raise ValueError
    cuantos = int(resto[0]) if resto else 5
    if cuantos < 1:
        raise ValueError
    return "encolar", cuantos, esperas


def main(argumentos):
    try:
        orden, cuantos, esperas = leer_argumentos(argumentos)
    except (ValueError, IndexError):
        print(USO, file=sys.stderr)
        sys.exit(2)
    cola = Queue(connection=conectar())
    if orden == "contar":
        contar(cola)
        return
    duraciones = encolar(cola, cuantos, esperas)
    print(f"Encolados {cuantos} trabajos con {politica(esperas)}: {duraciones}")


if __name__ == "__main__":
    main(sys.argv[1:])
