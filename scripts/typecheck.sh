#!/usr/bin/env bash
# Strict mypy over the packages, then over every test tree and the benchmarks: one command.
# Test trees are checked one at a time because each names its modules tests.* (their conftest.py
# files would otherwise clash as the same module); tests/support is on mypy_path as the tests see it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mypy=.venv/bin/mypy
"$mypy" -p tothon_shared -p tothon_registry -p tothon_communication -p tothon_feedback -p tothon_funds -p tothon
"$mypy" --exclude '^tests/support/' tests
# The benchmarks run as scripts that import each other by their file names.
MYPYPATH=bench "$mypy" bench
for tree in shared/tests services/*/tests; do
  [[ -d $tree ]] && "$mypy" "$tree"
done
