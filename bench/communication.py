"""Communication benchmark: a city-wide notice to 850,000 households published (its cost beside a
group's, to show it does not grow with the audience), household feeds read through HTTP,
acknowledgements through HTTP at a fixed rate, and an emergency in a ward of 10,000 households
that every household answers through HTTP while the ward's board is read twice a second (how far
behind the answers it is), on PostgreSQL, beside baselines measured in the same run (the API's
health route at the same rate, bare PostgreSQL inserts, a fixed piece of pure Python). Prints one
JSON document.

The city's households are put straight into the directory, as the registry's events would have:
what a feed reads is the same, and filling it is not what is measured."""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import threading
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
from tothon_communication.domain.emergency import Hazard
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


def _ward_of_at_least(city: City, households: int) -> uuid.UUID:
    """The first ward, its groups grown to ``households`` households in all (a ward after the
    2025 mergers holds about that many)."""
    ward = city.wards[0]
    groups = city.groups[ward]
    short = households - sum(len(city.households[g]) for g in groups)
    for n in range(max(0, short)):
        city.households[groups[n % len(groups)]].append(uuid.uuid4())
    return ward


class BoardWatch(threading.Thread):
    """The ward's board read every ``every`` seconds as its official would: when each read began,
    what it took, and how many households it counted as answered."""

    def __init__(self, url: str, token: str, every: float) -> None:
        super().__init__(daemon=True)
        self.url, self.token, self.every = url, token, every
        self.reads: list[tuple[float, float, int]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        with httpx.Client(headers={"Authorization": f"Bearer {self.token}"}, timeout=30) as client:
            while not self.stop.is_set():
                began = time.time()
                board = client.get(self.url).json()
                took = (time.time() - began) * 1000
                self.reads.append((began, took, sum(u["safe"] + u["needs_help"] for u in board["units"])))
                self.stop.wait(max(0.0, self.every - (time.time() - began)))


def emergency_load(
    settings: Settings, city: City, ward: uuid.UUID, emergency: uuid.UUID, rate: int, pids: dict[str, int]
) -> dict[str, Any]:
    """Every household of ``ward`` answers the emergency through HTTP at ``rate`` a second (one in
    ten needing help, with a note), while the ward's board is read twice a second: how long all
    the answers took, and how far behind the answers each read of the board was — the time since
    the first answer it did not count was recorded (zero when it counted every answer so far)."""
    households = [(g, h) for g in city.groups[ward] for h in city.households[g]]
    issuer = token_issuer_for(settings)
    tokens = [
        issuer.issue(Principal(uuid.uuid4(), "s", "Cư dân", (Grant(Role.RESIDENT, g),), household_id=h))
        for g, h in households
    ]

    def answer(n: int) -> bytes:
        _, household = households[n]
        body: dict[str, Any] = {"household_id": str(household), "status": "safe"}
        if n % 10 == 0:
            body = {"household_id": str(household), "status": "needs_help", "note": "Nhà ngập, cần di dời"}
        return load.request_bytes("POST", f"/api/v1/emergencies/{emergency}/check-ins", body, tokens[n])

    def mark() -> tuple[dict[str, float], load.MachineCpu]:
        spent = {name: load.tree_cpu_seconds(pid) for name, pid in pids.items()}
        return spent | {"postgresql": _postgres_cpu(settings)}, load.MachineCpu()

    official = _official(settings, Role.WARD_OFFICIAL, ward)
    watch = BoardWatch(
        f"http://127.0.0.1:{PORT}/api/v1/emergencies/{emergency}/board?unit_id={ward}&limit=50", official, 0.5
    )
    watch.start()
    begin = time.time()
    outcome = asyncio.run(
        load.run("127.0.0.1", PORT, answer, rate, len(households) / rate, expect=200, mark=mark)
    )
    answered = time.time() - begin
    # The board's reads until it counts every answer (or 30 s more).
    deadline = time.time() + 30
    while time.time() < deadline and (not watch.reads or watch.reads[-1][2] < len(outcome.latencies_ms)):
        time.sleep(0.2)
    watch.stop.set()
    watch.join()
    done = sorted(
        outcome.scheduled[n] + ms / 1000
        for n, ms in zip(outcome.scheduled, outcome.latencies_ms, strict=True)
    )
    behind = []
    for began, _took, counted in watch.reads:
        recorded = sum(1 for t in done if t <= began)
        behind.append(began - done[counted] if counted < recorded else 0.0)
    (before, machine), (after, _) = outcome.marks
    count = len(households)
    return _percentiles(outcome, "checkin", rate, round(len(households) / rate)) | {
        "checkin_households": count,
        "checkin_all_answered_s": round(answered, 1),
        "checkin_cpu_ms_each": {
            name: round((after[name] - before[name]) * 1000 / count, 2) for name in before
        },
        "checkin_machine_percent": machine.shares(),
        "board_reads": len(watch.reads),
        "board_behind_p99_s": round(sorted(behind)[int(0.99 * (len(behind) - 1))], 2) if behind else None,
        "board_behind_max_s": round(max(behind), 2) if behind else None,
        "board_read_p50_ms": round(statistics.median(t for _, t, _ in watch.reads), 1),
        "board_read_max_ms": round(max(t for _, t, _ in watch.reads), 1),
        "board_final_counted": watch.reads[-1][2] if watch.reads else 0,
    }


def round_load(
    settings: Settings,
    city: City,
    notice: uuid.UUID,
    batch: int,
    rate: int,
    seconds: int,
    pids: dict[str, int],
) -> dict[str, Any]:
    """Group leaders record their rounds with the loudspeaker: ``rate`` requests a second, each
    ``batch`` households of one group told at once, through HTTP; acknowledgements a second and
    the CPU time each cost."""
    groups = [g for g in city.households if len(city.households[g]) >= batch]
    rounds = [
        (g, city.households[g][start : start + batch])
        for g in groups
        for start in range(0, len(city.households[g]) - batch + 1, batch)
    ]
    rounds = random.Random(23).sample(rounds, min(len(rounds), int(rate * (seconds + WARMUP)) + 10))
    tokens = {g: _official(settings, Role.GROUP_LEADER, g) for g, _ in rounds}

    def told(n: int) -> bytes:
        group, households = rounds[n]
        body = {"household_ids": [str(h) for h in households], "means": "loudspeaker"}
        return load.request_bytes(
            "POST", f"/api/v1/announcements/{notice}/acknowledgements/batch", body, tokens[group]
        )

    def mark() -> tuple[dict[str, float], load.MachineCpu]:
        spent = {name: load.tree_cpu_seconds(pid) for name, pid in pids.items()}
        return spent | {"postgresql": _postgres_cpu(settings)}, load.MachineCpu()

    begin = time.perf_counter()
    # Few connections: at ten requests a second, 64 kept-alive connections would each sit idle
    # past the server's keep-alive time and be closed under the next request.
    outcome = asyncio.run(
        load.run("127.0.0.1", PORT, told, rate, seconds, connections=4, expect=200, warmup=WARMUP, mark=mark)
    )
    took = time.perf_counter() - begin - WARMUP
    (before, machine), (after, _) = outcome.marks
    acks = rate * seconds * batch
    return _percentiles(outcome, "round", rate, seconds) | {
        "round_households": batch,
        "round_refused": {str(k): v for k, v in outcome.refused.items()},
        "round_refusal_bodies": {
            str(-k): v for k, v in outcome.bodies.items() if isinstance(k, int) and k < 0
        },
        "round_acks_per_s_served": round(len(outcome.latencies_ms) * batch / took, 1),
        "round_cpu_ms_each_ack": {
            name: round((after[name] - before[name]) * 1000 / acks, 3) for name in before
        },
        "round_machine_percent": machine.shares(),
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
    parser.add_argument("--ward-households", type=int, default=10_000)
    parser.add_argument("--checkin-rate", type=int, default=250)
    parser.add_argument("--round-households", type=int, default=100)
    parser.add_argument("--round-rate", type=int, default=10, help="rounds a second")
    parser.add_argument("--skip", nargs="*", default=[], choices=["feed", "ack", "checkin", "round"])
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
        ward = _ward_of_at_least(city, args.ward_households)
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
            # A second urgent notice for the leaders' rounds (households that acknowledged the
            # first on their own pages are not told again).
            rounds_notice = app.write_announcement(
                city.city,
                [],
                "Lịch tiêm chủng",
                "Mang theo sổ tiêm chủng.",
                Category.LOCAL_NOTICE,
                Priority.URGENT,
                datetime.now(UTC) - timedelta(minutes=1),
                None,
                "bench",
            ).id
            emergency = app.declare_emergency(
                ward,
                [],
                Hazard.FLOOD,
                "Lũ lớn",
                "Báo tình hình an toàn hay cần giúp.",
                "bench",
                datetime.now(UTC),
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
        ward_token = _official(settings, Role.WARD_OFFICIAL, ward)
        while time.monotonic() < deadline:  # and the emergency
            seen = httpx.get(
                f"http://127.0.0.1:{PORT}/api/v1/emergencies/{emergency}",
                headers={"Authorization": f"Bearer {ward_token}"},
                timeout=30,
            )
            if seen.status_code == 200:
                break
            time.sleep(1)
        health = asyncio.run(
            load.run("127.0.0.1", PORT, lambda n: load.request_bytes("GET", "/healthz"), args.ack_rate, 10)
        )
        results |= _percentiles(health, "health", args.ack_rate, 10)
        pids = {
            "communication_api": processes["communication-api"].pid,
            "communication_worker": processes["communication-worker"].pid,
        }
        if "feed" not in args.skip:
            results |= feed_load(settings, city, args.feed_rate, args.seconds)
        if "checkin" not in args.skip:
            results |= emergency_load(settings, city, ward, emergency, args.checkin_rate, pids)
        if "ack" not in args.skip:
            results |= acknowledgement_load(settings, city, urgent, args.ack_rate, args.seconds, pids)
        if "round" not in args.skip:
            results |= round_load(
                settings, city, rounds_notice, args.round_households, args.round_rate, args.seconds, pids
            )
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
