#!/usr/bin/env bash
# Runs the lint step of `make test` on exactly what is staged for commit (not on the working
# tree), so work in progress beside it cannot hide a problem. For developers; CI runs make test.
set -euo pipefail
top=$(git rev-parse --show-toplevel)
dir=$(mktemp -d /tmp/likvard-staged.XXXXXX)
trap 'rm -rf "$dir"' EXIT
git -C "$top" checkout-index -a --prefix="$dir/"
ln -s "$top/.venv" "$dir/.venv"
ln -s "$top/node_modules" "$dir/node_modules"
cd "$dir"
PYTHONPATH="$dir/src:$dir" bash scripts/lint.sh
