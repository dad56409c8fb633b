"""Las órdenes de Redis que se han usado desde el último CONFIG RESETSTAT.

Uso: python comandos_usados.py

Las saca de INFO commandstats y las escribe como reglas de ACL
(+orden, +orden|subórden), listas para copiarlas a un usuario.
"""

import textwrap

from conexion import conectar

# La que usamos nosotros para poner los contadores a cero, no RQ.
NUESTRAS = {"config|resetstat"}


def main():
    estadisticas = conectar().info("commandstats")
    ordenes = sorted(
        clave.removeprefix("cmdstat_") for clave in estadisticas
    )
    usadas = [orden for orden in ordenes if orden not in NUESTRAS]
    print(f"{len(usadas)} órdenes:")
    print(textwrap.fill(" ".join(f"+{orden}" for orden in usadas), width=72))


if __name__ == "__main__":
    main()
