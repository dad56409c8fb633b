"""Las excepciones deliberadas a las reglas del libro, cada una con su razón.

Si una prueba de contabilidad falla, lo correcto casi siempre es arreglar el
capítulo o la prueba. Solo cuando la regla no tiene sentido para un caso
concreto, se añade aquí, con una razón que un revisor pueda juzgar.
"""

# Ficheros de examples/ que ningún capítulo incluye con literalinclude.
SIN_INCLUIR = {
}

# Ficheros de examples/ que ninguna prueba ejecuta.
SIN_PROBAR = {
}

# Escenarios de tests/escenarios_*.py que test_transcripciones.py no compara
# porque otra prueba los compara con condiciones propias.
COMPARADOS_APARTE = {
    "workers/tabla": "test_workers.py lo ejecuta con la tarea menos acelerada, "
    "para que la aceleración medida signifique algo, y lo compara allí.",
}
