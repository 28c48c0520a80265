# The two set-up commands are `make run` and `make test`; everything they need is installed here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install system-deps static run serve demo test test-fast browser-deps pdf-deps pg-deps bench bench-load messages clean

$(STAMP): requirements.lock pyproject.toml
	@command -v msgfmt >/dev/null || scripts/apt-install.sh gettext
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP) pdf-deps

# Pango and DejaVu from Debian for the PDF reports (WeasyPrint loads the libraries at run time).
pdf-deps:
	@{ test -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf && ls /usr/lib/*/libpangoft2-1.0.so.0 >/dev/null 2>&1; } \
		|| scripts/apt-install.sh libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core

# Static files under hashed names with a year's cache (coso/lib/staticfiles.py); a few seconds.
static: install
	$(BIN)/coso collectstatic --noinput -v0

demo: install static
	$(BIN)/coso migrate --noinput
	$(BIN)/coso compilemessages --ignore=.venv -v0
	$(BIN)/coso places load
	$(BIN)/coso demo

run: demo
	@echo ""
	@echo "coso: http://127.0.0.1:8000  (đăng nhập / login: admin / coso-demo-2025, xem README)"
	@echo "(cùng tiến trình chạy nền \`coso worker\` cho các tệp nhập lớn / with the background worker)"
	COSO_DEMO=1 scripts/with-worker.sh $(BIN)/coso runserver 127.0.0.1:8000

# Production server: gunicorn (coso/gunicorn_conf.py: 2 processes per core × 4 threads, static files
# through WhiteNoise) and the background worker beside it, after the migrations, the messages and the
# static files; no demo data.
serve: install static
	$(BIN)/coso migrate --noinput
	$(BIN)/coso compilemessages --ignore=.venv -v0
	scripts/with-worker.sh $(BIN)/gunicorn -c coso/gunicorn_conf.py coso.wsgi

# Chromium from Debian for the browser tests (Playwright drives /usr/bin/chromium, no download).
browser-deps:
	@test -x /usr/bin/chromium || scripts/apt-install.sh chromium fonts-dejavu-core fonts-liberation

# PostgreSQL's server programs for the read-replica test (a primary and a standby on loopback ports).
pg-deps:
	@scripts/pg-server-deps.sh

test: install browser-deps pg-deps
	$(BIN)/coso compilemessages --ignore=.venv -v0
	scripts/test.sh

# The part of the suite to run while working: SQLite, no big worlds, no browser (under a minute).
test-fast: install
	$(BIN)/coso compilemessages --ignore=.venv -v0
	env -u DATABASE_URL $(BIN)/pytest -n auto --dist loadgroup -m "not slow and not browser"

bench: install
	$(BIN)/python -m coso.data.bench

# 200 users on gunicorn over loopback with locust, on SQLite and PostgreSQL (coso/data/bench/load.py;
# about ten minutes); `make bench` runs it too, last.
bench-load: install
	$(BIN)/python -m coso.data.bench.load

messages: install
	$(BIN)/coso makemessages -l vi -l en --ignore=.venv --no-obsolete

clean:
	rm -rf $(VENV) var artifacts
