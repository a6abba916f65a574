# r2p: `make demo` and `make test` do all set-up on a fresh machine.
VENV    ?= .venv
PY      := $(VENV)/bin/python
R2P     := $(VENV)/bin/r2p
STAMP   := $(VENV)/.installed
export R2P_HOME ?= $(CURDIR)/.r2p
OUT     ?= $(CURDIR)/out

.PHONY: demo test lint typecheck bench sysdeps clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

sysdeps:
	bash scripts/system-deps.sh

demo: $(STAMP) sysdeps
	$(R2P) demo --out $(OUT)

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks

typecheck: $(STAMP)
	$(VENV)/bin/mypy

test: $(STAMP) sysdeps lint typecheck
	$(VENV)/bin/pytest -n 2 --dist loadgroup -q

bench: $(STAMP)
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) .r2p out .pytest_cache .mypy_cache .ruff_cache
