"""`make bench`: cuánto tardan las tres cosas que hace a diario quien mantiene el libro.

Imprime la mediana de varias ejecuciones (BENCH_VECES, 3 por defecto) de:
una construcción en frío de los dos idiomas (con .venv ya creado), una
reconstrucción sin cambios, y `make test`. Después, dónde se va el tiempo
de `make test`: una ejecución prueba a prueba (-n 0) con tests/arnes/medidas.py,
por capítulo y por clase de coste. Y al final, lo que pesa cada página del
libro en el navegador, con todo lo que descarga. Los objetivos (make test
<= 60 s, reconstrucción < 3 s, 300 KB por página) se miden aquí, no se
imponen en las pruebas. BENCH_SOLO=desglose hace solo el desglose.
"""

import os
import re
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


OBJETIVO_TEST = 60.0


def capitulo_de(nodeid, capitulos, carpetas):
    """El capítulo al que pertenece una prueba, o "libro" si es de todo el libro."""
    ruta = nodeid.split("::")[0]
    if ruta.startswith("docs/"):
        return Path(ruta).stem
    if ruta.startswith("examples/"):
        return carpetas.get(ruta.split("/")[1], "libro")
    modulo = Path(ruta).stem.removeprefix("test_")
    por_modulo = {c.replace("-", "_"): c for c in capitulos}
    if modulo in por_modulo:
        return por_modulo[modulo]
    parametro = nodeid.rsplit("[", 1)[-1].rstrip("]") if nodeid.endswith("]") else ""
    return parametro if parametro in capitulos else "libro"


def clase_de_coste(nodeid):
    ruta = nodeid.split("::")[0]
    if ruta == "tests/test_navegador.py":
        return "Chromium"
    if ruta in ("tests/test_libro.py", "tests/test_sitio.py", "tests/test_catalogos.py"):
        return "Sphinx y catálogos"
    if ruta.startswith("docs/"):
        return "capítulos (sesiones y salidas)"
    return "pruebas de tests/ y del lector"


def desglose():
    """Una ejecución prueba a prueba con tests/arnes/medidas.py, resumida."""
    import json
    import tempfile
    from collections import Counter, defaultdict

    capitulos = sorted(p.stem for p in (RAIZ / "docs").glob("*.rst"))
    carpetas = {}
    for capitulo in capitulos:
        texto = (RAIZ / "docs" / f"{capitulo}.rst").read_text(encoding="utf-8")
        for carpeta in {m.split("/")[2] for m in re.findall(r"\.\./examples/\w+/tests/", texto)}:
            carpetas[carpeta] = capitulo
    with tempfile.NamedTemporaryFile(suffix=".json") as fichero:
        inicio = time.perf_counter()
        resultado = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-n", "0", "-p", "tests.arnes.medidas"],
            # Como `make test`: sin PYTHONDONTWRITEBYTECODE (ver el Makefile).
            cwd=RAIZ, env={**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
                           "GUIA_RQ_MEDIDAS": fichero.name},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        reloj_total = time.perf_counter() - inicio
        datos = json.loads(Path(fichero.name).read_text(encoding="utf-8"))
    if resultado.returncode != 0:
        # El tiempo de una ejecución con fallos también dice dónde se va; lo
        # damos, pero avisando, y el código de salida dice que algo falló.
        print(resultado.stdout[-3000:])
        print("Aviso: la ejecución prueba a prueba tuvo fallos; el desglose es de esa ejecución.")
    por_capitulo = defaultdict(lambda: {"pruebas": 0, "reloj": 0.0, "cpu": 0.0, "espera": 0.0,
                                        "tareas": 0, "ordenes": Counter()})
    por_clase = defaultdict(float)
    ordenes = Counter()
    for prueba in datos["pruebas"]:
        fila = por_capitulo[capitulo_de(prueba["prueba"], capitulos, carpetas)]
        fila["pruebas"] += 1
        fila["reloj"] += prueba["reloj"]
        fila["cpu"] += prueba["cpu"]
        fila["espera"] += max(0.0, prueba["reloj"] - prueba["cpu"])
        fila["tareas"] += prueba["tareas"]
        fila["ordenes"].update(prueba["ordenes"])
        ordenes.update(prueba["ordenes"])
        por_clase[clase_de_coste(prueba["prueba"])] += prueba["reloj"]
    suma = sum(f["reloj"] for f in por_capitulo.values())
    print(f"\nDesglose de make test, prueba a prueba (-n 0): {len(datos['pruebas'])} pruebas, "
          f"{reloj_total:.0f} s de reloj en un solo proceso.")
    print("CPU: la de pytest y los procesos que arranca; espera: reloj menos esa CPU (dormir, esperar a un worker o a rq).")
    print(f"  {'capítulo':<22}{'pruebas':>8}{'reloj':>8}{'%':>5}{'CPU':>8}{'espera':>8}{'tareas':>8}  órdenes del arnés")
    for capitulo, fila in sorted(por_capitulo.items(), key=lambda c: -c[1]["reloj"]):
        principales = ", ".join(f"{n} {k}" for n, k in fila["ordenes"].most_common(3))
        print(f"  {capitulo:<22}{fila['pruebas']:>8}{fila['reloj']:>8.1f}{100 * fila['reloj'] / suma:>5.0f}"
              f"{fila['cpu']:>8.1f}{fila['espera']:>8.1f}{fila['tareas']:>8}  {principales}")
    print("Las 15 pruebas más lentas (reloj, CPU):")
    for prueba in sorted(datos["pruebas"], key=lambda p: -p["reloj"])[:15]:
        print(f"  {prueba['reloj']:7.1f} s {prueba['cpu']:7.1f} s  {prueba['prueba'][:90]}")
    print("Por clase de coste (reloj):")
    for clase, segundos in sorted(por_clase.items(), key=lambda c: -c[1]):
        print(f"  {clase:<34}{segundos:7.1f} s")
    print("Lo que se hace una vez y paga la primera prueba que lo pide:")
    for nombre, segundos in sorted(datos["aparte"].items()):
        print(f"  {nombre:<34}{segundos:7.1f} s")
    print("Órdenes que lanza el arnés, en total: " + ", ".join(f"{n} {k}" for n, k in ordenes.most_common()))
    if resultado.returncode != 0:
        sys.exit(resultado.returncode)


def main():
    if os.environ.get("BENCH_SOLO") == "desglose":
        desglose()
        return
    medidas = [
        ("make html en frío (es + en)", cronometrar(["make", "html"], antes=borrar_html)),
        ("make html sin cambios", cronometrar(["make", "html"])),
        ("make test", cronometrar(["make", "test"])),
    ]
    print(f"Medianas de {VECES} ejecuciones ({os.cpu_count()} núcleos):")
    for nombre, tiempos in medidas:
        detalle = ", ".join(f"{t:.1f}" for t in tiempos)
        print(f"  {nombre:<30} {statistics.median(tiempos):6.1f} s   ({detalle})")
    mediana = statistics.median(medidas[-1][1])
    estado = "dentro" if mediana <= OBJETIVO_TEST else "fuera"
    print(f"  make test: {mediana:.1f} s frente al objetivo de {OBJETIVO_TEST:.0f} s: {estado}.")
    desglose()
    print("Peso de cada página en el navegador (HTML, CSS, JS, fuentes e imágenes):")
    for pagina, octetos in pesos_de_pagina().items():
        print(f"  {pagina:<30} {octetos / 1024:6.0f} KB")


if __name__ == "__main__":
    main()
