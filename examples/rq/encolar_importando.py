"""Lo que sí funciona: la tarea vive en vocales.py y el script la importa."""

from rq import Queue

from conexion import conectar
from vocales import contar_vocales

if __name__ == "__main__":
    cola = Queue(connection=conectar())
    trabajo = cola.enqueue(contar_vocales, "murciélago")
    print(f"Encolado en '{cola.name}': {trabajo.description}")
