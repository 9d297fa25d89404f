#!/usr/bin/env bash
# Dead code: functions, methods, classes and properties that nothing in src/, bench/ or tests/
# references (vulture, configured in pyproject.toml). Unused imports are ruff's job; unused
# variables and attributes are too often set for a library (python-pptx, Django) to check.
set -uo pipefail
found=$(.venv/bin/vulture | grep -E "unused (function|method|class|property)")
if [ -n "$found" ]; then
  echo "$found"
  echo "dead code: remove it, or name it in scripts/vulture_whitelist.py if a framework calls it"
  exit 1
fi
echo "dead code: none"
