# The announcement monitor. `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.stamp-install
NATIVE := $(VENV)/.stamp-native$(if $(MONITOR_PURE_PYTHON),-pure)

.DEFAULT_GOAL := help
.PHONY: help install compile run test lint bench clean system-deps browser build-deps

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml setup.py | build-deps
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	MONITOR_PURE_PYTHON=1 $(BIN)/python -m pip install --quiet -e '.[browser,test,dev,bench]'  # compiled below
	@touch $(STAMP)

install: $(STAMP) $(NATIVE) ## create .venv and install the monitor with its test and dev tools

# the extractor's rule modules compiled in place with mypyc (setup.py), again whenever they change,
# so the compiled code never lags the sources (MONITOR_PURE_PYTHON=1 removes it instead)
$(NATIVE): $(STAMP) setup.py $(wildcard monitor/extract/*.py monitor/extract/*/*.py)
	@if [ -n "$$MONITOR_PURE_PYTHON" ]; then \
		echo "MONITOR_PURE_PYTHON is set: the extractor runs as pure Python"; rm -f monitor/extract/*.so monitor/extract/*/*.so; \
	else \
		echo "compiling the extractor with mypyc, profile-guided (about two minutes)"; \
		$(BIN)/python setup.py --quiet build_ext --inplace >$(VENV)/native.log 2>&1 \
		|| { cat $(VENV)/native.log; echo "see setup.py; MONITOR_PURE_PYTHON=1 skips compiling"; exit 1; }; \
		touch monitor/extract/*.so monitor/extract/*/*.so; \
	fi
	@$(BIN)/python -c "from monitor.extract import compiled as c; print('extractor:', c.describe())"
	@touch $(NATIVE)

compile: $(NATIVE) ## compile the extractor with mypyc (done by install and test when needed)

run: $(STAMP) $(NATIVE) browser ## start the demo: sample feeds, every stage and the web app on http://127.0.0.1:8000
	$(BIN)/monitor demo

test: $(STAMP) $(NATIVE) system-deps ## run the whole test suite (installs what it needs)
	$(BIN)/python -m pytest -q

lint: $(STAMP) ## ruff and mypy
	$(BIN)/ruff check monitor pipelines tests bench
	$(BIN)/ruff format --check monitor pipelines tests bench
	$(BIN)/mypy

bench: $(STAMP) $(NATIVE) ## run the benchmarks under bench/ and print their figures
	@for b in bench/[a-z]*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

system-deps: ## Debian packages the tests need: Chromium and a Chinese font for the browser tests
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || missing="$$missing fonts-wqy-microhei"; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages for the browser tests:$$missing"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) \
		|| { echo "could not install$$missing (are you root?): apt-get install$$missing"; exit 1; }; \
	fi

browser: ## Debian's chromium for render = "browser" sources; without it only those sources fail
	@command -v chromium >/dev/null 2>&1 || { \
		echo "installing Debian's chromium for sources behind a script challenge (render = \"browser\")"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
		|| echo "could not install chromium (are you root?): apt-get install chromium;" \
			"until then only render = \"browser\" sources fail, and monitor doctor says so"; \
	}

build-deps: ## a C compiler and the Python headers, to compile the extractor (skipped with MONITOR_PURE_PYTHON=1)
	@if [ -z "$$MONITOR_PURE_PYTHON" ]; then \
		missing=""; \
		command -v gcc >/dev/null 2>&1 || missing="$$missing gcc libc6-dev"; \
		$(PYTHON) -c "import os, sysconfig; raise SystemExit(not os.path.exists(os.path.join(sysconfig.get_paths()['include'], 'Python.h')))" \
			|| missing="$$missing python3-dev"; \
		if [ -n "$$missing" ]; then \
			echo "installing Debian packages to compile the extractor:$$missing"; \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) \
			|| { echo "could not install$$missing (are you root?): apt-get install$$missing, or set MONITOR_PURE_PYTHON=1"; exit 1; }; \
		fi; \
	fi

clean: ## remove the virtualenv, the local data folder and the compiled extractor
	rm -rf $(VENV) var build monitor/extract/*.so monitor/extract/*/*.so
