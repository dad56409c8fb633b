"""Llamadas a una API externa que no admite más de dos a la vez: RateLimit (RQ 3.0).

Uso: python limite.py                encola seis llamadas en la cola 'api', con el límite "api-externa",
                                     y enseña las que esperan turno en el registro del límite
     python limite.py --cronologia   espera a que acaben y dice cuándo empezó y acabó cada una
"""

import sys
import time

from rq import Queue, RateLimit
from rq.job import Job
from rq.rate_limit import RateLimitRegistry

from conexion import conectar
from tareas import tarea_pesada_y_falible

USO = "Uso: python limite.py [--cronologia]"
CLAVE = "api-externa"


# [llamadas]
def encolar_llamadas(cola, cuantas=6, segundos=3):
    limite = RateLimit(key=CLAVE, concurrency=2)
    return [
        cola.enqueue(tarea_pesada_y_falible, segundos, fallar=False, rate_limit=limite, description=f"llamada {n}")
        for n in range(1, cuantas + 1)
    ]


def sin_turno(conexion):
    """Los identificadores que esperan turno en el registro del límite, y la clave de Redis donde están."""
    registro = RateLimitRegistry(CLAVE, connection=conexion)
    return registro.rate_limited_key, registro.get_rate_limited_job_ids()
# [fin llamadas]


def esperar_a_que_acaben(conexion, limite_segundos=600):
    """Hasta que el límite no tenga ningún trabajo dentro (en cola o en marcha) ni esperando turno."""
    registro = RateLimitRegistry(CLAVE, connection=conexion)
    fin = time.monotonic() + limite_segundos
    while registro.get_allowed_job_count() or registro.get_rate_limited_job_count():
        if time.monotonic() > fin:
            sys.exit(f"Error: las llamadas no han acabado en {limite_segundos} segundos. ¿Hay workers en marcha?")
        time.sleep(0.1)


def cronologia(trabajos):
    """Cuándo empezó y acabó cada trabajo, contando desde el primero, y cuántos coincidieron como mucho.

    Sin nombres: entre los que esperan turno, el orden en que salen no es
    siempre el de llegada (ver el capítulo), y aquí solo importa el cuándo.
    """
    trabajos = sorted(trabajos, key=lambda t: t.started_at)
    cero = trabajos[0].started_at
    lineas = [
        f"empieza a los {(t.started_at - cero).total_seconds():5.1f} s, "
        f"acaba a los {(t.ended_at - cero).total_seconds():5.1f} s"
        for t in trabajos
    ]
    return lineas, a_la_vez(trabajos)


def a_la_vez(trabajos):
    """El mayor número de trabajos que estuvieron en marcha al mismo tiempo."""
    sucesos = sorted([(t.started_at, 1) for t in trabajos] + [(t.ended_at, -1) for t in trabajos])
    en_marcha = maximo = 0
    for _, cambio in sucesos:  # A la misma hora, primero el que acaba (-1 va antes que 1).
        en_marcha += cambio
        maximo = max(maximo, en_marcha)
    return maximo


def main(argumentos):
    if argumentos not in ([], ["--cronologia"]):
        print(USO, file=sys.stderr)
        return 2
    conexion = conectar()
    cola = Queue("api", connection=conexion)
    if not argumentos:
        for trabajo in encolar_llamadas(cola):
            print(f"{trabajo.description}: {trabajo.get_status().value:<12}  {trabajo.id}")
        clave, ids = sin_turno(conexion)
        print(f"Esperan turno en {clave}:")
        for id_trabajo in ids:
            print(f"  {id_trabajo}")
        return 0
    esperar_a_que_acaben(conexion)
    ids = cola.finished_job_registry.get_job_ids()
    llamadas = [t for t in Job.fetch_many(ids, connection=conexion) if t and t.rate_limit_key == CLAVE]
    if not llamadas:
        sys.exit("Error: no hay llamadas terminadas. Encólalas antes con: python limite.py")
    lineas, maximo = cronologia(llamadas)
    print("\n".join(lineas))
    print(f"Como mucho, {maximo} a la vez.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
