"""Un lote de trabajos con nombre: se encolan todos de una vez y se siguen juntos.

Uso: python lote.py NOMBRE SEGUNDOS...   encola un trabajo por duración en el grupo NOMBRE
     python lote.py NOMBRE               dice cómo va cada trabajo del grupo NOMBRE

Los trabajos llevan el azar de la tarea del libro: alguno puede fallar.
"""

import sys
from collections import Counter

from rq import Queue
from rq.exceptions import NoSuchGroupError
from rq.group import Group

from conexion import conectar
from tareas import tarea_pesada_y_falible

USO = "Uso: python lote.py NOMBRE [SEGUNDOS...]"


def encolar_lote(cola, nombre, duraciones):
    """Encola el lote con enqueue_many, en un solo pipeline, dentro del grupo `nombre`."""
    datos = [
        Queue.prepare_data(tarea_pesada_y_falible, args=(segundos,), description=f"{nombre}: {segundos} s")
        for segundos in duraciones
    ]
    grupo = Group.create(connection=cola.connection, name=nombre)
    return grupo.enqueue_many(cola, datos)


def como_va(conexion, nombre):
    """Cuántos trabajos del grupo hay en cada estado."""
    grupo = Group.fetch(nombre, connection=conexion)
    return Counter(trabajo.get_status().value for trabajo in grupo.get_jobs())


def main(argumentos):
    if not argumentos or argumentos[0].startswith("-"):
        print(USO, file=sys.stderr)
        return 2
    nombre, *resto = argumentos
    try:
        duraciones = [int(s) for s in resto]
    except ValueError:
        print(USO, file=sys.stderr)
        return 2
    conexion = conectar()
    if duraciones:
        trabajos = encolar_lote(Queue(connection=conexion), nombre, duraciones)
        print(f"Grupo {nombre}: {len(trabajos)} trabajos encolados")
        return 0
    try:
        estados = como_va(conexion, nombre)
    except NoSuchGroupError:
        sys.exit(f"Error: no existe el grupo {nombre} (o ya caducaron todos sus trabajos).")
    print(f"Grupo {nombre}: " + ", ".join(f"{n} {estado}" for estado, n in sorted(estados.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
