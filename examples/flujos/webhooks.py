"""Dos trabajos con webhooks (RQ 2.10): uno termina bien y otro falla, y el receptor se entera.

Uso: python webhooks.py   (avisa a http://127.0.0.1:8060, o al puerto de PUERTO_RECEPTOR)
"""

import os

from rq import Queue, Webhook

from conexion import conectar
from tareas import tarea_pesada_y_falible

URL = f"http://127.0.0.1:{os.environ.get('PUERTO_RECEPTOR', '8060')}"


def encolar_con_webhooks(cola):
    avisos = [
        Webhook(f"{URL}/terminado", "finished", method="POST"),
        Webhook(f"{URL}/fallido", "failed", method="POST"),
    ]
    return {
        "bien": cola.enqueue(tarea_pesada_y_falible, 2, fallar=False, webhooks=avisos),
        "mal": cola.enqueue(tarea_pesada_y_falible, 3, fallar=True, webhooks=avisos),
    }


def main():
    for nombre, trabajo in encolar_con_webhooks(Queue(connection=conectar())).items():
        print(f"{nombre}: {trabajo.id}")


if __name__ == "__main__":
    main()
