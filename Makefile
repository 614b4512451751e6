# plan06: two commands on a fresh machine (Python 3.11 and make):
#   make run    set up .venv and run every seed plan on the embedded defaults
#   make test   run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export GX_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1

.PHONY: run test check lint format simulate status clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)  ## the main job: every seed plan, last three months, simulator, dry-run Slack
	$(BIN)/plan06 run

test: $(STAMP)  ## the whole test suite
	$(BIN)/pytest -q

check: $(STAMP)  ## lint and plan files
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/plan06 plans check

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

simulate: $(STAMP)  ## the province simulator alone on 127.0.0.1:8765
	$(BIN)/plan06 simulate

status: $(STAMP)
	$(BIN)/plan06 status

clean:
	rm -rf data
