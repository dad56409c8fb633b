"""Una tarea sencilla para ver dónde busca el worker tu código."""


def avisar(usuario):
    """Simula el envío de un aviso y devuelve lo que ha hecho."""
    return f"Aviso enviado a {usuario}"
