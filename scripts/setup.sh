#!/usr/bin/env bash
# Creates .venv (Python 3.11) and installs the workspace into it.
# Usage: scripts/setup.sh [dev]   — "dev" adds what the test suite needs.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
python="${PYTHON:-python3.11}"
command -v "$python" >/dev/null || { echo "setup: Python 3.11 is needed ($python not found)" >&2; exit 1; }
if [[ ! -x .venv/bin/python ]]; then
  echo "setup: creating .venv"
  "$python" -m venv .venv
fi
requirements=requirements.txt
[[ ${1:-} == dev ]] && requirements=requirements-dev.txt
echo "setup: installing $requirements"
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -r "$requirements"
