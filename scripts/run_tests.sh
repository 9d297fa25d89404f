#!/usr/bin/env bash
# The whole suite: every test on SQLite and the database tests again on a throw-away PostgreSQL
# cluster, the two passes and lint side by side (`make lint` runs lint alone, for a quick
# answer). With CI set (to anything) a missing PostgreSQL or Chromium fails the run instead of
# skipping.
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
pglog=$(mktemp /tmp/likvard-pg-out.XXXXXX)
port=$((20000 + RANDOM % 20000))
trap 'bash scripts/pg_cluster.sh stop "$pgdir"; rm -f "$lintlog" "$pglog" "$pgdir.url"' EXIT
# Lint runs beside the tests: its checks take one core for mypy's ~40 CPU seconds (a clean
# clone has no mypy cache) and next to nothing for the rest.
bash scripts/lint.sh >"$lintlog" 2>&1 &
lint_pid=$!
# The PostgreSQL pass runs beside the SQLite pass too, as soon as its cluster is up (initdb, a
# few seconds). One after the other they left a core idle for minutes: the SQLite pass ends
# with one worker on the browser tests (one xdist group) and the PostgreSQL pass began only
# then. Its output is kept and printed after the SQLite pass's, and lint's after both.
(
  bash scripts/pg_cluster.sh start "$pgdir" "$port" >"$pgdir.url" || exit
  LIKVARD_TEST_DB=postgres LIKVARD_DATABASE_URL="$(cat "$pgdir.url")" \
    $bin/pytest tests/app -n 2 --dist loadgroup -q -m "not browser"
) >"$pglog" 2>&1 &
pg_pid=$!
echo "== tests on SQLite (all tiers; lint and the PostgreSQL pass run beside them)"
sqlite_rc=0
$bin/pytest -n 2 --dist loadgroup -q --durations=10 || sqlite_rc=$?
pg_rc=0
wait "$pg_pid" || pg_rc=$?
echo "== app tests on PostgreSQL"
cat "$pglog"
lint_rc=0
wait "$lint_pid" || lint_rc=$?
echo "== lint"
cat "$lintlog"
# Every part's output is printed above; each failure is named, and the exit code is the first's.
rc=0
for part in "lint:$lint_rc" "tests on SQLite:$sqlite_rc" "tests on PostgreSQL:$pg_rc"; do
  code=${part##*:}
  [ "$code" = 0 ] && continue
  echo "!! ${part%:*} failed (exit $code)"
  [ "$rc" != 0 ] || rc=$code
done
exit "$rc"
