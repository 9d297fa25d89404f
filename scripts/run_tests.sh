#!/usr/bin/env bash
# The whole suite: lint beside every test on SQLite, then the database tests again on a
# throw-away PostgreSQL cluster (`make lint` runs lint alone, for a quick answer). With CI set (to anything) a missing PostgreSQL or Chromium
# fails the run instead of skipping.
set -euo pipefail
bin=.venv/bin
# The Makefile exports the development settings for its django-admin commands, and
# pytest-django lets the environment win over pyproject.toml: name the test settings here.
export DJANGO_SETTINGS_MODULE=likvard.settings.test
# Python caches compiled modules (__pycache__, ignored by git) unless PYTHONDONTWRITEBYTECODE is
# set, as it is on some machines and CI images. The suite starts some hundred Python processes
# (pytest workers, the lint tools, `likvard worker`, gunicorn, the untrusted-file child) and
# each one would compile Django, pandas and the project again: 22 CPU seconds to collect the
# suite without the cache, 8 with it.
unset PYTHONDONTWRITEBYTECODE
pgdir=$(mktemp -d /tmp/likvard-pg.XXXXXX)
lintlog=$(mktemp /tmp/likvard-lint-out.XXXXXX)
port=$((20000 + RANDOM % 20000))
trap 'bash scripts/pg_cluster.sh stop "$pgdir"; rm -f "$lintlog"' EXIT
# The cluster starts (initdb, a few seconds) while the SQLite pass runs.
bash scripts/pg_cluster.sh start "$pgdir" "$port" >"$pgdir.url" 2>"$pgdir.log" &
pg_start=$!
# Lint runs beside the SQLite pass: its checks take one core for mypy's ~40 CPU seconds (a clean
# clone has no mypy cache) and next to nothing for the rest, so run first it left a core idle
# for most of a minute. Its output is printed, and its failure fails the run, once the SQLite
# pass is over.
bash scripts/lint.sh >"$lintlog" 2>&1 &
lint_pid=$!
echo "== tests on SQLite (all tiers; lint runs beside them)"
sqlite_rc=0
$bin/pytest -n 2 --dist loadgroup -q --durations=10 || sqlite_rc=$?
lint_rc=0
wait "$lint_pid" || lint_rc=$?
echo "== lint"
cat "$lintlog"
pg_rc=0
wait "$pg_start" || pg_rc=$?
url=$(cat "$pgdir.url")
rm -f "$pgdir.url"
if [ "$pg_rc" != 0 ]; then cat "$pgdir.log" >&2; fi
rm -f "$pgdir.log"
[ "$lint_rc" = 0 ] || { echo "!! lint failed (exit $lint_rc)"; exit "$lint_rc"; }
[ "$sqlite_rc" = 0 ] || exit "$sqlite_rc"
[ "$pg_rc" = 0 ] || exit "$pg_rc"
echo "== app tests on PostgreSQL"
LIKVARD_TEST_DB=postgres LIKVARD_DATABASE_URL="$url" $bin/pytest tests/app -n 2 --dist loadgroup -q -m "not browser" \
  --durations=10
