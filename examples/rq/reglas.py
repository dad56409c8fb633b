"""Tareas para las otras dos reglas de encolar: argumentos que se puedan
serializar y nada de estado global ni conexiones abiertas."""

from redis import Redis

# Estado global: el programa que encola puede cambiarlo, pero el worker es
# otro proceso con su propia copia del módulo.
IDIOMA = "en"


def saludar(nombre):
    """Mal: depende de IDIOMA, una variable global."""
    saludo = "Hola" if IDIOMA == "es" else "Hello"
    return f"{saludo}, {nombre}"


def saludar_en(idioma, nombre):
    """Bien: todo lo que necesita le llega como argumento."""
    saludo = "Hola" if idioma == "es" else "Hello"
    return f"{saludo}, {nombre}"


def contar_lineas(ruta):
    """Recibe la ruta, no el fichero abierto: lo abre el propio trabajo."""
    with open(ruta, encoding="utf-8") as fichero:
        return sum(1 for _ in fichero)


def apuntar_visita(url_redis, pagina):
    """Recibe la URL de Redis, no una conexión: conecta el propio trabajo."""
    conexion = Redis.from_url(url_redis)
    try:
        return conexion.incr(f"guia:visitas:{pagina}")
    finally:
        conexion.close()
