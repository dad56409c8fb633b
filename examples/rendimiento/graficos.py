"""Los gráficos de las medidas, en español y en inglés, a partir de sus datos.

Uso: python graficos.py   (vuelve a dibujar todo lo que haya en resultados/)

Cada programa de medida llama a dibujar() al terminar. Cada gráfico sale
dos veces: <nombre>.svg, en español, y <nombre>.en.svg, en inglés. Los
datos (<nombre>.json) quedan al lado.
"""

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("svg")  # Sin pantalla: solo ficheros.
import matplotlib.pyplot as plt  # noqa: E402

# Ficheros iguales si los datos son iguales: sin fecha ni identificadores al azar.
plt.rcParams.update({"svg.hashsalt": "guia-rq", "svg.fonttype": "none", "font.size": 10})

TEXTOS = {
    "es": {
        "maquina": "{nucleos} núcleos, Python {python}, Redis {redis}, RQ {rq}",
        "ms": "milisegundos (escala logarítmica)",
        "mediana": "mediana", "p95": "p95",
        "latencia": "Latencia de un trabajo vacío",
        "empezar": "hasta que empieza", "resultado": "hasta el resultado",
        "caudal": "Trabajos por segundo con 1, 2, 4 y 8 workers",
        "workers": "workers", "por_segundo": "trabajos por segundo",
        "vacia": "tarea vacía", "espera_50ms": "tarea de 50 ms (espera)",
        "encolar": "Encolar trabajos", "bucle": "enqueue() en un bucle",
        "many": "enqueue_many() (pipeline)", "encolados": "trabajos encolados por segundo",
        "importaciones": "Un módulo que tarda 1 s en importarse",
        "por_trabajo": "segundos por trabajo",
        "memoria": "Una tarea que pierde 1 MB por trabajo",
        "trabajo_n": "trabajos hechos", "rss": "memoria (RSS, MB)",
        "maquinas": "Un worker lejos de Redis",
        "rtt": "ida y vuelta añadida (ms)",
        "comparativa": "Mismas tareas, mismo Redis, {procesos} procesos",
        "latencia_inicio": "encolar → empezar, mediana (ms)",
    },
    "en": {
        "maquina": "{nucleos} cores, Python {python}, Redis {redis}, RQ {rq}",
        "ms": "milliseconds (log scale)",
        "mediana": "median", "p95": "p95",
        "latencia": "Latency of an empty job",
        "empezar": "until it starts", "resultado": "until the result",
        "caudal": "Jobs per second with 1, 2, 4 and 8 workers",
        "workers": "workers", "por_segundo": "jobs per second",
        "vacia": "empty task", "espera_50ms": "50 ms task (waiting)",
        "encolar": "Enqueueing jobs", "bucle": "enqueue() in a loop",
        "many": "enqueue_many() (pipeline)", "encolados": "jobs enqueued per second",
        "importaciones": "A module that takes 1 s to import",
        "por_trabajo": "seconds per job",
        "memoria": "A task that leaks 1 MB per job",
        "trabajo_n": "jobs done", "rss": "memory (RSS, MB)",
        "maquinas": "A worker far from Redis",
        "rtt": "added round trip (ms)",
        "comparativa": "Same tasks, same Redis, {procesos} processes",
        "latencia_inicio": "enqueue → start, median (ms)",
    },
}


def _mediana(valores):
    valores = sorted(valores)
    mitad = len(valores) // 2
    return valores[mitad] if len(valores) % 2 else (valores[mitad - 1] + valores[mitad]) / 2


def _p95(valores):
    valores = sorted(valores)
    return valores[min(len(valores) - 1, round(0.95 * (len(valores) - 1)))]


def _figura(t, titulo, datos, ancho=7, alto=4):
    figura, ejes = plt.subplots(figsize=(ancho, alto), layout="constrained")
    figura.suptitle(t[titulo], fontweight="bold")
    ejes.set_title(t["maquina"].format(**datos["maquina"]), fontsize=8, color="0.35")
    ejes.grid(axis="y", color="0.9")
    ejes.set_axisbelow(True)
    return figura, ejes


def latencia(datos, t):
    figura, ejes = _figura(t, "latencia", datos)
    clases = list(datos["clases"])
    series = [("al_empezar", "empezar"), ("al_resultado", "resultado")]
    ancho = 0.2
    for i, (clave, etiqueta) in enumerate(series):
        for j, (cuenta, nombre, trama) in enumerate([(_mediana, "mediana", None), (_p95, "p95", "//")]):
            x = [k + (2 * i + j - 1.5) * ancho for k in range(len(clases))]
            valores = [cuenta(datos["clases"][c][clave]) * 1000 for c in clases]
            ejes.bar(x, valores, ancho, label=f"{t[etiqueta]}, {t[nombre]}", color=f"C{i}",
                     hatch=trama, edgecolor="white")
    ejes.set_xticks(range(len(clases)), clases)
    ejes.set_yscale("log")
    ejes.set_ylabel(t["ms"])
    ejes.legend(fontsize=8)
    return figura


