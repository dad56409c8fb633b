#!/usr/bin/env python
"""La puerta de entrada de Django para el proyecto de ejemplo.

Es el manage.py de siempre con un añadido: un error de configuración se
explica en una línea, sin traza, y las órdenes de django-rq (las que
empiezan por "rq") pasan por proyecto/ordenes_rq.py.
"""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proyecto.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        if len(sys.argv) > 1 and sys.argv[1].startswith("rq"):
            from proyecto.ordenes_rq import ejecutar_orden_rq

            ejecutar_orden_rq(sys.argv)
        else:
            execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        sys.exit(f"Error de configuración: {error}")


if __name__ == "__main__":
    main()
