"""`make bench`: cuánto tardan las tres cosas que hace a diario quien mantiene el libro.

Imprime la mediana de varias ejecuciones (BENCH_VECES, 3 por defecto) de:
una construcción en frío de los dos idiomas (con .venv ya creado), una
reconstrucción sin cambios, y `make test`. Los objetivos (make test < 60 s,
reconstrucción < 3 s) se miden aquí, no se imponen en las pruebas.
"""

import os
import shutil
import statistics
import subprocess
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
VECES = int(os.environ.get("BENCH_VECES", "3"))
CONSTRUCCION = RAIZ / "build"


def cronometrar(orden, antes=None):
    tiempos = []
    for _ in range(VECES):
        if antes:
            antes()
        inicio = time.perf_counter()
        subprocess.run(orden, cwd=RAIZ, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        tiempos.append(time.perf_counter() - inicio)
    return tiempos


def borrar_html():
    for carpeta in ("html", "doctrees"):
        shutil.rmtree(CONSTRUCCION / carpeta, ignore_errors=True)


def main():
    medidas = [
        ("make html en frío (es + en)", cronometrar(["make", "html"], antes=borrar_html)),
        ("make html sin cambios", cronometrar(["make", "html"])),
        ("make test", cronometrar(["make", "test"])),
    ]
    print(f"Medianas de {VECES} ejecuciones ({os.cpu_count()} núcleos):")
    for nombre, tiempos in medidas:
        detalle = ", ".join(f"{t:.1f}" for t in tiempos)
        print(f"  {nombre:<30} {statistics.median(tiempos):6.1f} s   ({detalle})")


if __name__ == "__main__":
    main()
