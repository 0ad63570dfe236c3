# Two commands a newcomer needs: `make run` (the app) and `make test` (the test suite).
# Each makes the local virtual environment .venv on first use and refreshes it when pyproject.toml changes.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench screenshot clean

$(STAMP): pyproject.toml
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); echo "make: '$(PYTHON) -m venv' failed; on Debian/Ubuntu install it with: sudo apt-get install python3-venv" >&2; exit 1; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Qt's X11 plugin needs system libraries: installed here where no password is needed (root, sudo -n),
# otherwise one line says what is missing and the command that installs it.
run: $(STAMP)
	@$(PY) -m timeline_app.platform_check --install
	$(PY) -m timeline_app $(ARGS)

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks tools
	$(VENV)/bin/ruff format --check src tests benchmarks tools

bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	$(PY) benchmarks/run.py --json benchmarks/out/results.json $(ARGS)
	$(PY) benchmarks/one_model.py --json benchmarks/out/one_model.json $(ONE_MODEL_ARGS)

clean:
	rm -rf $(VENV) dist build .pytest_cache
