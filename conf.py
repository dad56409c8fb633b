"""Configuración de Sphinx para la Guía de RQ.

conf.py vive en la raíz y los capítulos en docs/: se construye con
``sphinx-build -c . docs ...`` (ver Makefile).
"""

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


def setup(app):
    app.connect("config-inited", _titulo_del_idioma)
