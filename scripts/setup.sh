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
# The font the funds service's PDFs embed (Vietnamese letters): Debian's fonts-dejavu-core.
# Without it a receipt or report PDF is answered 503, everything else works.
font=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
if [[ ! -f $font && -z ${TOTHON_PDF_FONT_DIR:-} ]]; then
  echo "setup: installing Debian's fonts-dejavu-core for the funds' PDFs"
  sudo_if() { if [[ $(id -u) == 0 ]]; then "$@"; else sudo "$@"; fi; }
  { sudo_if apt-get update -qq && sudo_if env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core >/dev/null; } \
    || echo "setup: WARNING: could not install fonts-dejavu-core: receipts and reports as PDF will answer 503" >&2
fi
# Notices read aloud for the village loudspeaker: Debian's espeak-ng (Vietnamese voices) and lame
# (MP3). Without them the audio of a notice is answered 503, everything else works.
if ! command -v espeak-ng >/dev/null || ! command -v lame >/dev/null; then
  echo "setup: installing Debian's espeak-ng and lame for notices read aloud"
  sudo_if() { if [[ $(id -u) == 0 ]]; then "$@"; else sudo "$@"; fi; }
  { sudo_if apt-get update -qq && sudo_if env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq espeak-ng lame >/dev/null; } \
    || echo "setup: WARNING: could not install espeak-ng and lame: notices read aloud will answer 503" >&2
fi
