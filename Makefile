# congvu — the two commands of README.md: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench train system-deps clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

# Debian packages the suite needs (headless chromium for browser tests, pango for PDF forms, nginx for
# the TLS reverse-proxy test, postgresql-client for backup/restore on PostgreSQL).
# Installed only when missing and only when we may (root); otherwise say what is missing.
system-deps:
	@missing=""; \
	for p in chromium libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation2 gettext wrk nginx openssl postgresql-client; do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then echo "installing:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
	    || echo "warning: could not install$$missing"; \
	  else echo "warning: missing Debian packages:$$missing (sudo apt-get install$$missing)"; fi; \
	fi

# DEBUG is off unless asked (`CONGVU_DEBUG=1 make run`): Vietnamese error pages, hashed static files.
# The demo accounts keep the documented local password (CONGVU_DEMO_PASSWORD overrides it).
run: $(STAMP)
	CONGVU_DEBUG=$${CONGVU_DEBUG:-0} CONGVU_DEMO_PASSWORD=$${CONGVU_DEMO_PASSWORD:-congvu-demo-2024} \
	  $(BIN)/congvu serve --setup --with-worker

test: $(STAMP) system-deps
	$(BIN)/pytest

# Retrain the task model of the extractor (docs/extraction.md, "Learned confidence"): deterministic, rewrites
# src/congvu/directives/extraction/data/task_model.json and prints the leave-one-batch-out table.
$(VENV)/.train-installed: $(STAMP)
	$(BIN)/python -m pip install -q -e '.[train]'
	@touch $@

train: $(VENV)/.train-installed
	$(BIN)/python -m congvu.directives.extraction.train

lint: $(STAMP)
	$(BIN)/ruff check .

$(VENV)/.bench-installed: $(STAMP)
	$(BIN)/python -m pip install -q -e '.[dev,bench]'
	@touch $@

bench: $(STAMP) $(VENV)/.bench-installed
	@for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) var build *.egg-info
