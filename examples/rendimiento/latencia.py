"""¿Cuánto cuesta un trabajo vacío? Latencia con Worker, SimpleWorker y SpawnWorker.

Uso: python latencia.py

Con un worker de cada clase, encola trabajos vacíos de uno en uno y mide
cuánto pasa desde enqueue() hasta que la tarea empieza y hasta que el
resultado llega al programa. Después mide por separado las piezas que se
llevan ese tiempo. Deja los datos y los gráficos en resultados/.
"""

import os
import statistics
import subprocess
import sys
import time

from conexion import conectar
from medicion import (CLASES, Workers, cola_nueva, cuantos, guardar, linea_de_maquina,
                      maquina, mediana, ms, p95, recoger_workers, resultado)

TRABAJOS = cuantos(300, minimo=5)
# La tarea va por su nombre, "tareas_medidas.vacia", sin importarla aquí: los
# workers nacen de este proceso con fork() y, como los de `rq worker`, no
# deben traer el módulo de la tarea ya importado.


def medir_latencias(cola, trabajos):
    """Para cada trabajo: segundos hasta que empieza y hasta que llega su resultado."""
    al_empezar, al_resultado = [], []
    for _ in range(trabajos):
        antes = time.time()
        trabajo = cola.enqueue("tareas_medidas.vacia")
        hecho = resultado(trabajo)  # Espera bloqueado en Redis, sin preguntar una y otra vez.
        despues = time.time()
        al_empezar.append(hecho.return_value - antes)  # vacia() devuelve su hora de inicio.
        al_resultado.append(despues - antes)
    return al_empezar, al_resultado


def ordenes_de_redis(conexion):
    """Cuántas órdenes lleva atendidas Redis (todas, de todos los clientes)."""
    return sum(v["calls"] for k, v in conexion.info("commandstats").items())


def medir_clase(conexion, clase):
    cola = cola_nueva(f"latencia-{clase}", conexion)
    with Workers(clase, 1, cola):
        medir_latencias(cola, 1)  # Calentar: el primer trabajo de cada worker no cuenta.
        antes = ordenes_de_redis(conexion)
        al_empezar, al_resultado = medir_latencias(cola, TRABAJOS)
        ordenes = (ordenes_de_redis(conexion) - antes) / TRABAJOS
    return {"al_empezar": al_empezar, "al_resultado": al_resultado, "ordenes": ordenes}


def medir_piezas(conexion):
    """Las piezas del coste de un trabajo, cada una medida aparte (medianas, en segundos)."""
    def cronometrar(funcion, veces):
        tiempos = []
        for _ in range(veces):
            inicio = time.perf_counter()
            funcion()
            tiempos.append(time.perf_counter() - inicio)
        return statistics.median(tiempos)

    def fork_y_esperar():
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        os.waitpid(pid, 0)

    def importar_la_tarea():
        # Lo que hace cada proceso hijo de Worker: con rq ya importado, importar el módulo de la tarea.
        codigo = "import rq, time; t = time.perf_counter(); import tareas_medidas; print(time.perf_counter() - t)"
        salida = subprocess.run([sys.executable, "-c", codigo], check=True, capture_output=True, text=True)
        return float(salida.stdout)

    veces = cuantos(20, minimo=1)
    return {
        "ida_y_vuelta": cronometrar(conexion.ping, cuantos(1000, minimo=20)),
        "fork": cronometrar(fork_y_esperar, cuantos(200, minimo=5)),
        "importar_tarea": statistics.median(importar_la_tarea() for _ in range(veces)),
        "python_y_rq": cronometrar(
            lambda: subprocess.run([sys.executable, "-c", "import rq"], check=True), veces),
    }


def main():
    conexion = conectar()
    datos = {"maquina": maquina(conexion), "trabajos": TRABAJOS, "clases": {}}
    for clase in CLASES:
        datos["clases"][clase] = medir_clase(conexion, clase)
    recoger_workers()
    datos["piezas"] = medir_piezas(conexion)
    imprimir(datos)
    guardar("latencia", datos)


def imprimir(datos):
    print(linea_de_maquina(datos))
    print(f"{datos['trabajos']} trabajos vacíos, de uno en uno, con un worker de cada clase.")
    print(f"{'clase':<13} {'hasta que empieza':>21} {'hasta el resultado':>21} {'órdenes':>8}")
    print(f"{'':<13} {'mediana':>10} {'p95':>10} {'mediana':>10} {'p95':>10} {'de Redis':>8}")
    for clase, medida in datos["clases"].items():
        empezar, resultado = medida["al_empezar"], medida["al_resultado"]
        print(f"{clase:<13} {ms(mediana(empezar)):>10} {ms(p95(empezar)):>10} "
              f"{ms(mediana(resultado)):>10} {ms(p95(resultado)):>10} {medida['ordenes']:>8.0f}")
    piezas = datos["piezas"]
    print("Dónde se va el tiempo (medianas):")
    print(f"  una ida y vuelta a Redis (PING)       {ms(piezas['ida_y_vuelta'], 2):>10}")
    print(f"  fork() de un proceso hijo y esperarlo {ms(piezas['fork']):>10}")
    print(f"  importar el módulo de la tarea        {ms(piezas['importar_tarea']):>10}")
    print(f"  arrancar Python e importar rq         {ms(piezas['python_y_rq']):>10}")


if __name__ == "__main__":
    main()
