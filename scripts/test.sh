#!/usr/bin/env bash
# The whole test suite: installs what it needs (the workspace, PostgreSQL, the Kafka broker's jars,
# Debian's Chromium), starts PostgreSQL and Kafka (failing if either cannot start), then lints,
# checks the import contracts, type-checks and runs every test: fast, infrastructure-bound and
# browser tests alike.
# Extra arguments go to pytest, e.g. scripts/test.sh -m "not kafka and not postgres" for fast tests.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scripts/setup.sh dev
scripts/postgres.sh start
TOTHON_PG_PASSWORD="$(scripts/postgres.sh password)"
export TOTHON_PG_PASSWORD
scripts/kafka.sh start
if [[ ! -x /usr/bin/chromium ]]; then
  echo "test: installing Debian's chromium for the browser tests"
  sudo_if() { if [[ $(id -u) == 0 ]]; then "$@"; else sudo "$@"; fi; }
  sudo_if apt-get update -qq && sudo_if env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
    || { echo "test: ERROR: apt-get could not install chromium" >&2; exit 1; }
fi
[[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || -n ${TOTHON_PDF_FONT_DIR:-} ]] \
  || { echo "test: ERROR: the PDF font (fonts-dejavu-core) is missing" >&2; exit 1; }
{ command -v espeak-ng >/dev/null && command -v lame >/dev/null; } \
  || { echo "test: ERROR: espeak-ng and lame (notices read aloud) are missing: run scripts/setup.sh" >&2; exit 1; }
echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== import contracts (.importlinter)"
.venv/bin/lint-imports
echo "== mypy (strict: packages, tests, benchmarks)"
scripts/typecheck.sh
echo "== pytest"
.venv/bin/pytest "$@"
