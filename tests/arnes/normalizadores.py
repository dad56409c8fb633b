"""Lo que cambia de una ejecución a otra, en un solo sitio.

Las salidas que enseña el libro vienen de ejecuciones reales. Para comparar
una salida guardada con una nueva, las dos pasan por `normalizar`, que cambia
cada dato variable por un marcador estable.
"""

import re
import sys
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[2]

# Cada regla: (qué buscar, por qué cambiarlo). El orden importa: primero lo
# más específico.
REGLAS = [
    # Rutas absolutas: las del virtualenv y las del proyecto dependen de la máquina.
    (re.compile(r'File "[^"]*/site-packages/'), 'File ".../site-packages/'),
    (re.compile(re.escape(str(RAIZ)) + r"/"), ""),
    (re.compile(r"/home/lector/guia-de-rq/"), ""),
    (re.compile(re.escape(sys.prefix) + r"/"), ".venv/"),
    # Identificadores de trabajo (uuid4) y nombres de worker (uuid4 en hex).
    (re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"), "<id>"),
    (re.compile(r"\b[0-9a-f]{32}\b"), "<worker>"),
    # Horas del registro del worker y marcas de tiempo ISO.
    (re.compile(r"\b\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(\+00:00|Z)?"), "<fecha>"),
    (re.compile(r"\b\d\d:\d\d:\d\d\b"), "<hora>"),
    # PIDs.
    (re.compile(r"\bPID \d+"), "PID <pid>"),
    # Los del proceso hijo en los avisos del worker: "killed horse pid 123", "retpid=123".
    (re.compile(r"\b(horse pid |retpid=)\d+"), r"\1<pid>"),
    # La tarea del libro pinta un punto por segundo. Si una línea del registro
    # la interrumpe (una señal, un tiempo máximo), cuántos puntos salen antes,
    # y si sale alguno, depende de la velocidad: esos puntos cortados se
    # quitan, y el resto de una línea cortada se queda en "<puntos> [OK]".
    (re.compile(r"(?<=\) )\.+(?=<hora> |$)", re.M), ""),
    (re.compile(r"^\.+(?=<hora> )", re.M), ""),
    (re.compile(r"^\.+(?= \[OK\]$)", re.M), "<puntos>"),
    # Duraciones: "in 0:00:00.252839s" de rq y "34 segundos" de los ejemplos.
    (re.compile(r"\b\d+:\d\d:\d\d(\.\d+)?s\b"), "<duración>"),
    (re.compile(r"\b\d+([.,]\d+)? segundos\b"), "<n> segundos"),
    # Tiempos y aceleraciones medidos de la tabla de workers ("34.2 s", "3.7×").
    # Se comen los espacios de delante: el ancho de la columna depende del número.
    (re.compile(r" +\d+\.\d s\b"), " <n> s"),
    (re.compile(r" +\d+\.\d×"), " <n>×"),
    # El puerto del servidor local de páginas: 8000 si está libre, si no otro.
    (re.compile(r"\bhttp://127\.0\.0\.1:\d+\b"), "http://127.0.0.1:<puerto>"),
    # El puerto del Redis privado, en el YAML de `manage.py rqstats --yaml`.
    (re.compile(r"^(\s+port: )\d+$", re.M), r"\1<puerto>"),
]


def normalizar(texto):
    """Devuelve `texto` con los datos variables cambiados por marcadores."""
    for patron, sustituto in REGLAS:
        texto = patron.sub(sustituto, texto)
    return texto
