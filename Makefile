# The announcement monitor. `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.stamp-install

.DEFAULT_GOAL := help
.PHONY: help install run test lint bench clean system-deps

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev,bench]'
	@touch $(STAMP)

install: $(STAMP) ## create .venv and install the monitor with its test and dev tools

run: $(STAMP) ## start the demo: sample feeds, every stage and the web app on http://127.0.0.1:8000
	$(BIN)/monitor demo

test: $(STAMP) system-deps ## run the whole test suite (installs what it needs)
	$(BIN)/python -m pytest -q

lint: $(STAMP) ## ruff and mypy
	$(BIN)/ruff check monitor pipelines tests bench
	$(BIN)/ruff format --check monitor pipelines tests bench
	$(BIN)/mypy

bench: $(STAMP) ## run the benchmarks under bench/ and print their figures
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

system-deps: ## Debian packages the tests need: Chromium and a Chinese font for the browser tests
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || missing="$$missing fonts-wqy-microhei"; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages for the browser tests:$$missing"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) \
		|| { echo "could not install$$missing (are you root?): apt-get install$$missing"; exit 1; }; \
	fi

clean: ## remove the virtualenv and the local data folder
	rm -rf $(VENV) var
