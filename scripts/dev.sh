#!/usr/bin/env bash
# The embedded default: installs what it needs, then runs all four services in one process with
# demo data and the web frontend on http://127.0.0.1:8000/ (data kept in ./data).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh"
cd "$root"
exec .venv/bin/tothon dev "$@"
