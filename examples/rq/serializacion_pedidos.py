"""Tareas de pedidos para el capítulo de serializadores: unas viajan bien en
JSON y otras solo en pickle.

La tarea del libro solo recibe y devuelve números, que llegan igual con
cualquier serializador; estas usan fechas, tuplas y diccionarios, que es
donde pickle y JSON se separan."""

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass
class Linea:
    producto: str
    precio: float
    unidades: int


def resumir_pedido(pedido):
    """Recibe un pedido hecho de diccionarios, listas, textos y números."""
    total = sum(linea["precio"] * linea["unidades"] for linea in pedido["lineas"])
    return {"cliente": pedido["cliente"], "lineas": len(pedido["lineas"]), "total": round(total, 2)}


def fecha_de_entrega(pedido_el, dias):
    """Suma `dias` a la fecha del pedido (un date o un texto AAAA-MM-DD); devuelve un date."""
    if isinstance(pedido_el, str):
        pedido_el = date.fromisoformat(pedido_el)
    return pedido_el + timedelta(days=dias)


def fecha_de_entrega_iso(pedido_el, dias):
    """Igual, pero devuelve el texto AAAA-MM-DD, que JSON sí sabe guardar."""
    return fecha_de_entrega(pedido_el, dias).isoformat()


def tal_cual(dato):
    """Devuelve lo que recibe: así vemos qué le ha llegado al worker."""
    return dato
