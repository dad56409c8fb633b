"""Configuración de Sphinx para la Guía de RQ.

conf.py vive en la raíz y los capítulos en docs/: se construye con
``sphinx-build -c . docs ...`` (ver Makefile).
"""

project = "Guía de RQ"
author = "Guía de RQ"
copyright = "2026, los autores de la Guía de RQ"

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
html_title = "Guía de RQ"
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None

# El botón de copiar deja fuera prompts y salidas.
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True
copybutton_exclude = ".linenos, .gp, .go"
