"""Un formato de log para máquinas: cada línea, un objeto JSON.

Lo usa el DICT_CONFIG de ajustes_worker.py. Un recolector de logs (Loki,
Elasticsearch, `jq` en la terminal) lee así cada campo por su nombre, sin
adivinar dónde acaba la hora y empieza el mensaje.
"""

import json
import logging

# Los datos que RQ añade (extra=...) al evento de logging de un trabajo que falla.
DEL_TRABAJO = ("queue", "job_id", "func")


class LineaJSON(logging.Formatter):
    """Hora, nivel, logger y mensaje; y, si los hay, el trabajo y la traza."""

    def format(self, evento):
        # RQ mete la traza de un fallo en el mensaje, tras la primera línea.
        mensaje, _, traza = evento.getMessage().partition("\n")
        linea = {
            "hora": self.formatTime(evento, "%Y-%m-%dT%H:%M:%S"),
            "nivel": evento.levelname,
            "logger": evento.name,
            "mensaje": mensaje,
        }
        for campo in DEL_TRABAJO:
            if hasattr(evento, campo):
                linea[campo] = getattr(evento, campo)
        if traza:
            linea["traza"] = traza
        return json.dumps(linea, ensure_ascii=False)
