"""Diez llamadas seguidas a la tarea, sin colas: esperamos a cada una."""

import time

from tareas import duraciones_al_azar, tarea_pesada_y_falible


def main():
    inicio = time.perf_counter()
    for segundos in duraciones_al_azar(10):
        try:
            tarea_pesada_y_falible(segundos)
        except ValueError:
            pass  # El fallo ya lo ha contado la propia tarea; seguimos.
    total = time.perf_counter() - inicio
    print(f"He tardado {total:.0f} segundos en total")


if __name__ == "__main__":
    main()
