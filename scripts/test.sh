#!/usr/bin/env bash
# The whole suite on SQLite, then again on PostgreSQL.
# PostgreSQL: DATABASE_URL when set, else the local server on 127.0.0.1:5432 (pytest-django
# creates and drops a throwaway test_<name> database). With CI=true a missing server fails.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
mkdir -p artifacts
# one pytest worker per core (pytest-xdist; each worker has its own test database): the suite's
# wall time on our 2-core machines about halves. COSO_TEST_WORKERS=0 runs in one process.
WORKERS="-n ${COSO_TEST_WORKERS:-auto} --dist loadgroup"
[ "${COSO_TEST_WORKERS:-}" = "0" ] && WORKERS=""

$BIN/ruff check coso || exit 1

echo "== SQLite =="
env -u DATABASE_URL $BIN/python manage.py makemigrations --check --dry-run >/dev/null || { echo "Missing migrations: run 'coso makemigrations'."; exit 1; }
env -u DATABASE_URL $BIN/pytest $WORKERS "$@"
sqlite_rc=$?

pg_url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/coso}"
if $BIN/python - "$pg_url" <<'PY'
import sys, dj_database_url, psycopg
cfg = dj_database_url.parse(sys.argv[1])
try:
    psycopg.connect(host=cfg["HOST"] or None, port=cfg["PORT"] or None, user=cfg["USER"] or None,
                    password=cfg["PASSWORD"] or None, dbname="postgres", connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL not reachable: {exc}", file=sys.stderr)
    sys.exit(1)
PY
then
  echo "== PostgreSQL =="
  DATABASE_URL="$pg_url" $BIN/pytest $WORKERS "$@"
  pg_rc=$?
else
  if [ "${CI:-}" = "true" ]; then
    echo "CI=true and PostgreSQL is not reachable: failing."
    exit 1
  fi
  echo "PostgreSQL not reachable: skipped (set DATABASE_URL or start a server on 127.0.0.1:5432)."
  pg_rc=0
fi

[ $sqlite_rc -eq 0 ] && [ $pg_rc -eq 0 ]
