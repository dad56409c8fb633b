"""`make progress`: cuánto está traducido cada catálogo, como en python-docs-es."""

from pathlib import Path

import polib

CATALOGOS = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES"


def main():
    total_traducidas = total_mensajes = 0
    print(f"{'catálogo':<32} {'traducidas':>10} {'total':>6} {'%':>6} {'dudosas':>8}")
    for ruta in sorted(CATALOGOS.glob("*.po")):
        catalogo = polib.pofile(str(ruta))
        mensajes = [e for e in catalogo if not e.obsolete]
        traducidas = len(catalogo.translated_entries())
        dudosas = len(catalogo.fuzzy_entries())
        total_traducidas += traducidas
        total_mensajes += len(mensajes)
        print(f"{ruta.name:<32} {traducidas:>10} {len(mensajes):>6} "
              f"{catalogo.percent_translated():>5}% {dudosas:>8}")
    porcentaje = 100 * total_traducidas // total_mensajes if total_mensajes else 100
    print(f"{'total':<32} {total_traducidas:>10} {total_mensajes:>6} {porcentaje:>5}%")


if __name__ == "__main__":
    main()
