"""Las excepciones deliberadas a las reglas del libro, cada una con su razón.

Si una prueba de contabilidad falla, lo correcto casi siempre es arreglar el
capítulo o la prueba. Solo cuando la regla no tiene sentido para un caso
concreto, se añade aquí, con una razón que un revisor pueda juzgar.
"""

# Ficheros de examples/ que ningún capítulo incluye con literalinclude.
SIN_INCLUIR = {
    "django/proyecto/__init__.py": "vacío: solo marca la carpeta como paquete de Python",
    "django/demo/__init__.py": "vacío: solo marca la carpeta como paquete de Python",
}

# Ficheros de examples/ que ninguna prueba ejecuta.
SIN_PROBAR = {
    "django/proyecto/__init__.py": "vacío; Django lo importa en cada orden de tests/test_django.py",
    "django/demo/__init__.py": "vacío; Django lo importa en cada orden de tests/test_django.py",
}
