#!/usr/bin/env bash
# Starts (or stops) what the distributed mode needs: PostgreSQL, Kafka, and the topics.
# Usage: scripts/infra.sh up|down|status
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
case "${1:-}" in
  up)
    "$root/scripts/postgres.sh" start
    "$root/scripts/kafka.sh" start
    "$root/.venv/bin/python" -m tothon_shared.messaging.provision
    ;;
  down) "$root/scripts/kafka.sh" stop; "$root/scripts/postgres.sh" stop ;;
  status) "$root/scripts/postgres.sh" status; "$root/scripts/kafka.sh" status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
