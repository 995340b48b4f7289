"""Cost of the registry's per-request session check as an account's history grows, with account
snapshots (as shipped) beside a baseline without them, measured in the same run on the embedded
event store (SQLite). Prints one JSON document.

    .venv/bin/python bench/session_check.py --events 10 100 500 2000
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar
from uuid import UUID

from argon2 import PasswordHasher
from eventsourcing.domain import MutableOrImmutableAggregate

from tothon_registry.application import RegistryApplication
from tothon_shared.eventstore.environment import event_store_env
from tothon_shared.runtime.settings import Settings
from tothon_shared.runtime.telemetry import setup_logging

PASSWORD = "mật-khẩu-đo-hiệu-năng-2026"  # noqa: S105 - a throwaway account of the benchmark


class WithoutSnapshots(RegistryApplication):
    """The baseline: every check replays the account's whole history."""

    snapshotting_intervals: ClassVar[dict[type[MutableOrImmutableAggregate[Any]], int]] = {}


def _grow(app: RegistryApplication, account: UUID, events: int) -> str:
    """Sign in (a session each day) until the account has ``events`` events; the last session."""
    day = datetime.now(UTC) - timedelta(days=events)
    session = ""
    while app.get_account(account).version < events:
        day += timedelta(hours=6)
        session = app.sign_in("hoa", PASSWORD, day).principal.session_id
    return session


def _check_ms(app: RegistryApplication, account: UUID, session: str, rounds: int) -> dict[str, float]:
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        app.session_active(account, session)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "median_ms": round(statistics.median(timings), 3),
        "p99_ms": round(timings[int(len(timings) * 0.99)], 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, nargs="+", default=[10, 100, 500, 2000])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    setup_logging("WARNING")  # the services' logs to stderr: stdout carries the results' JSON
    results: dict[str, Any] = {"rounds": args.rounds, "accounts": []}
    for events in args.events:
        row: dict[str, Any] = {"events": events}
        for name, kind in (("snapshots", RegistryApplication), ("baseline_no_snapshots", WithoutSnapshots)):
            with tempfile.TemporaryDirectory() as data:
                app = kind(env=event_store_env(Settings(data_dir=Path(data)), "registry"))
                # Cheap hashing: the benchmark measures the check, not sign-in.
                app.passwords = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
                account = app.open_account("hoa", "Lê Thị Hoa", PASSWORD, None, "bench")
                session = _grow(app, account, events)
                row[name] = _check_ms(app, account, session, args.rounds) | {
                    "live_sessions": len(app.get_account(account).sessions)
                }
                app.close()
        results["accounts"].append(row)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
