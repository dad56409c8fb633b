"""Trabajos para más tarde: enqueue_in, enqueue_at y Repeat.

Uso: python programar.py

Ninguno de los programados se ejecutará si no hay un planificador en
marcha: un worker arrancado con --with-scheduler. Todos llevan
fallar=False: aquí solo nos interesa cuándo se ejecutan.
"""

import sys
from datetime import date, datetime, timedelta

from rq import Queue, Repeat

from conexion import conectar
from tareas import tarea_pesada_y_falible


def main(argumentos):
    if argumentos:
        print("Uso: python programar.py  (no admite argumentos)", file=sys.stderr)
        sys.exit(2)
    cola = Queue(connection=conectar())

    # Dentro de un rato (un timedelta)...
    dentro_de_un_rato = cola.enqueue_in(timedelta(seconds=1), tarea_pesada_y_falible, 3, fallar=False)
    # ...o a una hora concreta: mañana a las nueve, con zona horaria para no dudar.
    mañana = datetime.now().astimezone() + timedelta(days=1)
    a_las_nueve = mañana.replace(hour=9, minute=0, second=0, microsecond=0)
    a_una_hora = cola.enqueue_at(a_las_nueve, tarea_pesada_y_falible, 4, fallar=False)
    for trabajo in (dentro_de_un_rato, a_una_hora):
        hora = cola.scheduled_job_registry.get_scheduled_time(trabajo).astimezone()
        dia = "hoy" if hora.date() == date.today() else "mañana"
        print(f"{trabajo.description}: {trabajo.get_status().value}, para {dia} a las {hora:%H:%M:%S}")

    # Y uno que se repite: se ejecuta una vez y, si sale bien, dos más.
    repetido = cola.enqueue(tarea_pesada_y_falible, 2, fallar=False, repeat=Repeat(times=2))
    print(f"{repetido.description}: {repetido.get_status().value}, se repetirá {repetido.repeats_left} veces")


if __name__ == "__main__":
    main(sys.argv[1:])
