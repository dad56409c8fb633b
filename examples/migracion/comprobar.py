"""Ejecuta cada ejemplo de un módulo y dice, en una línea, qué ha pasado.

Lo usan antiguo.py y nuevo.py: `python antiguo.py` ejecuta cada función de
su lista CAMBIOS con la versión de RQ instalada en ese Python.
"""

import logging
import warnings

import rq


def trabajar(cola):
    """Un worker hace, en este mismo proceso, los trabajos de la cola."""
    from rq import SimpleWorker

    SimpleWorker([cola], connection=cola.connection).work(burst=True, logging_level="CRITICAL")


def _version():
    return getattr(rq, "VERSION", None) or rq.__version__


def probar(funciones):
    logging.disable(logging.CRITICAL)  # Solo las líneas de este informe.
    print(f"RQ {_version()}")
    for funcion in funciones:
        with warnings.catch_warnings(record=True) as avisos:
            warnings.simplefilter("always")
            # RQ 1.11 con Python 3.12 o posterior: un aviso de RQ, no del código que se prueba.
            warnings.filterwarnings("ignore", message="datetime.datetime.utcnow", category=DeprecationWarning)
            try:
                estado = f"devuelve {funcion()!r}"
            except Exception as error:
                # Sin la ruta del fichero que algunas excepciones añaden entre paréntesis.
                estado = f"lanza {type(error).__name__}: {str(error).split(' (/')[0]}"
        print(f"{funcion.__name__:<20} {estado}")
        for aviso in {f"{a.category.__name__}: {a.message}" for a in avisos}:
            print(f"{'':<20} y avisa {aviso}")
