"""Communication benchmark: a city-wide notice to 850,000 households published (its cost beside a
group's, to show it does not grow with the audience), household feeds read through HTTP, and
acknowledgements through HTTP at a fixed rate, on PostgreSQL, beside baselines measured in the
same run (the API's health route at the same rate, bare PostgreSQL inserts, a fixed piece of pure
Python). Prints one JSON document.

The city's households are put straight into the directory, as the registry's events would have:
what a feed reads is the same, and filling it is not what is measured."""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import load
from feedback import City, _official, _percentiles, _wait_ready, keyed_by_registry
from register import _postgres_cpu
from skeleton import _peak_mb, _spawn, baseline_postgres, baseline_python, deployment

from tothon_communication.application import CommunicationApplication
from tothon_communication.bootstrap import DEFINITION as COMMUNICATION
from tothon_communication.domain.announcement import Category, Priority
from tothon_shared.auth.http import token_issuer_for
from tothon_shared.auth.principal import Grant, Principal
from tothon_shared.auth.roles import Role
from tothon_shared.eventstore.context import acting_as
from tothon_shared.messaging.kafka_bus import KafkaTransport
from tothon_shared.messaging.provision import provision
from tothon_shared.privacy.keys import new_master_key
from tothon_shared.runtime.pgsetup import drop_database
from tothon_shared.runtime.service import ServiceRuntime
from tothon_shared.runtime.settings import Settings
from tothon_shared.runtime.telemetry import setup_logging

PORT, REGISTRY_PORT = 8841, 8813
WARMUP = 3.0


def _app(runtime: ServiceRuntime) -> CommunicationApplication:
    app = runtime.app
    assert isinstance(app, CommunicationApplication)
    return app


def publishing(runtime: ServiceRuntime, city: City, times: int) -> dict[str, Any]:
    """Writing a notice in-process: for the whole city and for one group, ``times`` each."""
    app = _app(runtime)
    group = next(iter(city.ward_of))

    def timed(unit: uuid.UUID) -> list[float]:
        spent = []
        with acting_as("bench"):
            for n in range(times):
                start = time.perf_counter()
                app.write_announcement(
                    unit,
                    [],
                    f"Thông báo {n}",
                    "Nội dung thông báo thử.",
                    Category.LOCAL_NOTICE,
                    Priority.URGENT,
                    datetime.now(UTC) - timedelta(minutes=1),
                    None,
                    "bench",
                )
                spent.append((time.perf_counter() - start) * 1000)
        return spent

    city_ms, group_ms = timed(city.city), timed(group)
    return {
        "publish_city_households": sum(len(h) for h in city.households.values()),
        "publish_city_p50_ms": round(statistics.median(city_ms), 2),
        "publish_city_max_ms": round(max(city_ms), 2),
        "publish_group_households": len(city.households[group]),
        "publish_group_p50_ms": round(statistics.median(group_ms), 2),
    }


def _resident(settings: Settings, group: uuid.UUID, household: uuid.UUID) -> str:
    principal = Principal(
        uuid.uuid4(), "bench-resident", "Cư dân", (Grant(Role.RESIDENT, group),), household_id=household
    )
    return token_issuer_for(settings).issue(principal)


def _households(city: City, count: int) -> list[tuple[uuid.UUID, uuid.UUID]]:
    pairs = [(g, h) for g, hs in city.households.items() for h in hs]
    return random.Random(19).sample(pairs, min(count, len(pairs)))


def feed_load(settings: Settings, city: City, rate: int, seconds: int) -> dict[str, Any]:
    """Residents of random households read their feed through HTTP."""
    sample = _households(city, 2000)
    tokens = {h: _resident(settings, g, h) for g, h in sample}

    def read(n: int) -> bytes:
        _, household = sample[n % len(sample)]
        return load.request_bytes("GET", f"/api/v1/households/{household}/feed", token=tokens[household])

    outcome = asyncio.run(load.run("127.0.0.1", PORT, read, rate, seconds, expect=200, warmup=WARMUP))
    return _percentiles(outcome, "feed", rate, seconds)


