#!/usr/bin/env bash
# The whole test suite: installs what it needs, starts PostgreSQL and Kafka (failing if either
# cannot start), then lints, type-checks and runs every test, fast and infrastructure-bound alike.
# Extra arguments go to pytest, e.g. scripts/test.sh -m "not kafka and not postgres" for fast tests.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scripts/setup.sh dev
scripts/postgres.sh start
scripts/kafka.sh start
echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== mypy (strict)"
.venv/bin/mypy -p tothon_shared -p tothon_registry -p tothon_communication -p tothon_feedback -p tothon_funds -p tothon
echo "== pytest"
.venv/bin/pytest "$@"
