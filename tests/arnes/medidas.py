"""Dónde se va el tiempo de `make test`: un complemento de pytest para `make bench`.

Con ``-p tests.arnes.medidas`` y ``GUIA_RQ_MEDIDAS=<fichero.json>``, apunta de
cada prueba (preparación, llamada y recogida juntas):

* lo que tarda, en el reloj;
* la CPU que gastan pytest y los procesos que arranca y recoge (``getrusage``:
  workers, intérpretes, servidores), y con ello cuánto de ese tiempo fue esperar.
  No cuenta la CPU de otros programas de la máquina, así que la cifra vale
  aunque la máquina no esté tranquila; el reloj, en cambio, sí se resiente;
* cuántas tareas nacen en la máquina (el contador ``processes`` de
  ``/proc/stat``: procesos e hilos);
* qué órdenes lanza el arnés, por clase (``python``, ``rq worker``...).

Se usa con ``-n 0`` y con la máquina tranquila: así, lo que pasa en la
máquina mientras dura una prueba es de esa prueba. Las construcciones del
libro y el arranque de Chromium se apuntan aparte, porque las paga la
primera prueba que las pide.
"""

import json
import os
import resource
import time
from collections import Counter

import pytest

FICHERO = os.environ.get("GUIA_RQ_MEDIDAS")
# Lo que lanza el arnés, por la primera palabra de la orden (o las dos, para rq).
ORDENES = Counter()
# Trabajos caros que se hacen una vez y paga quien llega primero: {nombre: segundos}.
APARTE = {}


def _maquina():
    """(CPU en segundos de pytest y sus descendientes ya recogidos, tareas nacidas en la máquina)."""
    cpu = 0.0
    for quien in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        uso = resource.getrusage(quien)
        cpu += uso.ru_utime + uso.ru_stime
    nacidas = 0
    with open("/proc/stat") as stat:
        for linea in stat:
            if linea.startswith("processes "):
                nacidas = int(linea.split()[1])
    return cpu, nacidas


def clase_de_orden(orden):
    """La clase de una orden del arnés, para contar qué se arranca."""
    partes = orden.split() if isinstance(orden, str) else [os.path.basename(str(p)) for p in orden]
    while partes and "=" in partes[0] and not partes[0].startswith("-"):
        partes = partes[1:]  # VARIABLE=valor delante de la orden
    if not partes:
        return "?"
    primera = os.path.basename(partes[0])
    if primera.startswith("python"):
        return "python manage.py" if len(partes) > 1 and partes[1] == "manage.py" else "python"
    if primera == "rq" and len(partes) > 1:
        return f"rq {partes[1]}"
    return primera


def apuntar_orden(orden):
    if FICHERO:
        ORDENES[clase_de_orden(orden)] += 1


def apuntar_aparte(nombre, segundos):
    if FICHERO:
        APARTE[nombre] = APARTE.get(nombre, 0.0) + segundos


class Medidas:
    def __init__(self):
        self.pruebas = []

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        ORDENES.clear()
        cpu, nacidas = _maquina()
        inicio = time.perf_counter()
        yield
        reloj = time.perf_counter() - inicio
        cpu_despues, nacidas_despues = _maquina()
        self.pruebas.append({
            "prueba": item.nodeid,
            "reloj": round(reloj, 3),
            "cpu": round(cpu_despues - cpu, 3),
            "tareas": nacidas_despues - nacidas,
            "ordenes": dict(ORDENES),
        })

    def pytest_sessionfinish(self, session):
        with open(FICHERO, "w", encoding="utf-8") as salida:
            json.dump({"pruebas": self.pruebas, "aparte": APARTE}, salida, indent=1)


def pytest_configure(config):
    if FICHERO and not hasattr(config, "workerinput"):
        config.pluginmanager.register(Medidas(), "guia-rq-medidas")
