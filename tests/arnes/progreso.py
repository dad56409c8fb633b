"""`make progress`: cuánto está traducido cada catálogo, como en python-docs-es.

Una línea por capítulo: mensajes traducidos, total, porcentaje y dudosos
(fuzzy), que no cuentan como traducidos. Un capítulo sin catálogo sale con
un aviso: le falta `make po`. Lo cuenta polib, no un analizador propio.
"""

from pathlib import Path

import polib

RAIZ = Path(__file__).resolve().parents[2]
DOCS = RAIZ / "docs"
CATALOGOS = RAIZ / "locale" / "en" / "LC_MESSAGES"
PLANTILLAS = ("_templates", "_static")


def capitulos():
    """Nombre de cada capítulo de docs/, como el de su catálogo (gettext_compact = False)."""
    return {
        p.relative_to(DOCS).with_suffix("").as_posix()
        for p in DOCS.rglob("*.rst")
        if not set(p.relative_to(DOCS).parts) & set(PLANTILLAS)
    }


def main():
    catalogos = {p.relative_to(CATALOGOS).with_suffix("").as_posix(): p for p in CATALOGOS.rglob("*.po")}
    total_traducidas = total_mensajes = total_dudosas = 0
    print(f"{'catálogo':<32} {'traducidas':>10} {'total':>6} {'%':>6} {'dudosas':>8}")
    for nombre in sorted(capitulos() | catalogos.keys()):
        if nombre not in catalogos:
            print(f"{nombre + '.po':<32} {'-':>10} {'-':>6} {'-':>6} {'-':>8}   sin catálogo: make po")
            continue
        catalogo = polib.pofile(str(catalogos[nombre]))
        mensajes = [e for e in catalogo if not e.obsolete]
        traducidas = len(catalogo.translated_entries())
        dudosas = len(catalogo.fuzzy_entries())
        total_traducidas += traducidas
        total_mensajes += len(mensajes)
        total_dudosas += dudosas
        print(f"{nombre + '.po':<32} {traducidas:>10} {len(mensajes):>6} "
              f"{catalogo.percent_translated():>5}% {dudosas:>8}")
    porcentaje = 100 * total_traducidas // total_mensajes if total_mensajes else 100
    print(f"{'total':<32} {total_traducidas:>10} {total_mensajes:>6} {porcentaje:>5}% {total_dudosas:>8}")


if __name__ == "__main__":
    main()
