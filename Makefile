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
.PHONY: help html livehtml test po progress bench transcripts clean

help: ## Lista los objetivos
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | \
	  awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# El entorno virtual se rehace cuando requirements.txt es más nuevo que él.
$(VENV)/.instalado: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

html: $(VENV)/.instalado ## Construye el libro en español y en inglés (build/html)
	@for lang in $(LANGUAGES); do \
	  echo "sphinx-build [$$lang] -> $(BUILDDIR)/html/$$lang"; \
	  $(SPHINX) -b html -D language=$$lang -d $(BUILDDIR)/doctrees/$$lang \
	    docs $(BUILDDIR)/html/$$lang || exit 1; \
	done
	@cp docs/redireccion.html $(BUILDDIR)/html/index.html
	@echo "Listo: abre $(BUILDDIR)/html/index.html"

livehtml: $(VENV)/.instalado ## Servidor con recarga en vivo del libro en español
	$(BIN)/sphinx-autobuild -c . -D language=es docs $(BUILDDIR)/livehtml

test: $(VENV)/.instalado ## Ejecuta todas las pruebas (Redis privado, builds, ejemplos)
	$(BIN)/python -m pytest

po: $(VENV)/.instalado ## Extrae los mensajes y actualiza locale/en
	$(BIN)/sphinx-build -c . -q -b gettext docs $(BUILDDIR)/gettext
	$(BIN)/sphinx-intl update -p $(BUILDDIR)/gettext -l en -d locale --no-obsolete
	$(BIN)/powrap --quiet locale/en/LC_MESSAGES/*.po

progress: $(VENV)/.instalado ## Progreso de la traducción, por catálogo
	@$(BIN)/python -m tests.arnes.progreso

transcripts: $(VENV)/.instalado ## Regenera las salidas del libro a velocidad real (ESCENARIOS="..." para unas pocas)
	$(BIN)/python -m tests.arnes.transcripciones $(ESCENARIOS)

bench: $(VENV)/.instalado ## Mide build en frío, rebuild sin cambios y make test (medianas)
	@$(BIN)/python -m tests.arnes.bench

clean: ## Borra lo construido (deja .venv)
	rm -rf $(BUILDDIR) .pytest_cache
	find . -name __pycache__ -type d -not -path './$(VENV)/*' -prune -exec rm -rf {} +
