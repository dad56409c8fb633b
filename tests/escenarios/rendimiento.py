"""Salidas del capítulo "Rendimiento y escala, medidos" (docs/rendimiento.rst).

Todo se ejecuta desde examples/rendimiento, con PYTHONPATH=../rq como pide
el capítulo. Cada programa de medida deja sus datos y sus gráficos en
examples/rendimiento/resultados/: con `make transcripts` (o `make medidas`)
pasan a docs/salidas/<capítulo>/, junto a su salida, y son los que enseña
el libro; bajo prueba se comprueban y se borran.

Bajo prueba, TAREAS_ESCALA=0.01 hace cada medida más corta por el mismo
camino (menos trabajos), y solo se comprueba lo robusto: ninguna cifra
absoluta. Ningún trabajo se pierde: el vigía pide cuentas de cada uno.
"""

import json
import shutil

from tests.arnes import procesos
from tests.arnes.transcripciones import SALIDAS, escenario, modo, tiempo_real
from tests.arnes.vigia import vigilar_trabajos

CARPETA = "rendimiento"
ENTORNO = {"PYTHONPATH": "../rq"}
RESULTADOS = procesos.EJEMPLOS / CARPETA / "resultados"


def mediana(valores):
    valores = sorted(valores)
    return valores[len(valores) // 2]


def medir(s, nombre, capitulo="rendimiento", timeout=1800, **entorno):
    """`python <nombre>.py` como lo teclea el lector; devuelve los datos que ha guardado.

    A velocidad real (make transcripts) la medida es larga: los trabajos
    terminados de las primeras caducan (result_ttl, 500 s) antes del final y
    el vigía los daría por perdidos; ahí basta con que el programa haya
    esperado a cada uno. Bajo prueba, el vigía cuenta todos.
    """
    if tiempo_real():
        s.ejecutar(f"python {nombre}.py", timeout=timeout, **entorno)
    else:
        with vigilar_trabajos(procesos.entorno()["REDIS_URL"]):
            s.ejecutar(f"python {nombre}.py", timeout=timeout, **entorno)
    datos = json.loads((RESULTADOS / f"{nombre}.json").read_text(encoding="utf-8"))
    guardar_o_borrar(nombre, capitulo)
    return datos


def guardar_o_borrar(nombre, capitulo):
    """Los datos y los gráficos van junto a la salida del libro, o se borran si solo era una prueba."""
    destino = SALIDAS / capitulo
    for fichero in (f"{nombre}.json", f"{nombre}.svg", f"{nombre}.en.svg"):
        origen = RESULTADOS / fichero
        if modo() == "reescribir":
            destino.mkdir(parents=True, exist_ok=True)
            shutil.move(origen, destino / fichero)
        else:
            origen.unlink()
    if RESULTADOS.is_dir() and not any(RESULTADOS.iterdir()):
        RESULTADOS.rmdir()


@escenario("rendimiento/vaciar")
def vaciar(s):
    s.ejecutar("python ../rq/vaciar_redis.py")


@escenario("rendimiento/latencia")
def latencia(s):
    datos = medir(s, "latencia")
    clases = datos["clases"]
    # Lo robusto: SimpleWorker, sin proceso hijo, es más rápido que Worker, y
    # SpawnWorker, que arranca un Python para cada trabajo, el más lento.
    simple, fork, spawn = (mediana(clases[c]["al_empezar"]) for c in ("SimpleWorker", "Worker", "SpawnWorker"))
    assert simple < fork < spawn, clases


@escenario("rendimiento/trabajos-por-segundo")
def trabajos_por_segundo(s):
    # Bajo prueba mide con 1 y 4 workers, no con 1, 2, 4 y 8 (la mitad de
    # tiempo); el normalizador compara esas filas sin contar columnas.
    datos = medir(s, "trabajos_por_segundo")
    simple, fork = datos["clases"]["SimpleWorker"], datos["clases"]["Worker"]
    # Con la tarea vacía, SimpleWorker (sin proceso hijo) hace más que Worker.
    assert simple["1"]["vacia"] > fork["1"]["vacia"], datos["clases"]
    # Con una tarea que espera, más workers hacen más trabajos por segundo.
    assert simple["4"]["espera_50ms"] > 1.5 * simple["1"]["espera_50ms"], simple


@escenario("rendimiento/encolar")
def encolar(s):
    datos = medir(s, "encolar_deprisa")
    assert datos["por_segundo"]["many"] > datos["por_segundo"]["bucle"], datos["por_segundo"]


@escenario("rendimiento/importaciones")
def importaciones(s):
    # Bajo prueba, la importación lenta dura 0.3 s: a 0.01, el ruido de una
    # máquina cargada taparía la diferencia.
    escala = {} if tiempo_real() else {"TAREAS_ESCALA": "0.3"}
    datos = medir(s, "importaciones", **escala)
    rq_worker, precargado = (mediana(f["por_trabajo"]) for f in datos["formas"].values())
    assert precargado < rq_worker, datos["formas"]


@escenario("rendimiento/memoria")
def memoria(s):
    formas = medir(s, "memoria")["formas"]
    # El proceso hijo de Worker empieza limpio cada vez; SimpleWorker acumula.
    fork, simple, con_max_jobs = (formas[f]["tarea"] for f in ("Worker", "SimpleWorker", "SimpleWorker + max-jobs"))
    assert simple[-1] - simple[0] >= 0.8 * (len(simple) - 1), simple
    assert fork[-1] - fork[0] < 0.8 * (len(fork) - 1), fork
    # Con --max-jobs, el gestor arranca workers nuevos y la memoria vuelve a empezar.
    assert formas["SimpleWorker + max-jobs"]["reinicios"] >= 1
    assert max(con_max_jobs) < simple[-1], con_max_jobs


@escenario("rendimiento/varias-maquinas")
def varias_maquinas(s):
    retrasos = medir(s, "varias_maquinas")["retrasos"]
    # Todos los trabajos se hacen, en una máquina o en la otra.
    assert all(r["maquina-a"] + r["maquina-b"] == medir_total(retrasos) for r in retrasos.values())
    # Con 20 ms más por ida y vuelta, la máquina lejana hace menos que la cercana.
    assert retrasos["20"]["maquina-b"] < retrasos["20"]["maquina-a"], retrasos


def medir_total(retrasos):
    primero = next(iter(retrasos.values()))
    return primero["maquina-a"] + primero["maquina-b"]
