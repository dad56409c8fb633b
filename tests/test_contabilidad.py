"""Contabilidad del libro: cada listado existe y dice de dónde sale, cada ejemplo
se enseña y se prueba, y cada capítulo se puede leer (y ejecutar) de arriba abajo."""

import re
from pathlib import Path

import pytest

import conf
from tests.arnes import transcripciones
from tests.arnes.excepciones import API_ANTIGUA, SIN_INCLUIR, SIN_PROBAR, SIN_VACIAR

RAIZ = Path(__file__).resolve().parent.parent
DOCS = RAIZ / "docs"
EJEMPLOS = RAIZ / "examples"
PRUEBAS = RAIZ / "tests"
SALIDAS = DOCS / "salidas"

INCLUSION = re.compile(r"^(?P<sangria>\s*)\.\. literalinclude::\s*(?P<ruta>\S+)", re.M)
OPCION = re.compile(r"^\s+:(?P<nombre>[\w-]+):(?P<valor>.*)$")
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
            valores = {}
            for siguiente in lineas[numero + 1:]:
                opcion = OPCION.match(siguiente)
                if not opcion:
                    break
                opciones.append(opcion["nombre"])
                valores[opcion["nombre"]] = opcion["valor"].strip()
            yield capitulo, (base / ruta.lstrip("/")).resolve(), opciones, valores


def ficheros_de_ejemplo():
    """Los mismos que lleva el zip de los ejemplos (conf.py)."""
    return conf.ficheros_del_zip()


def nombre(ruta):
    return ruta.relative_to(EJEMPLOS).as_posix()


def test_cada_literalinclude_apunta_a_un_fichero_que_existe():
    rotas = [f"{c.name}: {r}" for c, r, _, _ in inclusiones() if not r.is_file()]
    assert not rotas, "literalinclude a ficheros que no existen:\n" + "\n".join(rotas)


def test_ningun_literalinclude_usa_numeros_de_linea():
    # Los números de línea se desplazan en cuanto alguien edita el ejemplo.
    malas = [f"{c.name}: {r.name}" for c, r, o, _ in inclusiones() if "lines" in o]
    assert not malas, "usa :pyobject: o marcadores (:start-after:/:end-before:):\n" + "\n".join(malas)


def test_cada_ejemplo_se_incluye_en_algun_capitulo():
    incluidos = {r for _, r, _, _ in inclusiones()}
    sueltos = [
        nombre(p) for p in ficheros_de_ejemplo()
        if p.resolve() not in incluidos and nombre(p) not in SIN_INCLUIR
    ]
    assert not sueltos, "ejemplos que ningún capítulo enseña:\n" + "\n".join(sueltos)


def test_cada_salida_guardada_se_ensena_en_algun_capitulo():
    incluidos = {r for _, r, _, _ in inclusiones()}
    sueltas = [
        p.relative_to(DOCS).as_posix() for p in sorted(SALIDAS.rglob("*.txt"))
        if p.resolve() not in incluidos
    ]
    assert not sueltas, "salidas que ningún capítulo enseña:\n" + "\n".join(sueltas)


CARGADOS_POR_RQ = re.compile(r"""(?:-c|--config|--exception-handler|-w|--worker-class)["',\s]+(\w+)""")


def _modulos_importados(texto):
    return {m.split(".")[0] for m in IMPORTACION.findall(texto)}


def ejemplos_probados():
    """Ejemplos que alguna prueba ejecuta.

    Cuenta como ejecutado un ejemplo que una prueba nombra (su ruta o su
    nombre de fichero), un módulo que importa una sesión >>> de docs/ o que una prueba
    da a `rq worker` (-c, --exception-handler), y
    cualquier módulo que importe un ejemplo ya ejecutado.
    """
    textos_pruebas = "\n".join(p.read_text(encoding="utf-8") for p in PRUEBAS.rglob("*.py"))
    sesiones = "\n".join(
        linea for c in capitulos() for linea in c.read_text(encoding="utf-8").splitlines()
        if linea.lstrip().startswith((">>> ", "import ", "from "))
    )
    importados_en_docs = _modulos_importados(sesiones)
    # Los módulos que una prueba da a `rq worker` para que los importe él:
    # -c ajustes, --exception-handler modulo.funcion.
    importados_en_docs |= set(CARGADOS_POR_RQ.findall(textos_pruebas))
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


# La API que RQ quitó o dejó obsoleta: Connection y use_connection (quitadas en
# 2.0), job.result (obsoleto desde 1.12) y job.exc_info.
API_ANTIGUA_RE = re.compile(
    r"from rq import [^\n]*\bConnection\b|use_connection\(|\b(?:job|trabajo)\.result\b|\.exc_info\b"
)


def test_solo_las_excepciones_usan_la_api_antigua_de_rq():
    """Los ejemplos y sus salidas enseñan la forma actual; la antigua, solo donde se explica."""
    ficheros = [*ficheros_de_ejemplo(), *(p for p in SALIDAS.rglob("*") if p.is_file() and p.suffix == ".txt")]
    con_api_antigua = {
        p.relative_to(RAIZ).as_posix() for p in ficheros if API_ANTIGUA_RE.search(p.read_text(encoding="utf-8"))
    }
    assert con_api_antigua == set(API_ANTIGUA), (
        f"usan la API antigua sin estar en API_ANTIGUA: {sorted(con_api_antigua - set(API_ANTIGUA))}; "
        f"en API_ANTIGUA sin usarla: {sorted(set(API_ANTIGUA) - con_api_antigua)}"
    )
    assert all(razon.strip() for razon in API_ANTIGUA.values())


