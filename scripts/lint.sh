#!/usr/bin/env bash
# Static checks, run first by `make test`: ruff, formatting, import contracts, mypy, docs.
set -euo pipefail
bin=.venv/bin
paths=$(for d in src tests bench scripts; do [ -d "$d" ] && echo "$d"; done)
echo "== ruff"; $bin/ruff check $paths
echo "== ruff format"; $bin/ruff format --check $paths
echo "== import contracts"; $bin/lint-imports
echo "== mypy"; $bin/mypy
echo "== cli docs"; $bin/cog --check docs/cli.md
echo "== dead code"; bash scripts/dead_code.sh
echo "== commit subjects"; $bin/python scripts/check_commits.py
