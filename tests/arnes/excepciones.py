"""Las excepciones deliberadas a las reglas del libro, cada una con su razón.

Si una prueba de contabilidad falla, lo correcto casi siempre es arreglar el
capítulo o la prueba. Solo cuando la regla no tiene sentido para un caso
concreto, se añade aquí, con una razón que un revisor pueda juzgar.
"""

# Ficheros de examples/ que ningún capítulo incluye con literalinclude.
SIN_INCLUIR = {
    "django/proyecto/__init__.py": "vacío: solo marca la carpeta como paquete de Python",
    "django/demo/__init__.py": "vacío: solo marca la carpeta como paquete de Python",
    "plataformas/tienda/__init__.py": "vacío: solo marca la carpeta como paquete de Python",
}

# Ficheros de examples/ que ninguna prueba ejecuta.
SIN_PROBAR = {
    "django/proyecto/__init__.py": "vacío; Django lo importa en cada orden de tests/test_django.py",
    "django/demo/__init__.py": "vacío; Django lo importa en cada orden de tests/test_django.py",
    "plataformas/tienda/__init__.py": "vacío; lo importa `python -m tienda.encolar_pedido` en docs/plataformas.rst",
}

# Ficheros que usan la API antigua de RQ (Connection, use_connection,
# job.result, job.exc_info) a propósito; en los demás, ni en examples/ ni en
# las salidas guardadas (los capítulos la explican en notas, sin usarla).
# Rutas relativas a la raíz del proyecto.
API_ANTIGUA = {
    "examples/migracion/antiguo.py": "el código de un tutorial de RQ 1.x que el apéndice de migración "
                                     "ejecuta con RQ 1.11.1 y con 3.0 para enseñar qué se rompe",
    "docs/salidas/migracion/antiguo-en-3.txt": "la salida de ese programa con RQ 3.0: los avisos de "
                                               "obsolescencia que da son lo que enseña",
}

# Capítulos que no empiezan vaciando el Redis del lector (la salida
# <capítulo>/vaciar que pide tests/test_contabilidad.py).
SIN_VACIAR = {
    "pruebas": "sus pruebas arrancan su propio Redis (web/tests/conftest.py); el del lector ni se toca",
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
    "Dramatiq": "nombre propio (tabla de la comparativa)",
    "Huey": "nombre propio (tabla de la comparativa)",
    "Docker": "nombre propio (tabla de gestores de procesos de produccion)",
    "Kubernetes": "nombre propio (tabla de gestores de procesos de produccion)",
    "supervisor": "nombre propio de un programa (tabla de gestores de procesos de produccion)",
    "systemd": "nombre propio de un programa (tabla de gestores de procesos de produccion)",
    "Docker": "nombre propio (tabla de gestores de procesos de fallos)",
    "Kubernetes": "nombre propio (tabla de gestores de procesos de fallos)",
    "supervisor": "nombre propio de un programa (tabla de gestores de procesos de fallos)",
    "systemd": "nombre propio de un programa (tabla de gestores de procesos de fallos)",
    "TLS": "sigla inglesa (Transport Layer Security), título de una sección de redis",
    "Python 3.5, redis-py 3.5": "nombres y versiones (tabla de cambios del apéndice de migración)",
    "Python 3.10, redis-py 5.0.1": "nombres y versiones (tabla de cambios del apéndice de migración)",
    "Redis 3.0": "nombre y versión (tabla de cambios del apéndice de migración)",
    "Windows": "nombre propio de un sistema operativo (título de sección de plataformas)",
}
