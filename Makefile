# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
XY := $(BIN)/xinyong
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_SUBJECTS ?= 5000
export XINYONG_VAR_DIR := $(CURDIR)/var

.PHONY: demo test lint bench venv dev gettext system-packages messages clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

venv: $(BIN)/activate
	$(BIN)/pip install --quiet -e .

dev: $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[dev]'

# gettext's msgfmt compiles the Chinese translations: the one Debian package a production
# install needs beyond Python. Installed only when missing.
gettext:
	@command -v msgfmt >/dev/null || { \
	  echo "Installing system packages: gettext"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
	}

# What the demo and the tests need besides: CJK fonts, Chromium for the browser tests.
# Installed only when missing.
system-packages: gettext
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -qi "CJK" || missing="$$missing fonts-noto-cjk"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing fontconfig >/dev/null; \
	fi

messages: gettext
	cd src/xinyong && ../../$(BIN)/django-admin compilemessages --ignore='.venv' >/dev/null

var/secret_key:
	@mkdir -p var
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

demo: venv system-packages messages var/secret_key
	SECRET_KEY=$$(cat var/secret_key) $(XY) migrate --no-input
	SECRET_KEY=$$(cat var/secret_key) $(XY) collectstatic --no-input --verbosity 0
	SECRET_KEY=$$(cat var/secret_key) $(XY) demo --subjects $(DEMO_SUBJECTS) --site-url http://$(HOST):$(PORT)
	@echo "Serving Xinyong on http://$(HOST):$(PORT)/  (back office: http://$(HOST):$(PORT)/admin/)"
	SECRET_KEY=$$(cat var/secret_key) $(XY) serve --host $(HOST) --port $(PORT)

lint: dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

# Every core runs tests (pytest-xdist): each worker has its own scratch database.
test: dev system-packages messages lint
	env -u TEST_DATABASE_URL $(BIN)/pytest -q -p no:cacheprovider -n auto
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "== the same suite on PostgreSQL =="; \
	  $(BIN)/pytest -q -p no:cacheprovider -n auto; \
	else \
	  echo "TEST_DATABASE_URL is not set: PostgreSQL run skipped"; \
	fi

bench: dev
	$(BIN)/python bench/demo_data.py

clean:
	rm -rf $(VENV) var build src/*.egg-info
