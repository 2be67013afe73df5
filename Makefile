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
.PHONY: help venv lab lab-instructor check test lint types clean-notebooks bench clean

help:  ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[course,dev,hub]"
	@touch $(STAMP)

venv: $(STAMP)  ## create .venv with the pinned course environment

# Students' and lecturers' JupyterLab settings are kept in jupyter/ (see jupyter/README.md):
# put first on JUPYTER_CONFIG_PATH, they win over the environment's own.
STUDENT_LAB    := JUPYTER_CONFIG_PATH=$(CURDIR)/jupyter/student$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}
INSTRUCTOR_LAB := JUPYTER_CONFIG_PATH=$(CURDIR)/jupyter/instructor$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}

# A student works in their own copy (git-ignored), never in the files git tracks: each `make lab`
# merges the course's corrections into it and keeps the student's answers (studentcopy.py).
MY_COURSE ?= my-course
START_PAGE := /lab/tree/course/00-start-here.ipynb

lab: $(STAMP)  ## JupyterLab on your own copy of the course, opening on the start page
	$(PY) -m trafficking_course student-copy $(MY_COURSE)
	@echo "Starting JupyterLab on $(MY_COURSE)/; open the URL printed below (it carries the access token)."
	$(STUDENT_LAB) $(VENV)/bin/jupyter lab $(ROOT_FLAG) --ServerApp.root_dir=$(abspath $(MY_COURSE)) \
	  --LabApp.default_url=$(START_PAGE) $(LAB_ARGS)

lab-instructor: $(STAMP)  ## JupyterLab on the course with nbgrader's formgrader and assignment tools (own workspace)
	@echo "Starting JupyterLab for the lecturer (Nbgrader menu, formgrader on exercises/)."
	$(INSTRUCTOR_LAB) $(VENV)/bin/jupyter lab $(ROOT_FLAG) --ServerApp.root_dir=$(CURDIR) $(LAB_ARGS) course/00-start-here.ipynb

# The inner loop: lint, types and the unit tests (no notebook, kernel, grading cycle or browser).
FAST_TESTS := not slow and not notebook and not browser

check: lint types  ## fast: lint, types and unit tests (under two minutes); run it while you work
	$(PY) -m pytest -n auto -q -m "$(FAST_TESTS)" $(PYTEST_ARGS)

test: lint types  ## the whole suite (lint, types, units, every notebook, grading, hub, browser)
	$(PY) -m pytest -n auto $(PYTEST_ARGS)

lint: $(STAMP)  ## ruff over every Python file (complexity and statement limits included)
	$(VENV)/bin/ruff check .

types: $(STAMP)  ## mypy over src/
	$(VENV)/bin/mypy

clean-notebooks: $(STAMP)  ## strip outputs and execution counts from every notebook
	$(PY) -m trafficking_course clean-notebooks

bench: $(STAMP)  ## time all notebooks serially and in parallel (not part of make test)
	$(PY) -m trafficking_course bench-notebooks

clean:  ## remove the venv and generated files
	rm -rf $(VENV) .venv-lite .venv-site .pytest_cache .ruff_cache lite/_output _build test-artifacts

# ---- self-study in a browser: JupyterLite (make lite) and the course book (make site) ----
# Each builds in its own venv, so that server-only extensions of the course environment
# (nbgrader's) never end up in the static sites.
.PHONY: lite site axe
LITE_VENV   := .venv-lite
LITE_STAMP  := $(LITE_VENV)/.installed
LITE_DIR    ?= lite
LITE_OUTPUT ?= $(LITE_DIR)/_output
LITE_STAGE  ?= $(LITE_DIR)/_build
# PYODIDE=path/or/URL/of/pyodide-<version>.tar.bz2 bundles Pyodide for offline use (see README)
PYODIDE     ?=
# what the learner sees in JupyterLite (lecturers' notes live in instructor/, outside these)
LITE_CONTENTS = $(wildcard course notebooks data)

$(LITE_STAMP): lite/requirements.txt
	@test -x $(LITE_VENV)/bin/python || $(PYTHON) -m venv $(LITE_VENV)
	$(LITE_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LITE_VENV)/bin/python -m pip install --quiet -r lite/requirements.txt
	@touch $@

