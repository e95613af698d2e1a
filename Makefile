# Two commands do all the set-up (README): `make run` opens the app, `make test`
# runs the whole test suite. Each creates or updates .venv from pyproject.toml.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test bench lint screenshots clean mutation

# The app runs from this folder, so only its dependencies are installed (listed in
# pyproject.toml; tools/requirements.py reads them out), not the app itself.
$(STAMP): pyproject.toml tools/requirements.py tools/check_qt.py
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(PYTHON) tools/requirements.py > $(VENV)/requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r $(VENV)/requirements.txt
	$(PY) tools/check_qt.py
	@touch $(STAMP)

run: $(STAMP)
	$(PY) main.py

# the whole test suite, lint first (CI runs exactly this)
test: $(STAMP) lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

bench: $(STAMP)
	$(PY) bench/run_all.py

# mutation testing of the rule modules (a benchmark, not CI: tens of minutes);
# prints killed / tested per module; mutmut works in mutants/ (git-ignored)
mutation: $(STAMP)
	$(PY) bench/mutation.py

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy model reports ui main.py

clean:
	rm -rf $(VENV) build *.egg-info
