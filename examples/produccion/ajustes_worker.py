"""Los ajustes del worker, en un fichero: rq worker -c ajustes_worker

RQ lee las variables en MAYÚSCULAS de este módulo: la conexión, las colas
y Sentry.
"""

import os

import sentry_sdk
from sentry_sdk.integrations.rq import RqIntegration

# Con -c, rq ya no mira REDIS_URL en el entorno, solo aquí: la copiamos.
# Sin ella, se conectaría a localhost:6379.
REDIS_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")
QUEUES = ["high", "default", "low"]

# Sentry, si hay un DSN en el entorno. El worker importa este módulo al
# arrancar, antes de coger trabajo: cada proceso hijo hereda la integración.
SENTRY_DSN = os.environ.get("SENTRY_DSN")
if SENTRY_DSN:
    sentry_sdk.init(dsn=SENTRY_DSN, integrations=[RqIntegration()])
