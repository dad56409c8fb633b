"""result_ttl y failure_ttl: cuánto guarda Redis un trabajo que ha terminado, bien o mal."""

import math

from rq.results import Result

from tareas import tarea_pesada_y_falible


def encolar_terminados(cola):
    return {
        # Terminan bien: cuenta result_ttl.
        "bien": cola.enqueue(tarea_pesada_y_falible, 1, fallar=False),  # 500 segundos
        "bien_sin_guardar": cola.enqueue(tarea_pesada_y_falible, 2, fallar=False, result_ttl=0),
        "bien_para_siempre": cola.enqueue(tarea_pesada_y_falible, 3, fallar=False, result_ttl=-1),
        # Fallan: cuenta failure_ttl.
        "mal": cola.enqueue(tarea_pesada_y_falible, 4, fallar=True),  # un año
        "mal_un_dia": cola.enqueue(tarea_pesada_y_falible, 5, fallar=True, failure_ttl="1d"),
    }


def caducidades(conexion, trabajo):
    """Cuánto les queda en Redis al trabajo (rq:job:<id>) y a sus resultados (rq:results:<id>)."""
    return tuple(_caducidad(conexion.ttl(clave)) for clave in (trabajo.key, Result.get_key(trabajo.id)))


def _caducidad(segundos):
    if segundos == -2:
        return "no existe"
    if segundos == -1:
        return "no caduca"
    # Redondeado hacia arriba, a la centena: la cuenta atrás sigue mientras miramos.
    return f"≤ {math.ceil(segundos / 100) * 100} s"
