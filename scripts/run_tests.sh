#!/usr/bin/env bash
# The whole suite: lint, then every test on SQLite, then the database tests again on a
# throw-away PostgreSQL cluster. With CI set (to anything) a missing PostgreSQL or Chromium
# fails the run instead of skipping.
set -euo pipefail
bin=.venv/bin
# The Makefile exports the development settings for its django-admin commands, and
# pytest-django lets the environment win over pyproject.toml: name the test settings here.
export DJANGO_SETTINGS_MODULE=likvard.settings.test
bash scripts/lint.sh
pgdir=$(mktemp -d /tmp/likvard-pg.XXXXXX)
port=$((20000 + RANDOM % 20000))
trap 'bash scripts/pg_cluster.sh stop "$pgdir"' EXIT
url=$(bash scripts/pg_cluster.sh start "$pgdir" "$port")
echo "== tests on SQLite (all tiers)"
$bin/pytest -n 2 --dist loadgroup -q --durations=10
echo "== app tests on PostgreSQL"
LIKVARD_TEST_DB=postgres LIKVARD_DATABASE_URL="$url" $bin/pytest tests/app -n 2 -q -m "not browser"
