"""Funciones que se pueden encolar... y que el worker no puede encontrar."""

# Una lambda no tiene nombre propio: se llama "<lambda>".
doble = lambda n: 2 * n  # noqa: E731


def sumador(cantidad):
    """Devuelve una función anidada, que solo existe dentro de esta llamada."""
    def sumar(n):
        return n + cantidad
    return sumar


# Lo que sí encuentra: funciones de primer nivel, con todo lo que necesitan
# como argumentos.
def duplicar(n):
    return 2 * n


def sumar(n, cantidad):
    return n + cantidad