def trabajos_por_segundo(datos, t):
    figura, (izquierda, derecha) = plt.subplots(1, 2, figsize=(8, 4), layout="constrained")
    figura.suptitle(t["caudal"], fontweight="bold")
    figura.text(0.5, 0.9, t["maquina"].format(**datos["maquina"]), ha="center", fontsize=8, color="0.35")
    numeros = [str(n) for n in datos["numeros"]]
    for ejes, tarea in ((izquierda, "vacia"), (derecha, "espera_50ms")):
        for i, (clase, medidas) in enumerate(datos["clases"].items()):
            ejes.plot(numeros, [medidas[n][tarea] for n in numeros], marker="o", label=clase,
                      color=f"C{i}", linestyle="--" if clase == "worker-pool" else "-")
        ejes.set_title(t[tarea], fontsize=9)
        ejes.set_xlabel(t["workers"])
        ejes.grid(color="0.9")
    izquierda.set_yscale("log")
    izquierda.set_ylabel(t["por_segundo"])
    derecha.set_ylim(bottom=0)
    derecha.legend(fontsize=8)
    figura.get_layout_engine().set(rect=(0, 0, 1, 0.93))
    return figura


def _barras(ejes, etiquetas, valores, formato="%.0f"):
    barras = ejes.bar(etiquetas, valores, color=[f"C{i}" for i in range(len(valores))])
    ejes.bar_label(barras, fmt=formato, fontsize=8)


def encolar_deprisa(datos, t):
    figura, ejes = _figura(t, "encolar", datos, ancho=6)
    _barras(ejes, [t["bucle"], t["many"]], [datos["por_segundo"]["bucle"], datos["por_segundo"]["many"]])
    ejes.set_ylabel(t["encolados"])
    return figura


def importaciones(datos, t):
    figura, ejes = _figura(t, "importaciones", datos, ancho=6)
    formas = list(datos["formas"])
    _barras(ejes, formas, [_mediana(datos["formas"][f]["por_trabajo"]) for f in formas], "%.2f")
    ejes.set_ylabel(t["por_trabajo"])
    return figura


def memoria(datos, t):
    figura, ejes = _figura(t, "memoria", datos)
    for i, (forma, medida) in enumerate(datos["formas"].items()):
        trabajos = range(1, len(medida["tarea"]) + 1)
        ejes.plot(trabajos, medida["tarea"], color=f"C{i}", label=forma)
    ejes.set_xlabel(t["trabajo_n"])
    ejes.set_ylabel(t["rss"])
    ejes.set_ylim(bottom=0)
    ejes.legend(fontsize=8)
    return figura


def varias_maquinas(datos, t):
    figura, ejes = _figura(t, "maquinas", datos, ancho=6)
    retrasos = list(datos["retrasos"])
    for i, maquina in enumerate(("maquina-a", "maquina-b")):
        x = [k + (i - 0.5) * 0.4 for k in range(len(retrasos))]
        barras = ejes.bar(x, [datos["retrasos"][r][maquina] for r in retrasos], 0.4, color=f"C{i}", label=maquina)
        ejes.bar_label(barras, fontsize=8)
    ejes.set_xticks(range(len(retrasos)), [f"+{r} ms" for r in retrasos])
    ejes.set_xlabel(t["rtt"])
    ejes.set_ylabel(t["trabajo_n"])
    ejes.legend(fontsize=8)
    return figura


def comparativa(datos, t):
    figura, filas = plt.subplots(1, 3, figsize=(9, 3.6), layout="constrained")
    figura.suptitle(t["comparativa"].format(procesos=datos["procesos"]), fontweight="bold")
    figura.text(0.5, 0.89, t["maquina"].format(**datos["maquina"]), ha="center", fontsize=8, color="0.35")
    sistemas = list(datos["sistemas"])
    for ejes, clave, titulo in ((filas[0], "vacias", "vacia"), (filas[1], "de_50ms", "espera_50ms")):
        _barras(ejes, sistemas, [datos["sistemas"][s][clave] for s in sistemas])
        ejes.set_title(f"{t[titulo]}: {t['por_segundo']}", fontsize=9)
    _barras(filas[2], sistemas, [_mediana(datos["sistemas"][s]["latencias"]) * 1000 for s in sistemas])
    filas[2].set_title(t["latencia_inicio"], fontsize=9)
    for ejes in filas:
        ejes.tick_params(axis="x", labelsize=8)
        ejes.grid(axis="y", color="0.9")
        ejes.set_axisbelow(True)
    figura.get_layout_engine().set(rect=(0, 0, 1, 0.9))
    return figura


DIBUJOS = {
    "latencia": latencia,
    "trabajos_por_segundo": trabajos_por_segundo,
    "encolar_deprisa": encolar_deprisa,
    "importaciones": importaciones,
    "memoria": memoria,
    "varias_maquinas": varias_maquinas,
    "comparativa": comparativa,
}


def dibujar(nombre, datos, carpeta):
    for idioma, t in TEXTOS.items():
        figura = DIBUJOS[nombre](datos, t)
        sufijo = "" if idioma == "es" else f".{idioma}"
        figura.savefig(Path(carpeta) / f"{nombre}{sufijo}.svg", metadata={"Date": None})
        plt.close(figura)


def main():
    carpeta = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("resultados")
    for ruta in sorted(carpeta.glob("*.json")):
        if ruta.stem in DIBUJOS:
            dibujar(ruta.stem, json.loads(ruta.read_text(encoding="utf-8")), carpeta)
            print(f"{ruta.stem}: {ruta.stem}.svg, {ruta.stem}.en.svg")


if __name__ == "__main__":
    main()
