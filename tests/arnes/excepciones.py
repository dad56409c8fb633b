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

# Escenarios de tests/escenarios/*.py que test_transcripciones.py no compara
# porque otra prueba los compara con condiciones propias.
COMPARADOS_APARTE = {
    "workers/tabla": "test_workers.py lo ejecuta con la tarea menos acelerada, "
    "para que la aceleración medida signifique algo, y lo compara allí.",
}

# Textos que la traducción inglesa deja igual que el original, a propósito.
# tests/test_catalogos.py exige que ningún párrafo, título o término de la
# construcción inglesa siga igual que en español; estos son los que pueden.
# La clave es el texto tal como se ve en la página (sin marcas de reST), sin
# distinguir mayúsculas. Las salidas y los listados no entran aquí: no son
# mensajes de los catálogos y nunca se traducen.
IGUAL_EN_INGLES = {
    "RQ": "nombre propio de la biblioteca",
    "Celery": "nombre propio (tabla de alternativas de que-es-rq)",
    "RabbitMQ": "nombre propio (tabla de alternativas de que-es-rq)",
    "Kafka": "nombre propio (tabla de alternativas de que-es-rq)",
    "Amazon SQS": "nombre propio (tabla de alternativas de que-es-rq)",
    "MQTT": "nombre propio de un protocolo (tabla de alternativas de que-es-rq)",
    "worker": "término de RQ que el libro toma del inglés: en inglés es la misma palabra",
    "callback": "término que el libro toma del inglés: en inglés es la misma palabra",
    "TTL": "sigla inglesa (time to live) que el libro usa igual en los dos idiomas",
    "No": "la misma palabra en los dos idiomas (celda de la tabla de borrados de encolar)",
    "RQ 1.5": "nombre y versión, columna 'desde' de la tabla de opciones nuevas",
    "RQ 2.3": "nombre y versión, columna 'desde' de la tabla de opciones nuevas",
    "RQ 2.8": "nombre y versión, columna 'desde' de la tabla de opciones nuevas",
    "RQ 2.10": "nombre y versión, columna 'desde' de la tabla de opciones nuevas",
    "RQ 3.0": "nombre y versión, columna 'desde' de la tabla de opciones nuevas",
    "Docker": "nombre propio (tabla de gestores de procesos de fallos)",
    "Kubernetes": "nombre propio (tabla de gestores de procesos de fallos)",
    "supervisor": "nombre propio de un programa (tabla de gestores de procesos de fallos)",
    "systemd": "nombre propio de un programa (tabla de gestores de procesos de fallos)",
}