lite: $(LITE_STAMP)  ## build the course as a JupyterLite site (runs in the browser) into lite/_output
	rm -rf $(LITE_STAGE) && mkdir -p $(LITE_STAGE)/files $(LITE_STAGE)/wheels
	$(LITE_VENV)/bin/python -m pip wheel --quiet --no-deps -w $(LITE_STAGE)/wheels .
	cp -r $(LITE_CONTENTS) $(LITE_STAGE)/files/
	$(LITE_VENV)/bin/python lite/prepare_contents.py $(LITE_STAGE)/files
	# from inside LITE_DIR: jupyter lite keeps its task database in the working directory
	cd $(LITE_DIR) && $(abspath $(LITE_VENV))/bin/jupyter lite build --lite-dir $(abspath $(LITE_DIR)) \
	  --output-dir $(abspath $(LITE_OUTPUT)) --contents $(abspath $(LITE_STAGE))/files \
	  --piplite-wheels $(abspath $(LITE_STAGE))/wheels/*.whl \
	  $(if $(PYODIDE),--pyodide "$(if $(wildcard $(PYODIDE)),$(abspath $(PYODIDE)),$(PYODIDE))")
	@echo "JupyterLite site in $(LITE_OUTPUT)/: serve it with"
	@echo "  python3 -m http.server -d $(LITE_OUTPUT) 8000   and open http://127.0.0.1:8000/lab/index.html"

# the Node packages of package.json (axe-core for the tests, the widgets' JavaScript for the book)
NODE_STAMP  := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

SITE_VENV   := .venv-site
SITE_STAMP  := $(SITE_VENV)/.installed
SITE_OUTPUT ?= _build/site
SITE_STAGE  ?= _build/site-src

$(SITE_STAMP): site/requirements.txt pyproject.toml
	@test -x $(SITE_VENV)/bin/python || $(PYTHON) -m venv $(SITE_VENV)
	$(SITE_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(SITE_VENV)/bin/python -m pip install --quiet -r site/requirements.txt -e .
	@touch $@

# the widgets' JavaScript, served from the book (no CDN when it is read): npm packages
WIDGETS_DIST := node_modules/@jupyter-widgets/html-manager/dist
WIDGETS_JS   := node_modules/requirejs/require.js $(WIDGETS_DIST)/embed-amd.js

site: $(SITE_STAMP) $(NODE_STAMP)  ## build the course book (executed notebooks) with JupyterLite beside it, in _build/site
	rm -rf $(SITE_STAGE) $(SITE_OUTPUT) && mkdir -p $(SITE_STAGE)/_widgets
	cp site/*.md $(SITE_STAGE)/
	cp -r $(wildcard course notebooks) $(SITE_STAGE)/
	# never publish a learner's answers (the builder's own progress files) or checkpoints
	find $(SITE_STAGE) \( -name '*.progress.json*' -o -name '.ipynb_checkpoints' \) -prune -exec rm -rf {} +
	rm -rf $(SITE_STAGE)/course/instructor $(SITE_STAGE)/instructor
	cp $(WIDGETS_JS) $(WIDGETS_DIST)/*.woff2 $(WIDGETS_DIST)/*.woff $(WIDGETS_DIST)/*.ttf $(SITE_STAGE)/_widgets/
	COURSE_WIDGETS_JS=$(abspath $(SITE_STAGE))/_widgets \
	  $(SITE_VENV)/bin/python -m sphinx -b html -c site -q -W --keep-going $(SITE_STAGE) $(SITE_OUTPUT)
	@! find $(SITE_OUTPUT) -name '*.progress.json*' | grep . || { echo "a progress file reached the book"; exit 1; }
	$(MAKE) --no-print-directory lite LITE_OUTPUT=$(abspath $(SITE_OUTPUT))/lite
	@echo "The course book is in $(SITE_OUTPUT)/index.html (JupyterLite in $(SITE_OUTPUT)/lite/)."

AXE := node_modules/axe-core/axe.min.js
$(AXE): $(NODE_STAMP)

axe: $(AXE)  ## install axe-core (the accessibility checker the browser tests inject) into node_modules/

# --- data: the data package and the synthetic CTDC teaching sample -------------------------
.PHONY: data-validate data-synth

data-validate: $(STAMP)  ## check every dataset against data/datapackage.json (and frictionless)
	$(PY) -m trafficking_course data validate

data-synth: $(STAMP)  ## remake the SYNTHETIC CTDC-schema teaching sample (seed 2026, 3000 rows)
	$(PY) -m trafficking_course data synth --seed 2026 --rows 3000 \
		--out data/ctdc_synthetic_teaching_sample.csv

# --- The lecturer's grading cycle (nbgrader; exercises/ is the course root) -----------------
# One target per step; see exercises/README.md. ASSIGNMENT names a folder in exercises/source/.
.PHONY: validate generate release collect autograde formgrader feedback export-grades roster export-lms cohort-report similarity leak-scan bench-grading
ASSIGNMENT ?= definitions
GRADING    := $(PY) -m trafficking_course grading
FROM       ?=
WORKERS    ?=
# auto: sandbox each student's kernel (bubblewrap) where possible; require: refuse without it;
# off: grade unsandboxed (warned)
SANDBOX    ?= auto
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
	$(GRADING) autograde $(ASSIGNMENT) --sandbox $(SANDBOX) $(if $(WORKERS),--workers $(WORKERS))

formgrader: $(STAMP)  ## manual grading: JupyterLab with nbgrader's formgrader on exercises/ (lecturers' settings, own workspace)
	@echo "Open the URL below, then Nbgrader > Formgrader (manual grading)."
	cd exercises && $(INSTRUCTOR_LAB) COURSE_LAB_WORKSPACE=formgrader $(abspath $(VENV))/bin/jupyter lab \
	  $(ROOT_FLAG) --no-browser $(if $(findstring --port=,$(LAB_ARGS)),,--port=$(FORMGRADER_PORT)) \
	  --ServerApp.root_dir=$(CURDIR)/exercises $(LAB_ARGS)

feedback: $(STAMP)  ## feedback pages for ASSIGNMENT (no hidden tests) + leak scan
	$(GRADING) feedback $(ASSIGNMENT)

# Exports refuse while written answers await a lecturer's mark; ALLOW_PENDING=1 exports partial
# totals on purpose, with a column that marks the rows (exercises/README.md).
PENDING_FLAG := $(if $(ALLOW_PENDING),--allow-pending)

export-grades: $(STAMP)  ## grades to exercises/reports/grades.csv (+ per question); ALLOW_PENDING=1 for partial totals
	$(GRADING) export $(ASSIGNMENT) $(PENDING_FLAG)

roster: $(STAMP)  ## put the class list exercises/roster.csv into the gradebook (once per term, and after changes)
	$(GRADING) roster

LMS ?= canvas
export-lms: $(STAMP)  ## grades for the LMS (LMS=canvas or moodle) to exercises/reports/, ids from exercises/roster.csv
	$(GRADING) export-lms $(LMS) $(PENDING_FLAG)

cohort-report: $(STAMP)  ## cohort report to exercises/reports/ASSIGNMENT.html
	$(GRADING) report $(ASSIGNMENT)

similarity: $(STAMP)  ## written answers of ASSIGNMENT unusually alike (flags, never a grade)
	$(GRADING) similarity $(ASSIGNMENT)

leak-scan: $(STAMP)  ## fail if a solution, hidden test or mark scheme is in release/ or feedback/
	$(GRADING) leak-scan $(ASSIGNMENT)

bench-grading: $(STAMP)  ## 60 simulated students: serial nbgrader vs sandboxed parallel autograde
	$(GRADING) bench $(ASSIGNMENT) --students 60 --sandbox $(SANDBOX) --output BENCHMARKS.md

# --- A class on JupyterHub on this machine (src/trafficking_course/hub/, README "Teach a class")
# Needs root: each account is a Linux user with a private home under HUB_STATE, which also holds
# the hub's copy of the course and its own Python (built once, kept while pyproject.toml stays).
.PHONY: hub hub-stop hub-remove bench-hub
HUB_PORT     ?= 8000
HUB_STATE    ?= /srv/trafficking-course
HUB_PREFIX   ?=
HUB_PASSWORD ?=
HUB_DIR      := $(abspath $(HUB_STATE))
CHP          := node_modules/.bin/configurable-http-proxy
BENCH_STUDENTS ?= 20

$(CHP): $(NODE_STAMP)

hub: $(STAMP) $(CHP)  ## a class on JupyterHub at 127.0.0.1:HUB_PORT (as root; course, Python and state in HUB_STATE)
	@HUB_PASSWORD='$(HUB_PASSWORD)' HUB_PREFIX='$(HUB_PREFIX)' $(PY) -m trafficking_course.hub setup $(HUB_DIR)
	@echo "Log in at http://127.0.0.1:$(HUB_PORT)/hub/login as $(HUB_PREFIX)instructor, $(HUB_PREFIX)student1, $(HUB_PREFIX)student2 or $(HUB_PREFIX)student3."
	@echo "Stop it with Ctrl-C here (or make hub-stop HUB_STATE=$(HUB_DIR) elsewhere); make hub again reuses $(HUB_DIR)/."
	@echo "make hub-remove HUB_STATE=$(HUB_DIR) deletes the accounts and $(HUB_DIR)/."
	HUB_PREFIX='$(HUB_PREFIX)' HUB_PORT=$(HUB_PORT) HUB_PROXY=$(abspath $(CHP)) \
	  $(PY) -m trafficking_course.hub serve $(HUB_DIR)

hub-stop:  ## stop a running make hub (it stops every student's server)
	@test -f $(HUB_DIR)/hub/jupyterhub.pid && kill $$(cat $(HUB_DIR)/hub/jupyterhub.pid) \
	  && echo "stopped the hub" || echo "no hub running from $(HUB_DIR)"

hub-remove: hub-stop  ## delete the hub's Linux accounts and its state folder HUB_STATE
	$(PY) -m trafficking_course.hub remove $(HUB_DIR)
	rm -rf $(HUB_DIR)

bench-hub: $(STAMP) $(CHP)  ## BENCH_STUDENTS simulated students log in and run module 1 (not in make test)
	$(PY) -m trafficking_course.hub bench --students $(BENCH_STUDENTS) --output BENCHMARKS.md
