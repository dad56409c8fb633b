"""Configuración de Sphinx para la Guía de RQ.

conf.py vive en la raíz y los capítulos en docs/: se construye con
``sphinx-build -c . docs ...`` (ver Makefile).
"""

import zipfile
from pathlib import Path

from sphinx import addnodes
from sphinx.roles import XRefRole

RAIZ = Path(__file__).resolve().parent
EJEMPLOS = RAIZ / "examples"
# El paquete de ejemplos que descarga el lector: examples/ entera, dentro de
# una carpeta con este nombre, en la raíz de cada idioma del sitio.
ZIP_EJEMPLOS = "guia-rq-ejemplos.zip"
CARPETA_DEL_ZIP = "guia-rq-ejemplos"
# Lo que los ejemplos escriben al ejecutarse: no es parte de los ejemplos.
GENERADOS_AL_EJECUTAR = {
    "rq/tarea_generada.py", "django/db.sqlite3",
    "produccion/supervisord-corto.conf", "produccion/supervisord-reciclar.conf",
}
# Y las carpetas donde los dejan: las medidas de rendimiento, con sus gráficos.
CARPETAS_GENERADAS = ("rendimiento/resultados/", "produccion/supervisor/")

project = "Guía de RQ"
author = "Guía de RQ"
copyright = "2026, los autores de la Guía de RQ"

# El idioma del original. `make html` construye también el inglés con
# -D language=en; de `language` salen <html lang> y el buscador de cada
# idioma (html_search_language lo sigue si no se fija aparte).
language = "es"
root_doc = "index"
exclude_patterns = ["_build"]

extensions = [
    "sphinx_copybutton",
]

# Traducción: un catálogo por capítulo en locale/en/LC_MESSAGES.
locale_dirs = ["../locale/"]
gettext_compact = False
gettext_uuid = False
gettext_location = False

# Las salidas de consola se incluyen con literalinclude desde examples/ y
# salidas/; no hay otros ficheros que incluir.
highlight_language = "python3"

html_theme = "furo"
templates_path = ["docs/_templates"]
html_static_path = ["docs/_static"]
html_css_files = ["idiomas.css"]

# La barra lateral de furo, tal cual la trae (theme.conf de furo), con el
# cambio de idioma bajo el nombre del libro.
html_sidebars = {
    "**": [
        "sidebar/brand.html",
        "sidebar/idiomas.html",
        "sidebar/search.html",
        "sidebar/scroll-start.html",
        "sidebar/navigation.html",
        "sidebar/ethical-ads.html",
        "sidebar/scroll-end.html",
        "sidebar/variant-selector.html",
    ],
}
# Los idiomas del libro, en el orden en que los muestra el cambio de idioma;
# `etiqueta` es el nombre del cambio para los lectores de pantalla.
html_context = {
    "idiomas": {
        "es": {"nombre": "Español", "etiqueta": "Idioma"},
        "en": {"nombre": "English", "etiqueta": "Language"},
    },
}
html_title = "Guía de RQ"
# El título de la barra lateral y de la pestaña, en el idioma de cada
# construcción (`-D language=en` llega después de leer este fichero).
TITULOS = {"es": "Guía de RQ", "en": "The RQ Guide"}
# El pie de cada página, en su idioma.
DERECHOS = {"es": "2026, los autores de la Guía de RQ", "en": "2026, the authors of The RQ Guide"}
# Con favicon propio, el navegador no pide /favicon.ico (un 404 en cada visita).
html_favicon = "docs/_static/favicon.svg"
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None

# El botón de copiar deja fuera prompts y salidas.
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True
copybutton_exclude = ".linenos, .gp, .go"


def _titulo_del_idioma(app, config):
    config.html_title = TITULOS.get(config.language, TITULOS["es"])
    config.copyright = DERECHOS.get(config.language, DERECHOS["es"])


def ficheros_del_zip():
    """Los ficheros de los ejemplos: todo examples/, menos lo que se genera al usarlo."""
    return sorted(
        p for p in EJEMPLOS.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
        # pytest deja su caché en la carpeta desde la que se ejecuta (examples/web).
        and ".pytest_cache" not in p.parts
        and p.relative_to(EJEMPLOS).as_posix() not in GENERADOS_AL_EJECUTAR
        and not p.relative_to(EJEMPLOS).as_posix().startswith(CARPETAS_GENERADAS)
    )


def escribir_zip_de_ejemplos(destino):
    """Escribe el zip de los ejemplos; con fechas fijas, sale igual en cada construcción."""
    with zipfile.ZipFile(destino, "w", zipfile.ZIP_DEFLATED) as zip_:
        for fichero in ficheros_del_zip():
            ruta = f"{CARPETA_DEL_ZIP}/{fichero.relative_to(EJEMPLOS).as_posix()}"
            info = zipfile.ZipInfo(ruta, date_time=(2026, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if fichero.stat().st_mode & 0o111 else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zip_.writestr(info, fichero.read_bytes())


def _zip_de_ejemplos(app, excepcion):
    if excepcion is None and app.builder.format == "html":
        escribir_zip_de_ejemplos(Path(app.outdir) / ZIP_EJEMPLOS)


_descarga = XRefRole(nodeclass=addnodes.download_reference)


def rol_ejemplo(nombre, texto_crudo, texto, linea, inliner, options=None, content=None):
    """``:ejemplo:`rq/tareas.py``` enlaza el fichero entero de examples/ para descargarlo.

    Va en el ``:caption:`` de cada listado: el lector ve de qué fichero sale
    y puede bajárselo completo.
    """
    ruta = texto.strip()
    return _descarga("download", texto_crudo, f"{ruta} </../examples/{ruta}>", linea, inliner,
                     options or {}, content or [])


def setup(app):
    app.connect("config-inited", _titulo_del_idioma)
    app.connect("build-finished", _zip_de_ejemplos)
    app.add_role("ejemplo", rol_ejemplo)
