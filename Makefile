# Guía de RQ: construir el libro, probarlo y traducirlo.
# `make help` lista los objetivos.

PYTHON      ?= python3
VENV        := .venv
BIN         := $(VENV)/bin
BUILDDIR    ?= build
SPHINXOPTS  ?= -W --keep-going -q
SPHINX      := $(BIN)/sphinx-build -c . $(SPHINXOPTS)
LANGUAGES   := es en

.DEFAULT_GOAL := help
.PHONY: help html livehtml test screenshots matrix redis po progress bench transcripts medidas clean

help: ## Lista los objetivos
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | \
	  awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# El entorno virtual se rehace cuando requirements.txt es más nuevo que él.
$(VENV)/.instalado: requirements.txt examples/requirements.txt examples/rendimiento/requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

# Incremental: solo relee lo que cambió. Si da avisos, borra sus doctrees y
# lo repite leyendo todos los capítulos: un aviso de verdad sale otra vez y
# falla; uno de la lectura a medias (una etiqueta que pasó de un capítulo a
# otro) desaparece. Las pruebas usan este mismo build/html
# (tests/arnes/construcciones.py).
SPHINX_HTML = $(SPHINX) -b html -D language=$$lang -d $(BUILDDIR)/doctrees/$$lang docs $(BUILDDIR)/html/$$lang
html: $(VENV)/.instalado ## Construye el libro en español y en inglés (build/html)
	@for lang in $(LANGUAGES); do \
	  echo "sphinx-build [$$lang] -> $(BUILDDIR)/html/$$lang"; \
	  $(SPHINX_HTML) || { \
	    echo "sphinx-build [$$lang]: con avisos; otra vez, leyendo todo" >&2; \
	    rm -rf $(BUILDDIR)/doctrees/$$lang; \
	    $(SPHINX_HTML) || exit 1; }; \
	done
	@cp docs/redireccion.html $(BUILDDIR)/html/index.html
	@echo "Listo: abre $(BUILDDIR)/html/index.html"

livehtml: $(VENV)/.instalado ## Servidor con recarga en vivo del libro en español
	$(BIN)/sphinx-autobuild -c . -D language=es docs $(BUILDDIR)/livehtml

# CAPITULO=<nombre> (el de su .rst) limita las pruebas a un capítulo: sus
# sesiones y salidas, tests/test_<nombre>.py y su catálogo. Con dos procesos
# basta (el .rst y su fichero de pruebas van a la vez) y arrancan antes que cuatro.
CAPITULO ?=
SOLO_CAPITULO = $(foreach c,$(CAPITULO),--capitulo $(c))

# Con PYTHONDONTWRITEBYTECODE (hay máquinas que la ponen para todo), cada
# proceso de las pruebas volvería a compilar los ejemplos, las pruebas y la
# reescritura de asserts de pytest; los __pycache__ no entran en el zip.
test: $(VENV)/.instalado ## Ejecuta todas las pruebas (CAPITULO=x: solo las de ese capítulo)
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest $(if $(CAPITULO),-n 2) $(SOLO_CAPITULO)

screenshots: $(VENV)/.instalado ## Pruebas del navegador con una captura de cada página (build/screenshots)
	GUIA_RQ_CAPTURAS=1 $(BIN)/python -m pytest -n 0 -q tests/test_navegador.py

# Las pruebas de los ejemplos con rq 2.x y 3.0 y con Redis 6.2, Redis 7 y
# Valkey; escribe la tabla de docs/compatibilidad.inc. Tarda varios minutos.
# CAPITULO=x: solo esos capítulos, encima de la última ejecución entera.
matrix: $(VENV)/.instalado ## Pruebas de los ejemplos con otras versiones de RQ, Redis y Valkey (tabla de compatibilidad)
	$(BIN)/python -m tests.arnes.matriz $(SOLO_CAPITULO)

redis: $(VENV)/.instalado ## Arranca en primer plano el Redis de los ejemplos (donde diga REDIS_URL)
	@$(BIN)/python -m tests.arnes.redis_del_lector

po: $(VENV)/.instalado ## Extrae los mensajes y actualiza locale/en
	$(BIN)/sphinx-build -c . -q -b gettext docs $(BUILDDIR)/gettext
	$(BIN)/sphinx-intl update -p $(BUILDDIR)/gettext -l en -d locale --no-obsolete
	$(BIN)/powrap --quiet locale/en/LC_MESSAGES/*.po

progress: $(VENV)/.instalado ## Progreso de la traducción, por catálogo
	@$(BIN)/python -m tests.arnes.progreso

# Leyendo cada capítulo en orden, a velocidad real y con la semilla del libro.
# (-p no:doctest: un .rst nombrado en la línea de órdenes, pytest lo tomaría
# además por un doctest suelto, fuera del orden de lectura y sin su Redis.)
transcripts: $(VENV)/.instalado ## Regenera las salidas y capturas del libro a velocidad real (CAPITULO=x: solo ese)
	GUIA_RQ_TRANSCRIPCIONES=reescribir TAREAS_ESCALA=1 TAREAS_SEMILLA=guia-rq \
	  $(BIN)/python -m pytest -p no:cacheprovider -p no:doctest -n 0 -q \
	  $(if $(CAPITULO),$(foreach c,$(CAPITULO),docs/$(c).rst),docs)

# Las medidas de rendimiento y la comparativa, a tamaño real: tablas, datos y
# gráficos de docs/salidas/{rendimiento,comparativa}. Mejor con la máquina tranquila.
medidas: $(VENV)/.instalado ## Vuelve a medir, a tamaño real, los capítulos de rendimiento y comparativa (unos 20 min)
	$(MAKE) transcripts CAPITULO="rendimiento comparativa"

bench: $(VENV)/.instalado ## Mide build en frío, rebuild sin cambios y make test (medianas)
	@$(BIN)/python -m tests.arnes.bench

clean: ## Borra lo construido (deja .venv)
	rm -rf $(BUILDDIR) .pytest_cache
	find . -name __pycache__ -type d -not -path './$(VENV)/*' -prune -exec rm -rf {} +