# --- Cada listado dice de qué fichero sale y deja bajarlo entero. ---

def test_cada_listado_de_un_ejemplo_nombra_su_fichero_en_el_titulo():
    sin_titulo = []
    for capitulo, ruta, _, valores in inclusiones():
        if EJEMPLOS not in ruta.parents:
            continue
        esperado = f":ejemplo:`{nombre(ruta)}`"
        if valores.get("caption") != esperado:
            sin_titulo.append(f"{capitulo.name}: {nombre(ruta)} (necesita :caption: {esperado})")
    assert not sin_titulo, "listados sin su fichero en el título:\n" + "\n".join(sin_titulo)


# --- Cada capítulo se ejecuta en el orden en que se lee (tests/arnes/transcripciones.py). ---

BLOQUE_EJECUTABLE = re.compile(
    r"^\s*(>>> |\.\. invisible-code-block: python|\.\. code-block:: python)", re.M
)
BLOQUE_INVISIBLE = re.compile(r"^\.\. invisible-code-block: python\n\n(?P<primera>[ \t]+\S[^\n]*)", re.M)


def _pasos(capitulo):
    """Lo que se ejecuta en un capítulo, en orden: ("salida", nombre) o ("código", línea)."""
    texto = capitulo.read_text(encoding="utf-8")
    pasos = []
    for m in transcripciones.INCLUSION_DE_SALIDA.finditer(texto):
        pasos.append((m.start(), "salida", m["nombre"]))
    for m in BLOQUE_EJECUTABLE.finditer(texto):
        pasos.append((m.start(), "código", texto.count("\n", 0, m.start()) + 1))
    return [(tipo, dato) for _, tipo, dato in sorted(pasos)]


def test_cada_salida_se_ensena_solo_en_su_capitulo():
    ajenas = []
    for capitulo in capitulos():
        for tipo, dato in _pasos(capitulo):
            if tipo == "salida" and dato.split("/")[0] != capitulo.stem:
                ajenas.append(f"{capitulo.name}: salidas/{dato}.txt")
    assert not ajenas, "salidas de otro capítulo (guárdalas en salidas/<capítulo>/):\n" + "\n".join(ajenas)


def test_entre_dos_vistas_de_una_salida_no_se_ejecuta_nada():
    # Su escenario se ejecuta en la primera; si entre una y otra pasara algo
    # más, el texto contaría un orden que no es el de la ejecución.
    malas = []
    for capitulo in capitulos():
        pasos = _pasos(capitulo)
        for i, (tipo, dato) in enumerate(pasos):
            if tipo != "salida":
                continue
            ultima = max(j for j, paso in enumerate(pasos) if paso == ("salida", dato))
            en_medio = [p for p in pasos[i + 1:ultima] if p != ("salida", dato)]
            if en_medio and ("salida", dato) not in pasos[:i]:
                malas.append(f"{capitulo.name}: {dato} tiene en medio {en_medio[0]}")
    assert not malas, "\n".join(sorted(set(malas)))


def test_cada_capitulo_empieza_con_redis_vacio():
    sin_vaciar = []
    for capitulo in capitulos():
        pasos = _pasos(capitulo)
        if not pasos or capitulo.stem == "antes-de-empezar" or capitulo.stem in SIN_VACIAR:
            continue
        if pasos[0] != ("salida", f"{capitulo.stem}/vaciar"):
            sin_vaciar.append(f"{capitulo.name}: empieza por {pasos[0]}")
    assert not sin_vaciar, (
        "el primer paso de un capítulo es vaciar Redis, a la vista "
        "(salidas/<capítulo>/vaciar.txt):\n" + "\n".join(sin_vaciar)
    )


def test_cada_bloque_invisible_empieza_citando_lo_que_dice_el_texto():
    mudos = []
    for capitulo in capitulos():
        for m in BLOQUE_INVISIBLE.finditer(capitulo.read_text(encoding="utf-8")):
            if not m["primera"].strip().startswith("#"):
                mudos.append(f"{capitulo.name}: {m['primera'].strip()}")
    assert not mudos, "un bloque invisible empieza con un comentario que cita el texto:\n" + "\n".join(mudos)


def test_cada_excepcion_de_vaciar_tiene_razon_y_capitulo():
    for capitulo, razon in SIN_VACIAR.items():
        assert razon.strip(), f"{capitulo}: la excepción necesita una razón"
        assert (DOCS / f"{capitulo}.rst").is_file(), f"{capitulo}: no existe ese capítulo"
        assert ("salida", f"{capitulo}/vaciar") not in _pasos(DOCS / f"{capitulo}.rst"), (
            f"{capitulo}: ya vacía Redis; quita la excepción"
        )


def test_cada_salida_guardada_tiene_su_escenario_y_al_reves():
    escenarios = set(transcripciones.cargar_escenarios())
    guardadas = {p.relative_to(SALIDAS).with_suffix("").as_posix() for p in SALIDAS.rglob("*.txt")}
    assert sorted(guardadas - escenarios) == [], "salidas sin escenario que las regenere"
    assert sorted(escenarios - guardadas) == [], "escenarios sin salida guardada: make transcripts"
