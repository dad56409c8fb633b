"""¿Qué hace django-rq con PASSWORD y REDIS_CLIENT_KWARGS según la forma de la cola?

Uso, desde la carpeta django: python contrasena_junto_a_url.py

No se conecta a Redis: django-rq crea el cliente de redis-py sin conectar, y
basta mirar con qué contraseña y qué opciones lo ha creado.
"""

import sys

from django.conf import settings

CONTRASENA = "s3creto"
FORMAS = {
    "URL": {"URL": "redis://localhost:6379/0"},
    "HOST/PORT/DB": {"HOST": "localhost", "PORT": 6379, "DB": 0},
}


def main():
    # django-rq lee los ajustes de Django al importarse; aquí no necesita ninguno.
    settings.configure()
    from django_rq.connection_utils import get_redis_connection

    for forma, cola in FORMAS.items():
        cola = {**cola, "PASSWORD": CONTRASENA, "REDIS_CLIENT_KWARGS": {"client_name": "guia"}}
        opciones = get_redis_connection(cola).get_connection_kwargs()
        print(f"{forma:>12}: password={opciones.get('password')!r}, client_name={opciones.get('client_name')!r}")


if __name__ == "__main__":
    if sys.argv[1:]:
        print("Uso: python contrasena_junto_a_url.py  (sin argumentos)", file=sys.stderr)
        sys.exit(2)
    main()
