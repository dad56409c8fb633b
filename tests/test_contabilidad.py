"""Contabilidad del libro: cada listado existe, cada ejemplo se enseña y se prueba."""

import re
from pathlib import Path

import pytest

from tests.arnes.excepciones import SIN_INCLUIR, SIN_PROBAR

RAIZ = Path(__file__).resolve().parent.parent
DOCS = RAIZ / "docs"
EJEMPLOS = RAIZ / "examples"
PRUEBAS = RAIZ / "tests"
SALIDAS = DOCS / "salidas"

INCLUSION = re.compile(r"^(?P<sangria>\s*)\.\. literalinclude::\s*(?P<ruta>\S+)", re.M)
OPCION = re.compile(r"^\s+:(?P<nombre>[\w-]+):")
IMPORTACION = re.compile(r"^\s*(?:>>> )?(?:from|import)\s+([\w.]+)", re.M)


def capitulos():
    return sorted(DOCS.rglob("*.rst"))


def inclusiones():
    """(capítulo, ruta resuelta, opciones) de cada literalinclude de docs/."""
    for capitulo in capitulos():
        lineas = capitulo.read_text(encoding="utf-8").splitlines()
        for numero, linea in enumerate(lineas):
            encontrado = INCLUSION.match(linea)
            if not encontrado:
                continue
            ruta = encontrado["ruta"]
            base = DOCS if ruta.startswith("/") else capitulo.parent
            opciones = []
            for siguiente in lineas[numero + 1:]:
                opcion = OPCION.match(siguiente)
                if not opcion:
                    break
                opciones.append(opcion["nombre"])
            yield capitulo, (base / ruta.lstrip("/")).resolve(), opciones


def ficheros_de_ejemplo():
    return sorted(
        p for p in EJEMPLOS.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    )


def nombre(ruta):
    return ruta.relative_to(EJEMPLOS).as_posix()


def test_cada_literalinclude_apunta_a_un_fichero_que_existe():
    rotas = [f"{c.name}: {r}" for c, r, _ in inclusiones() if not r.is_file()]
    assert not rotas, "literalinclude a ficheros que no existen:\n" + "\n".join(rotas)


def test_ningun_literalinclude_usa_numeros_de_linea():
    # Los números de línea se desplazan en cuanto alguien edita el ejemplo.
    malas = [f"{c.name}: {r.name}" for c, r, o in inclusiones() if "lines" in o]
    assert not malas, "usa :pyobject: o marcadores (:start-after:/:end-before:):\n" + "\n".join(malas)


def test_cada_ejemplo_se_incluye_en_algun_capitulo():
    incluidos = {r for _, r, _ in inclusiones()}
    sueltos = [
        nombre(p) for p in ficheros_de_ejemplo()
        if p.resolve() not in incluidos and nombre(p) not in SIN_INCLUIR
    ]
    assert not sueltos, "ejemplos que ningún capítulo enseña:\n" + "\n".join(sueltos)


def test_cada_salida_guardada_se_ensena_en_algun_capitulo():
    incluidos = {r for _, r, _ in inclusiones()}
    sueltas = [
        p.relative_to(DOCS).as_posix() for p in sorted(SALIDAS.rglob("*.txt"))
        if p.resolve() not in incluidos
    ]
    assert not sueltas, "salidas que ningún capítulo enseña:\n" + "\n".join(sueltas)


def _modulos_importados(texto):
    return {m.split(".")[0] for m in IMPORTACION.findall(texto)}


def ejemplos_probados():
    """Ejemplos que alguna prueba ejecuta.

    Cuenta como ejecutado un ejemplo que una prueba nombra (su ruta o su
    nombre de fichero), un módulo que importa una sesión >>> de docs/, y
    cualquier módulo que importe un ejemplo ya ejecutado.
    """
    textos_pruebas = "\n".join(p.read_text(encoding="utf-8") for p in PRUEBAS.rglob("*.py"))
    sesiones = "\n".join(
        linea for c in capitulos() for linea in c.read_text(encoding="utf-8").splitlines()
        if linea.lstrip().startswith((">>> ", "import ", "from "))
    )
    importados_en_docs = _modulos_importados(sesiones)
    ejemplos = ficheros_de_ejemplo()
    probados = {
        p for p in ejemplos
        if nombre(p) in textos_pruebas or p.name in textos_pruebas
        or (p.suffix == ".py" and p.stem in importados_en_docs)
    }
    # Cierre transitivo: lo que importa un ejemplo ejecutado también se ejecuta.
    cambiado = True
    while cambiado:
        cambiado = False
        for p in list(probados):
            if p.suffix != ".py":
                continue
            for modulo in _modulos_importados(p.read_text(encoding="utf-8")):
                for q in ejemplos:
                    if q.suffix == ".py" and q.stem == modulo and q.parent == p.parent and q not in probados:
                        probados.add(q)
                        cambiado = True
    return probados


def test_cada_ejemplo_lo_ejecuta_alguna_prueba():
    probados = ejemplos_probados()
    sin_probar = [
        nombre(p) for p in ficheros_de_ejemplo()
        if p not in probados and nombre(p) not in SIN_PROBAR
    ]
    assert not sin_probar, "ejemplos que ninguna prueba ejecuta:\n" + "\n".join(sin_probar)


@pytest.mark.parametrize("lista", [SIN_INCLUIR, SIN_PROBAR], ids=["SIN_INCLUIR", "SIN_PROBAR"])
def test_cada_excepcion_tiene_razon_y_sigue_haciendo_falta(lista):
    for ruta, razon in lista.items():
        assert razon.strip(), f"{ruta}: la excepción necesita una razón"
        assert (EJEMPLOS / ruta).exists(), f"{ruta}: la excepción apunta a un fichero que ya no existe"
