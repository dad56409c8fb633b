"""Un formato de log para máquinas: cada línea, un objeto JSON.

Lo usa el DICT_CONFIG de ajustes_worker.py. Un recolector de logs (Loki,
Elasticsearch, `jq` en la terminal) lee así cada campo por su nombre, sin
adivinar dónde acaba la hora y empieza el mensaje.
"""

import json
import logging

# Los datos que RQ añade (extra=...) al registro de un trabajo que falla.
DEL_TRABAJO = ("queue", "job_id", "func")


class LineaJSON(logging.Formatter):
    """Hora, nivel, logger y mensaje; y, si los hay, el trabajo y la traza."""

    def format(self, registro):
        # RQ mete la traza de un fallo en el mensaje, tras la primera línea.
        mensaje, _, traza = registro.getMessage().partition("\n")
        linea = {
            "hora": self.formatTime(registro, "%Y-%m-%dT%H:%M:%S"),
            "nivel": registro.levelname,
            "logger": registro.name,
            "mensaje": mensaje,
        }
        for campo in DEL_TRABAJO:
            if hasattr(registro, campo):
                linea[campo] = getattr(registro, campo)
        if traza:
            linea["traza"] = traza
        return json.dumps(linea, ensure_ascii=False)
