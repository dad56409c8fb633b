"""Una tarea corta para la primera regla de encolar: vivir en un módulo importable."""


def contar_vocales(texto):
    """Devuelve cuántas vocales (con o sin tilde) tiene `texto`."""
    return sum(1 for letra in texto.lower() if letra in "aeiouáéíóúü")
