"""Una tarea que necesita una biblioteca de terceros (PyYAML)."""

import yaml


def resumen(ventas):
    """Devuelve las ventas en YAML, ordenadas por producto."""
    return yaml.safe_dump(ventas, allow_unicode=True)
