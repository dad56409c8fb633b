"""Ajustes para `rq worker -c ajustes` (y para cualquier orden rq con -c).

Con -c, las órdenes rq leen la conexión de este módulo, y solo de él: las
variables REDIS_URL o REDIS_HOST del entorno ya no cuentan. Si queremos que
cuenten, las leemos aquí.
"""

import os

# Sin esta línea, `rq worker -c ajustes` iría a localhost:6379, diga lo que
# diga REDIS_URL en la terminal.
REDIS_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")

# Las colas que escucha `rq worker -c ajustes` si no le damos ninguna.
QUEUES = ["high", "default", "low"]
