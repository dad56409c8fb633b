"""¿Cuánto cuesta un módulo lento de importar? rq worker contra un worker que lo importa una vez.

Uso: python importaciones.py

Encola, de uno en uno, trabajos de usa_modulo_pesado(), cuyo módulo tarda
un segundo en importarse, primero con `rq worker` y después con
worker_precargado.py, y mide cuánto tarda cada trabajo desde enqueue()
hasta su resultado. Deja los datos y los gráficos en resultados/.
"""

import subprocess
import sys
import time

from conexion import conectar
from medicion import (cola_nueva, cuantos, despedir, esperar_ociosos, guardar, linea_de_maquina, maquina,
                      mediana, resultado)
from tareas_medidas import usa_modulo_pesado

TRABAJOS = cuantos(10, minimo=3)
FORMAS = {
    "rq worker": [sys.executable, "-m", "rq.cli", "worker", "pesada"],
    "python worker_precargado.py": [sys.executable, "worker_precargado.py", "pesada"],
}


def medir(orden, conexion):
    cola = cola_nueva("pesada", conexion)
    arranque = time.time()
    worker = subprocess.Popen(orden, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        esperar_ociosos(cola, 1)
        listo = time.time() - arranque
        tiempos = []
        for _ in range(TRABAJOS):
            antes = time.time()
            resultado(cola.enqueue(usa_modulo_pesado))
            tiempos.append(time.time() - antes)
    finally:
        despedir([worker], cola)
    return {"arranque": listo, "por_trabajo": tiempos}


def main():
    conexion = conectar()
    datos = {"maquina": maquina(conexion), "trabajos": TRABAJOS, "formas": {}}
    for nombre, orden in FORMAS.items():
        datos["formas"][nombre] = medir(orden, conexion)
    imprimir(datos)
    guardar("importaciones", datos)


def imprimir(datos):
    print(linea_de_maquina(datos))
    print(f"{datos['trabajos']} trabajos de usa_modulo_pesado(), de uno en uno:")
    print(f"{'':<29}{'listo para trabajar':>20}{'cada trabajo (mediana)':>24}")
    for nombre, medida in datos["formas"].items():
        print(f"{nombre:<29}{medida['arranque']:>18.2f} s{mediana(medida['por_trabajo']):>22.2f} s")


if __name__ == "__main__":
    main()
