# Everything a user or CI runs. `make up` and `make test` do all set-up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# LOCAL_STACK=local-cloudflare: up / preview / refresh / destroy / emulators on the Cloudflare stack.
export LOCAL_STACK
TYPED := vultr_provider edgio_provider cloudflare_provider restkit cdn_ingress emulators bench preview fleet reconciler

.PHONY: help venv toolchain cluster cluster-stop emulators emulators-stop up preview refresh destroy \
        export-state test test-unit test-e2e lint bench bench-cloudflare bench-baseline bench-convergence clean-local

help:
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | sort

$(STAMP): requirements.txt requirements-dev.txt requirements-clients.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-clients.txt
	touch $(STAMP)

venv: $(STAMP) ## Python virtualenv with the pinned packages

toolchain: ## Build the Pulumi CLI, language host and plugins from Go modules (cached, long the first time)
	tools/toolchain.sh

cluster: venv ## Start the local control plane (kwok nodes); builds it first if missing
	tools/cluster.sh build
	tools/cluster.sh start

cluster-stop: ## Stop the local control plane
	tools/cluster.sh stop

emulators: venv ## Start the Vultr and Edgio emulators in the background (SQLite state in .run/)
	scripts/local-stack.sh emulators

emulators-stop: ## Stop the emulators
	scripts/local-stack.sh emulators-stop

up: venv ## pulumi up on the local stack (emulators, file backend, local cluster)
	scripts/local-stack.sh up

preview: venv ## pulumi preview --diff on the local stack
	scripts/local-stack.sh preview

refresh: venv ## pulumi refresh on the local stack
	scripts/local-stack.sh refresh

destroy: venv ## pulumi destroy on the local stack
	scripts/local-stack.sh destroy

export-state: venv ## pulumi stack export of the local stack
	@scripts/local-stack.sh export-state

# Team use (docs/team.md): a shared PostgreSQL state backend, many stacks at once.
.PHONY: backend backend-stop fleet
FLEET ?= preview
FLEET_WORKERS ?= 4

backend: ## Start the local PostgreSQL state backend (installed when missing); make up/preview/refresh/destroy BACKEND=postgres use it
	scripts/backend.sh start

backend-stop: ## Stop the local PostgreSQL state backend (its data stays)
	scripts/backend.sh stop

fleet: venv ## Preview (FLEET=up: update) STACKS="a b c" in parallel, FLEET_WORKERS at a time, each with the policy pack and stacks/policy.<stack>.json; BACKEND=postgres for the shared backend
	source tools/env.sh && export PULUMI_BACKEND_URL=$${PULUMI_BACKEND_URL:-file://$(CURDIR)/.state} && \
	  $(if $(filter postgres,$(BACKEND)),scripts/backend.sh start && eval "$$(scripts/backend.sh env)" &&) \
	  $(PY) -m fleet $(FLEET) --workers $(FLEET_WORKERS) $(STACKS)

# The origin reconciler (docs/reconciler.md): node changes reach DNS in seconds.
.PHONY: watch
WATCH_STACK = $(or $(STACK),local)

watch: venv ## Keep STACK's (default local) origin records equal to its Ready nodes; BACKEND=postgres, WATCH_ARGS=--once
	source tools/env.sh && export PULUMI_BACKEND_URL=$${PULUMI_BACKEND_URL:-file://$(CURDIR)/.state} && \
	  $(if $(filter postgres,$(BACKEND)),scripts/backend.sh start && eval "$$(scripts/backend.sh env)" &&) \
	  $(if $(filter local,$(WATCH_STACK)),scripts/local-stack.sh emulators && eval "$$(scripts/local-stack.sh env)" && \
	    export PULUMI_CONFIG_PASSPHRASE=$${PULUMI_CONFIG_PASSPHRASE:-cdn-ingress-local} &&) \
	  exec $(PY) -m reconciler --stack $(WATCH_STACK) $(WATCH_ARGS)

test: venv ## All tests; the end-to-end ones run when the toolchain is built (they say so when not)
	$(PY) -m pytest

test-unit: venv ## Everything but the end-to-end tests
	$(PY) -m pytest -m "not e2e"

test-e2e: venv ## Only the end-to-end tests (real Pulumi CLI, emulators, local cluster)
	$(PY) -m pytest -m e2e

.PHONY: policy-test
policy-test: venv ## The policy pack's tests: each policy alone, the pack over gRPC, then under the real CLI (e2e)
	$(PY) -m pytest tests/policy

lint: venv ## ruff, mypy --strict over the packages, actionlint
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy --strict $(TYPED)
	tools/actionlint.sh

.PHONY: preview-comment preview-screenshot
preview-comment: venv ## Preview STACK (default local) and write its pull-request comment to .run/preview-<stack>.md and stdout
	@preview/run.sh $(or $(STACK),local)

preview-screenshot: venv ## Render docs/preview-example.md to HTML and screenshot it with headless Chromium (docs/preview-example.png)
	$(PY) -m preview.screenshot docs/preview-example.md docs/preview-example.png

bench: venv ## Benchmarks under the real CLI (the providers directly without the toolchain); about 45 minutes; bench/RESULTS.md
	$(PY) -m bench --routes 1,10 --foreign 0,5000 --pending-seconds 5 --output .run/bench-small.md
	$(PY) -m bench --routes 100,300 --foreign 0,5000 --pending-seconds 5 --no-baseline --output .run/bench-large.md
	{ cat .run/bench-small.md; echo; echo ---; echo; cat .run/bench-large.md; } >bench/RESULTS.md

bench-cloudflare: venv ## The same lifecycle on a Cloudflare stack (cdn-ingress:cdn cloudflare, no baseline), N = 1 to 300; about 40 minutes; bench/RESULTS-CLOUDFLARE.md
	$(PY) -m bench --cdn cloudflare --routes 1,10,100,300 --foreign 0,5000 --output bench/RESULTS-CLOUDFLARE.md

bench-convergence: venv ## Node change to DNS with the reconciler running, 20 events, file backend and PostgreSQL; bench/CONVERGENCE.md
	$(PY) -m bench.convergence --events 20 --replace --backends file,postgres --output bench/CONVERGENCE.md

bench-baseline: venv ## The original demo's calls at N = 100 beside ours (it waits out each deploy in turn: about 75 minutes); bench/BASELINE-100.md
	$(PY) -m bench --driver providers --routes 100 --foreign 0 --pending-seconds 30 --baseline-up-to 100 --output bench/BASELINE-100.md

clean-local: ## Forget the local stack's state and emulator data (not the toolchain cache)
	scripts/local-stack.sh emulators-stop || true
	rm -rf .state .run
