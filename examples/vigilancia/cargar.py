"""Trabajo que vigilar: encola en high, default y low una carga de resultado conocido.

Uso: python cargar.py

Cada trabajo dice si falla o no (fallar=True o False): lo que cuenta el
capítulo no depende del azar. El último de default es un informe que tarda
horas y tiene ocupado al worker mientras miramos.
"""

import sys

from rq import Queue
from rq.rate_limit import RateLimit

from conexion import conectar
from tareas import tarea_pesada_y_falible

USO = "Uso: python cargar.py  (sin argumentos)"
UNA_HORA = 60 * 60
# Resultados guardados un día, no los 500 segundos de siempre: así los
# terminados no desaparecen de los recuentos mientras lees el capítulo.
UN_DIA = 24 * UNA_HORA


def cargar(conexion):
    """Encola la carga y devuelve el informe largo."""
    high = Queue("high", connection=conexion)
    default = Queue("default", connection=conexion)
    low = Queue("low", connection=conexion)
    for segundos in (2, 3):
        high.enqueue(tarea_pesada_y_falible, segundos, fallar=False, result_ttl=UN_DIA)
    for segundos, fallar in ((3, False), (4, True), (2, False), (5, True)):
        default.enqueue(tarea_pesada_y_falible, segundos, fallar=fallar, result_ttl=UN_DIA)
    informe = default.enqueue(
        tarea_pesada_y_falible, 4 * UNA_HORA, fallar=False, job_timeout=5 * UNA_HORA, result_ttl=UN_DIA
    )
    # Tres PDFs que un servicio externo hace de uno en uno: límite de
    # concurrencia 1. Y nadie escucha low: un olvido que veremos en cada herramienta.
    pdf = RateLimit("pdf", concurrency=1)
    for segundos in (2, 4, 6):
        low.enqueue(tarea_pesada_y_falible, segundos, fallar=False, rate_limit=pdf)
    return informe


def main(argumentos):
    if argumentos:
        print(USO, file=sys.stderr)
        return 2
    informe = cargar(conectar())
    print(f"Encolados 10 trabajos en high, default y low; el informe es {informe.id}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
