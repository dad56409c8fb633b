"""`make bench`: cuánto tardan las tres cosas que hace a diario quien mantiene el libro.

Imprime la mediana de varias ejecuciones (BENCH_VECES, 3 por defecto) de:
una construcción en frío de los dos idiomas (con .venv ya creado), una
reconstrucción sin cambios, y `make test`. Después, dónde se va el tiempo
de `make test`: una ejecución prueba a prueba (-n 0) con tests/arnes/medidas.py,
por capítulo y por clase de coste (los datos quedan en build/desglose.json), y
otra normal con la contabilidad de procesos del núcleo, por programa (si hay
accton y somos root). Y al final, lo que pesa cada página del
libro en el navegador, con todo lo que descarga. Los objetivos (make test
<= 60 s, reconstrucción < 3 s, 300 KB por página) se miden aquí, no se
imponen en las pruebas. BENCH_SOLO=desglose hace solo el desglose; BENCH_SOLO=programas, solo
la CPU por programa.
"""

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
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
    from collections import Counter

    capitulos = sorted(p.stem for p in (RAIZ / "docs").glob("*.rst"))
    carpetas = {}
    for capitulo in capitulos:
        texto = (RAIZ / "docs" / f"{capitulo}.rst").read_text(encoding="utf-8")
        for carpeta in {m.split("/")[2] for m in re.findall(r"\.\./examples/\w+/tests/", texto)}:
            carpetas[carpeta] = capitulo
    # Los datos, prueba a prueba, se quedan en build/ para mirarlos con calma.
    CONSTRUCCION.mkdir(exist_ok=True)
    fichero = CONSTRUCCION / "desglose.json"
    inicio = time.perf_counter()
    resultado = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "0", "-p", "tests.arnes.medidas"],
        # Como `make test`: sin PYTHONDONTWRITEBYTECODE (ver el Makefile).
        cwd=RAIZ, env={**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
                       "GUIA_RQ_MEDIDAS": str(fichero)},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    reloj_total = time.perf_counter() - inicio
    datos = json.loads(fichero.read_text(encoding="utf-8"))
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
    print("Las 15 que más CPU gastan (CPU, reloj):")
    for prueba in sorted(datos["pruebas"], key=lambda p: -p["cpu"])[:15]:
        print(f"  {prueba['cpu']:7.1f} s {prueba['reloj']:7.1f} s  {prueba['prueba'][:90]}")
    print("Por clase de coste (reloj):")
    for clase, segundos in sorted(por_clase.items(), key=lambda c: -c[1]):
        print(f"  {clase:<34}{segundos:7.1f} s")
    print("Lo que se hace una vez y paga la primera prueba que lo pide:")
    for nombre, segundos in sorted(datos["aparte"].items()):
        print(f"  {nombre:<34}{segundos:7.1f} s")
    print("Órdenes que lanza el arnés, en total: " + ", ".join(f"{n} {k}" for n, k in ordenes.most_common()))
    if resultado.returncode != 0:
        sys.exit(resultado.returncode)


# Tramos de CPU de un proceso python o rq: los cortos son casi todo importar
# rq, redis y click (0,1 s de los 0,13 de un `rq worker --burst` vacío).
TRAMOS = [(0.0, 0.1), (0.1, 0.4), (0.4, 1.0), (1.0, float("inf"))]


def por_programa():
    """`make test` con la contabilidad de procesos del núcleo: la CPU de la máquina, por programa.

    getrusage (el desglose) solo ve los procesos que pytest recoge; la
    contabilidad del núcleo (accton, del paquete acct) apunta todo proceso
    que termina en la máquina: redis-server, Chromium, los procesos de
    pytest-xdist... Hace falta ser root. Con la máquina tranquila, lo que
    apunta es de `make test`.
    """
    if os.geteuid() != 0 or not (shutil.which("accton") and shutil.which("dump-acct")):
        print("CPU por programa: sin medir (hace falta root y el paquete acct: sudo apt-get install acct).")
        return
    # Si la máquina ya lleva su contabilidad (el servicio acct), no se la cambiamos.
    suya = Path("/var/log/account/pacct")
    if suya.exists() and time.time() - suya.stat().st_mtime < 60:
        print(f"CPU por programa: sin medir ({suya} está en uso; accton lo apagaría al acabar).")
        return
    with tempfile.TemporaryDirectory(prefix="guia-rq-bench-") as carpeta:
        registro = Path(carpeta, "pacct")
        registro.touch()
        subprocess.run(["accton", str(registro)], check=True, stdout=subprocess.DEVNULL)
        try:
            inicio = time.perf_counter()
            prueba = subprocess.run(["make", "test"], cwd=RAIZ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            reloj = time.perf_counter() - inicio
        finally:
            subprocess.run(["accton", "off"], stdout=subprocess.DEVNULL)
        volcado = subprocess.run(["dump-acct", str(registro)], capture_output=True, text=True, check=True).stdout
    cpu, procesos = defaultdict(float), defaultdict(int)
    tramos = defaultdict(lambda: [0, 0.0])
    for linea in volcado.splitlines():
        campos = [c.strip() for c in linea.split("|")]
        # Programa, versión, tiempo de usuario y de sistema (en centésimas)...
        programa, segundos = campos[0].rstrip("*"), (float(campos[2]) + float(campos[3])) / 100
        cpu[programa] += segundos
        procesos[programa] += 1
        if programa in ("python", "rq"):
            tramo = next(t for t in TRAMOS if t[0] <= segundos < t[1])
            tramos[tramo][0] += 1
            tramos[tramo][1] += segundos
    total = sum(cpu.values())
    print(f"\nCPU de la máquina durante make test (accton), -n 4: {total:.0f} s de CPU en {reloj:.0f} s de reloj "
          f"({total / reloj / os.cpu_count():.0%} de {os.cpu_count()} núcleos); código de salida {prueba.returncode}.")
    print(f"  {'programa':<20}{'procesos':>9}{'CPU':>8}")
    for programa, segundos in sorted(cpu.items(), key=lambda c: -c[1])[:10]:
        print(f"  {programa:<20}{procesos[programa]:>9}{segundos:>8.1f}")
    print("  Procesos python y rq por CPU de cada uno (los de pytest-xdist son los de más de 1 s):")
    for (desde, hasta), (cuantos, segundos) in sorted(tramos.items()):
        print(f"    {desde:.1f}-{hasta:.1f} s{cuantos:>9}{segundos:>8.1f}")


def main():
    if os.environ.get("BENCH_SOLO") == "desglose":
        desglose()
        return
    if os.environ.get("BENCH_SOLO") == "programas":
        por_programa()
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
    por_programa()
    print("Peso de cada página en el navegador (HTML, CSS, JS, fuentes e imágenes):")
    for pagina, octetos in pesos_de_pagina().items():
        print(f"  {pagina:<30} {octetos / 1024:6.0f} KB")


if __name__ == "__main__":
    main()
