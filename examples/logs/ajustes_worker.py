"""Los ajustes del worker, en un fichero: rq worker -c ajustes_worker

RQ lee de aquí REDIS_URL, QUEUES y DICT_CONFIG. SENTRY_DSN es cosa
nuestra: con ella, el módulo inicia Sentry. Hace falta la carpeta logs en
PYTHONPATH (para este módulo y para formato_json).
"""

import os

import sentry_sdk
from sentry_sdk.integrations.rq import RqIntegration

# Con -c, rq ya no mira REDIS_URL en el entorno, solo aquí: la copiamos.
# Sin ella, se conectaría a localhost:6379.
REDIS_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")
QUEUES = ["high", "default", "low"]

# El log, en líneas JSON por la salida normal. rq worker aplica esto con
# logging.config.dictConfig antes de crear el worker; el worker, al ver que
# "rq" ya tiene dónde escribir, no pone sus manejadores.
DICT_CONFIG = {
    "version": 1,
    "formatters": {"json": {"()": "formato_json.LineaJSON"}},
    "handlers": {
        "salida": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"},
    },
    "loggers": {"rq": {"handlers": ["salida"], "level": "INFO"}},
}

# Sentry, si hay un DSN en el entorno. El worker importa este módulo al
# arrancar, antes de coger trabajo: cada proceso hijo hereda la integración.
SENTRY_DSN = os.environ.get("SENTRY_DSN")
if SENTRY_DSN:
    sentry_sdk.init(dsn=SENTRY_DSN, integrations=[RqIntegration()])
