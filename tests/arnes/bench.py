"""`make bench`: cuánto tardan las tres cosas que hace a diario quien mantiene el libro.

Imprime la mediana de varias ejecuciones (BENCH_VECES, 3 por defecto) de:
una construcción en frío de los dos idiomas (con .venv ya creado), una
reconstrucción sin cambios, y `make test`. Después, lo que pesa cada página
del libro en el navegador, con todo lo que descarga. Los objetivos
(make test < 60 s, reconstrucción < 3 s, 300 KB por página) se miden aquí,
no se imponen en las pruebas.
"""

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

RAIZ = Path(__file__).resolve().parents[2]
VECES = int(os.environ.get("BENCH_VECES", "3"))
CONSTRUCCION = RAIZ / "build"


def cronometrar(orden, antes=None):
    tiempos = []
    for _ in range(VECES):
        if antes:
            antes()
        inicio = time.perf_counter()
        resultado = subprocess.run(orden, cwd=RAIZ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if resultado.returncode != 0:
            # Una medida de algo que falla no vale: lo decimos y paramos.
            print(resultado.stdout[-4000:])
            sys.exit(f"Error: `{' '.join(orden)}` falló (código {resultado.returncode}); no hay medida.")
        tiempos.append(time.perf_counter() - inicio)
    return tiempos


def borrar_html():
    for carpeta in ("html", "doctrees"):
        shutil.rmtree(CONSTRUCCION / carpeta, ignore_errors=True)


def pesos_de_pagina():
    """Bytes que descarga Chromium para cada página de build/html, sin caché."""
    from playwright.sync_api import sync_playwright

    from tests.arnes.navegador import CHROMIUM, OPCIONES_CHROMIUM
    from tests.arnes.servidor_web import servir

    raiz = CONSTRUCCION / "html"
    pesos = {}
    with servir(raiz) as base, sync_playwright() as p:
        navegador = p.chromium.launch(executable_path=CHROMIUM, args=OPCIONES_CHROMIUM)
        for idioma in ("es", "en"):
            for pagina_html in sorted((raiz / idioma).glob("*.html")):
                if pagina_html.stem in ("genindex", "search"):
                    continue
                contexto = navegador.new_context()  # Nuevo cada vez: sin caché.
                pagina = contexto.new_page()
                respuestas = []
                pagina.on("response", lambda r: respuestas.append(r))
                pagina.goto(f"{base}/{idioma}/{pagina_html.name}", wait_until="networkidle")
                pesos[f"{idioma}/{pagina_html.name}"] = sum(len(r.body()) for r in respuestas)
                contexto.close()
        navegador.close()
    return pesos


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
    print("Peso de cada página en el navegador (HTML, CSS, JS, fuentes e imágenes):")
    for pagina, octetos in pesos_de_pagina().items():
        print(f"  {pagina:<30} {octetos / 1024:6.0f} KB")


if __name__ == "__main__":
    main()
