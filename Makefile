# realtime-gui: `make run` opens the window, `make test` sets up and runs every check.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export QT_QPA_PLATFORM ?= offscreen

.PHONY: run test lint lint-workflows typecheck pytest secret-service-tests package package-tests wheel wheel-tests screenshots venv clean bench

$(PY):
	$(PYTHON) -m venv $(VENV)

# Re-install whenever pyproject.toml changes, so `make test` also updates an old venv.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	QT_QPA_PLATFORM= $(VENV)/bin/realtime-gui

lint: $(STAMP) lint-workflows
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The GitHub workflows, offline: the schema, then zizmor's security audits (pedantic; the
# suppressions and their reasons are in .github/zizmor.yml).
lint-workflows: $(STAMP)
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(VENV)/bin/zizmor --offline --no-progress --persona pedantic --config .github/zizmor.yml .github/workflows

typecheck: $(STAMP)
	$(VENV)/bin/mypy

pytest: $(STAMP)
	$(PY) -m pytest -m "not secret_service and not packaging and not wheel"

# The real Secret Service keyring, in a private D-Bus session with a throwaway HOME.
secret-service-tests: $(STAMP)
	tests/with-secret-service.sh $(PY) -m pytest -m secret_service

# Linux artifacts in dist/: the PyInstaller folder as .tar.gz, and a .deb.
package: $(STAMP)
	packaging/build-linux.sh $(PY)

# Builds the package, then runs the packaged binary (self-test, a mint) and checks the
# .deb layout; the self-test needs a keyring, so this runs in the throwaway D-Bus session.
package-tests: package
	tests/with-secret-service.sh $(PY) -m pytest -m packaging

# The wheel and sdist in dist/, checked by twine as PyPI would render them.
wheel: $(STAMP)
	rm -f dist/realtime_gui-*
	$(PY) -m build --outdir dist .
	$(VENV)/bin/twine check --strict dist/realtime_gui-*

# pipx installs the wheel into a throwaway home; its self-test needs a keyring.
wheel-tests: wheel
	tests/with-secret-service.sh $(PY) -m pytest -m wheel

test: lint typecheck pytest secret-service-tests package-tests wheel-tests

clean:
	rm -rf $(VENV) build dist .mypy_cache .pytest_cache .ruff_cache

# Benchmarks (benchmarks/README.md): builds the package first so its artifacts are measured,
# prints the table, writes benchmarks/results/latest.json and refreshes the README's table.
bench: $(STAMP) package
	$(PY) benchmarks/run.py

# Renders the window's main states to docs/*.png with made-up values, and serve's playground
# page after one exchange with the local fake API (needs chromium and chromium-driver).
screenshots: $(STAMP)
	$(PY) docs/make_screenshots.py
	$(PY) docs/make_playground_screenshot.py
