# Every workflow has a target; every target sets up .venv itself when it is missing.
# .venv/bin goes first on PATH for every target (nbgrader calls `alembic` by name).

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
export PATH := $(abspath $(VENV))/bin:$(PATH)

# JupyterLab refuses to run as root without --allow-root; add it only for root.
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
LAB_ARGS  ?=
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help venv lab test lint clean-notebooks bench clean

help:  ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[course,dev]"
	@touch $(STAMP)

venv: $(STAMP)  ## create .venv with the pinned course environment

lab: $(STAMP)  ## start JupyterLab on the course (opens course/00-start-here.ipynb)
	@echo "Starting JupyterLab; open the URL printed below (it carries the access token)."
	$(VENV)/bin/jupyter lab $(ROOT_FLAG) --ServerApp.root_dir=$(CURDIR) $(LAB_ARGS) course/00-start-here.ipynb

test: $(STAMP)  ## run the whole test suite (lint, units, every notebook, grading, browser)
	$(VENV)/bin/ruff check src tests
	$(PY) -m pytest -n auto $(PYTEST_ARGS)

lint: $(STAMP)  ## ruff over src/ and tests/
	$(VENV)/bin/ruff check src tests

clean-notebooks: $(STAMP)  ## strip outputs and execution counts from every notebook
	$(PY) -m trafficking_course clean-notebooks

bench: $(STAMP)  ## time all notebooks serially and in parallel (not part of make test)
	$(PY) -m trafficking_course bench-notebooks

clean:  ## remove the venv and generated files
	rm -rf $(VENV) .pytest_cache .ruff_cache

# --- data: the data package and the synthetic CTDC teaching sample -------------------------
.PHONY: data-validate data-synth

data-validate: $(STAMP)  ## check every dataset against data/datapackage.json (and frictionless)
	$(PY) -m trafficking_course data validate

data-synth: $(STAMP)  ## remake the SYNTHETIC CTDC-schema teaching sample (seed 2026, 3000 rows)
	$(PY) -m trafficking_course data synth --seed 2026 --rows 3000 \
		--out data/ctdc_synthetic_teaching_sample.csv
