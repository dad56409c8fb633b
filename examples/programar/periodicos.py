"""Configuración para `rq cron`: qué encolar y cada cuánto.

Uso: rq cron periodicos.py   (y, aparte, un rq worker que haga los trabajos)

rq cron solo encola; los trabajos los hace un worker, como siempre.
"""

from rq import cron

from tareas import tarea_pesada_y_falible

# Cada diez minutos; el primero, nada más arrancar rq cron.
cron.register(tarea_pesada_y_falible, queue_name="default", args=(3,), kwargs={"fallar": False}, interval=600)

# Con la sintaxis de cron, en la hora local de la máquina: todos los días a las 03:30.
cron.register(tarea_pesada_y_falible, queue_name="default", args=(7,), kwargs={"fallar": False}, cron="30 3 * * *")
