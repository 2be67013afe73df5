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

# --- The lecturer's grading cycle (nbgrader; exercises/ is the course root) -----------------
# One target per step; see exercises/README.md. ASSIGNMENT names a folder in exercises/source/.
.PHONY: validate generate release collect autograde formgrader feedback export-grades cohort-report leak-scan bench-grading
ASSIGNMENT ?= definitions
GRADING    := $(PY) -m trafficking_course grading
FROM       ?=
WORKERS    ?=
FORMGRADER_PORT ?= 8899

validate: $(STAMP)  ## nbgrader validate the solution form of ASSIGNMENT
	$(GRADING) validate $(ASSIGNMENT)

generate: $(STAMP)  ## student version of ASSIGNMENT into exercises/release/ + leak scan
	$(GRADING) generate $(ASSIGNMENT)

release: $(STAMP)  ## release ASSIGNMENT to the nbgrader exchange (exercises/.exchange)
	$(GRADING) release $(ASSIGNMENT)

collect: $(STAMP)  ## collect ASSIGNMENT from the exchange, or FROM=folder (LMS export)
	$(GRADING) collect $(ASSIGNMENT) $(if $(FROM),--from $(FROM))

autograde: $(STAMP)  ## autograde ASSIGNMENT in parallel (new/changed submissions only)
	$(GRADING) autograde $(ASSIGNMENT) $(if $(WORKERS),--workers $(WORKERS))

formgrader: $(STAMP)  ## manual grading: JupyterLab with nbgrader's formgrader on exercises/
	@echo "Open the URL below, then Nbgrader > Formgrader (manual grading)."
	cd exercises && $(abspath $(VENV))/bin/jupyter lab $(ROOT_FLAG) --no-browser --port=$(FORMGRADER_PORT) --ServerApp.root_dir=$(CURDIR)/exercises

feedback: $(STAMP)  ## feedback pages for ASSIGNMENT (no hidden tests) + leak scan
	$(GRADING) feedback $(ASSIGNMENT)

export-grades: $(STAMP)  ## grades to exercises/reports/grades.csv (+ per question)
	$(GRADING) export $(ASSIGNMENT)

cohort-report: $(STAMP)  ## cohort report to exercises/reports/ASSIGNMENT.html
	$(GRADING) report $(ASSIGNMENT)

leak-scan: $(STAMP)  ## fail if a solution, hidden test or mark scheme is in release/ or feedback/
	$(GRADING) leak-scan $(ASSIGNMENT)

bench-grading: $(STAMP)  ## 60 simulated students: serial nbgrader vs parallel autograde
	$(GRADING) bench $(ASSIGNMENT) --students 60 --output BENCHMARKS.md
