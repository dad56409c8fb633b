"""Configuración para `rq cron`: qué encolar y cada cuánto.

Uso: rq cron planificador_cron.py   (y, aparte, un rq worker que lo ejecute)

rq cron solo encola; los trabajos los hace un worker, como siempre.
"""

from rq import cron

from tareas import tarea_pesada_y_falible

# Cada diez minutos; el primero, nada más arrancar rq cron.
cron.register(tarea_pesada_y_falible, queue_name="default", args=(3,), interval=600)

# Con la sintaxis de cron (hora local): todos los días a las 03:30.
cron.register(tarea_pesada_y_falible, queue_name="default", args=(7,), cron="30 3 * * *")
