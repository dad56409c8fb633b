"""Ajustes de `rq worker -c ajustes_sentinel`: el Redis de las colas, a través de Sentinel.

Los centinelas dicen cuál es el primario de "guia" en cada momento; si cae,
el worker pregunta otra vez y sigue con el nuevo.
"""

import os

# Dónde están los centinelas: "máquina:puerto" separados por espacios.
CENTINELAS = os.environ.get("CENTINELAS", "localhost:26380 localhost:26381 localhost:26382")

SENTINEL = {
    "INSTANCES": [(maquina, int(puerto)) for maquina, puerto in
                  (centinela.rsplit(":", 1) for centinela in CENTINELAS.split())],
    "MASTER_NAME": "guia",
}

QUEUES = ["guia"]