def acknowledgement_load(
    settings: Settings, city: City, notice: uuid.UUID, rate: int, seconds: int, pids: dict[str, int]
) -> dict[str, Any]:
    """Households acknowledge the city-wide urgent notice through HTTP, each once, with the CPU
    time each cost the API processes, the worker and PostgreSQL."""
    sample = _households(city, int(rate * (seconds + WARMUP)) + 10)
    issuer = token_issuer_for(settings)
    tokens = [
        issuer.issue(Principal(uuid.uuid4(), "s", "Cư dân", (Grant(Role.RESIDENT, g),), household_id=h))
        for g, h in sample
    ]

    def acknowledge(n: int) -> bytes:
        _, household = sample[n]
        body = {"household_id": str(household)}
        return load.request_bytes("POST", f"/api/v1/announcements/{notice}/acknowledgements", body, tokens[n])

    def mark() -> tuple[dict[str, float], load.MachineCpu]:
        spent = {name: load.tree_cpu_seconds(pid) for name, pid in pids.items()}
        return spent | {"postgresql": _postgres_cpu(settings)}, load.MachineCpu()

    begin = time.perf_counter()
    outcome = asyncio.run(
        load.run("127.0.0.1", PORT, acknowledge, rate, seconds, expect=200, warmup=WARMUP, mark=mark)
    )
    took = time.perf_counter() - begin - WARMUP
    (before, machine), (after, _) = outcome.marks
    count = rate * seconds
    return _percentiles(outcome, "ack", rate, seconds) | {
        "ack_per_s_served": round(len(outcome.latencies_ms) / took, 1),
        "ack_cpu_ms_each": {name: round((after[name] - before[name]) * 1000 / count, 2) for name in before},
        "ack_machine_percent": machine.shares(),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=850_000)
    parser.add_argument("--wards", type=int, default=94)
    parser.add_argument("--groups", type=int, default=22, help="groups per ward")
    parser.add_argument("--feed-rate", type=int, default=200)
    parser.add_argument("--ack-rate", type=int, default=500)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--api-workers", type=int, default=2)
    args = parser.parse_args()
    setup_logging("WARNING")

    prefix = f"benchcm{uuid.uuid4().hex[:6]}"
    settings, env = keyed_by_registry(*deployment(prefix, new_master_key()), REGISTRY_PORT)
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    provision(settings)
    results: dict[str, Any] = {}
    processes = {}
    try:
        results |= baseline_python()
        results |= baseline_postgres(settings, 20_000)
        per_group = max(1, args.households // (args.wards * args.groups))
        city = City(args.wards, args.groups, households=per_group)
        runtime = ServiceRuntime(COMMUNICATION, settings, KafkaTransport(settings.kafka_bootstrap, "bench"))
        start = time.perf_counter()
        city.directory(runtime)
        results["directory_households"] = sum(len(h) for h in city.households.values())
        results["directory_filled_s"] = round(time.perf_counter() - start, 1)
        results |= publishing(runtime, city, 20)
        # Twenty notices a household sees (the city's, its ward's, its group's), one urgent city-wide.
        with acting_as("bench"):
            app = _app(runtime)
            for n, unit in enumerate([city.city, *city.wards[:5], *list(city.ward_of)[:14]]):
                app.write_announcement(
                    unit,
                    [],
                    f"Thông báo {n}",
                    "Nội dung.",
                    Category.POLICY_LAW,
                    Priority.NORMAL,
                    datetime.now(UTC) - timedelta(minutes=1),
                    None,
                    "bench",
                )
            urgent = app.write_announcement(
                city.city,
                [],
                "Bão số 5",
                "Chằng chống nhà cửa.",
                Category.EMERGENCY,
                Priority.URGENT,
                datetime.now(UTC) - timedelta(minutes=1),
                None,
                "bench",
            ).id
        processes["registry-api"] = _spawn(
            "registry", "api", env, workdir / "registry-api.log", "--port", str(REGISTRY_PORT)
        )
        _wait_ready(REGISTRY_PORT)
        processes["communication-worker"] = _spawn("communication", "worker", env, workdir / "worker.log")
        processes["communication-api"] = _spawn(
            "communication",
            "api",
            env,
            workdir / "api.log",
            "--port",
            str(PORT),
            "--workers",
            str(args.api_workers),
        )
        _wait_ready(PORT)
        # The notices projected before reading them.
        token = _official(settings, Role.CITY_OFFICIAL, city.city)
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            listed = httpx.get(
                f"http://127.0.0.1:{PORT}/api/v1/announcements",
                params={"unit_id": str(city.city), "limit": 200},
                headers={"Authorization": f"Bearer {token}"},
                timeout=30,
            )
            if listed.status_code == 200 and any(n["announcement_id"] == str(urgent) for n in listed.json()):
                break
            time.sleep(1)
        health = asyncio.run(
            load.run("127.0.0.1", PORT, lambda n: load.request_bytes("GET", "/healthz"), args.ack_rate, 10)
        )
        results |= _percentiles(health, "health", args.ack_rate, 10)
        results |= feed_load(settings, city, args.feed_rate, args.seconds)
        pids = {
            "communication_api": processes["communication-api"].pid,
            "communication_worker": processes["communication-worker"].pid,
        }
        results |= acknowledgement_load(settings, city, urgent, args.ack_rate, args.seconds, pids)
        results["peak_mb"] = {name: _peak_mb(p.pid) for name, p in processes.items()}
        runtime.close()
    finally:
        for p in processes.values():
            p.terminate()
            p.wait(timeout=30)
        for service in ("registry", "communication"):
            drop_database(settings, settings.database_name(service))
    print(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
