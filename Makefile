# jiebang — `make run` serves the platform, `make test` runs the whole suite.
# Everything is installed from the repo's own files (requirements.lock + this package).

PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
WORKERS ?= 2
export PYTHONDONTWRITEBYTECODE := 1
export PYTHONPATH := $(CURDIR)
# The platform is production unless told otherwise; every target here is a developer's, so it
# says dev (make test: test) itself. A deployment sets nothing and gets production.
export JIEBANG_ENV ?= dev

.PHONY: browser wrk api-lint oidc-provider run test test-fast lint openapi openapi-check k8s bench demo fuzz clean-data help

help:
	@echo "make run | test | lint | openapi | openapi-check | bench | demo | fuzz"

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Debian packages: chromium and a CJK font for the round-report browser test, wrk for the bench.
browser:
	scripts/ensure_packages.sh chromium=chromium "font:Noto Sans CJK=fonts-noto-cjk"

wrk:
	scripts/ensure_packages.sh wrk=wrk

# The identity tests' OpenID Connect provider (npm oidc-provider), from its lock file.
PROVIDER := tests/identity/provider
oidc-provider: $(PROVIDER)/node_modules/.installed
$(PROVIDER)/node_modules/.installed: $(PROVIDER)/package.json $(PROVIDER)/package-lock.json
	scripts/ensure_packages.sh node=nodejs npm=npm
	cd $(PROVIDER) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: $(STAMP)
	$(BIN)/python scripts/run.py

# Node tools for the API checks (versions in package-lock.json).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The merged spec linted (Redocly, Spectral), TypeScript types generated and a typed snippet compiled.
api-lint: $(STAMP) node_modules/.installed openapi-check
	$(BIN)/python scripts/api_lint.py

# Embedded PostgreSQL unless TEST_DATABASE_URL or DATABASE_URL names one.
test: export JIEBANG_ENV = test
test: $(STAMP) openapi-check api-lint browser oidc-provider
	$(BIN)/python scripts/test.py -n $(WORKERS)

test-fast: export JIEBANG_ENV = test
test-fast: $(STAMP) oidc-provider
	$(BIN)/python scripts/test.py -n $(WORKERS) -m "not e2e"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy common gateway services

openapi: $(STAMP)
	$(BIN)/python scripts/export_openapi.py write

# deploy/k8s/ from scripts/export_k8s.py (tests/foundation/test_k8s.py checks and validates it).
k8s: $(STAMP)
	$(BIN)/python scripts/export_k8s.py write

openapi-check: $(STAMP)
	$(BIN)/python scripts/export_openapi.py check

bench: $(STAMP) wrk
	$(BIN)/python scripts/bench.py

demo: $(STAMP)
	$(BIN)/python scripts/demo.py

fuzz: $(STAMP)
	$(BIN)/python scripts/fuzz.py --long

clean-data:
	rm -rf .data
