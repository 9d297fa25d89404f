#!/usr/bin/env bash
# Static checks, run first by `make test`: ruff, formatting, import contracts, mypy, docs.
# The checks are independent and each runs on one core, so they run side by side (import
# contracts and mypy take half a minute each on a clean clone); each one's output is printed
# in the order below when all have finished, and the script fails if any of them failed.
set -uo pipefail
bin=.venv/bin
paths=$(for d in src tests bench scripts; do [ -d "$d" ] && echo "$d"; done)
out=$(mktemp -d /tmp/likvard-lint.XXXXXX)
trap 'rm -rf "$out"' EXIT
checks=(ruff "ruff format" "import contracts" mypy "cli docs" "dead code" "commit subjects")
run() {
  case "$1" in
    ruff) $bin/ruff check $paths ;;
    "ruff format") $bin/ruff format --check $paths ;;
    "import contracts") $bin/lint-imports ;;
    mypy) $bin/mypy ;;
    "cli docs") $bin/cog --check docs/cli.md ;;
    "dead code") bash scripts/dead_code.sh ;;
    "commit subjects") $bin/python scripts/check_commits.py ;;
  esac
}
for i in "${!checks[@]}"; do
  { (run "${checks[$i]}") >"$out/$i.log" 2>&1; echo $? >"$out/$i.rc"; } &
done
wait
failed=0
for i in "${!checks[@]}"; do
  echo "== ${checks[$i]}"
  cat "$out/$i.log"
  rc=$(cat "$out/$i.rc" 2>/dev/null || echo "no status")
  if [ "$rc" != 0 ]; then echo "!! ${checks[$i]} failed (exit $rc)"; failed=1; fi
done
exit $failed
