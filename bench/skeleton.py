"""Walking-skeleton benchmark: relay throughput to Kafka, end-to-end latency over Kafka, and the
rate of rebuilding a read model, beside baselines measured in the same run (raw PostgreSQL inserts
and bare ``eventsourcing`` saves of the same rows). Prints one JSON document.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, datetime
from pathlib import Path
from typing import Any

import httpx
import load
import psycopg

from tothon_registry.application import RegistryApplication
from tothon_registry.bootstrap import DEFINITION as REGISTRY
from tothon_registry.domain.household import Household, Member
from tothon_registry.domain.unit import UnitKind
from tothon_shared.auth.keys import new_signing_key
from tothon_shared.contracts.registry import HouseholdRegistered
from tothon_shared.messaging.kafka_bus import KafkaTransport
from tothon_shared.messaging.provision import provision
from tothon_shared.privacy.keys import new_master_key
from tothon_shared.runtime.pgsetup import drop_database, ensure_database
from tothon_shared.runtime.service import ServiceRuntime
from tothon_shared.runtime.settings import Mode, Settings
from tothon_shared.runtime.telemetry import setup_logging

SERVICES = ("registry", "funds")
# Household events only: the members' person records (sealed per person) are not part of what
# this benchmark of the skeleton's relay and projection measures.
FAMILY = [
    Member(uuid.UUID(int=n), relationship) for n, relationship in enumerate(("head", "spouse", "child"))
]


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rate(n: int, seconds: float) -> float:
    return round(n / seconds, 1)


def pg_connect(settings: Settings, dbname: str, autocommit: bool = False) -> psycopg.Connection[Any]:
    """A plain connection to one of the deployment's databases."""
    return psycopg.connect(
        host=settings.pg_host,
        port=settings.pg_port,
        user=settings.pg_user,
        password=settings.pg_password,
        dbname=dbname,
        autocommit=autocommit,
    )


def baseline_python() -> dict[str, float]:
    """Milliseconds of one core for a fixed piece of pure Python (the best of three): how fast the
    machine is right now, beside request costs measured in the same run (this host's speed moves
    by more than half within an hour)."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        sum(i * i for i in range(2_000_000))
        best = min(best, time.process_time() - start)
    return {"python_reference_ms": round(best * 1000, 1)}


def baseline_postgres(settings: Settings, rows: int) -> dict[str, float]:
    """Raw inserts of 300-byte rows: one per transaction, and 500 per transaction."""
    db = settings.database_name("baseline")
    ensure_database(settings, db)
    payload = os.urandom(300)
    with pg_connect(settings, db) as conn:
        conn.execute("CREATE TABLE rows (id uuid PRIMARY KEY, state bytea NOT NULL)")
        conn.commit()
        single = min(rows // 10, 3000)
        start = time.perf_counter()
        for _ in range(single):
            conn.execute("INSERT INTO rows VALUES (%s, %s)", (uuid.uuid4(), payload))
            conn.commit()
        one = _rate(single, time.perf_counter() - start)
        start = time.perf_counter()
        with conn.cursor() as cursor:
            for offset in range(0, rows, 500):
                cursor.executemany(
                    "INSERT INTO rows VALUES (%s, %s)",
                    [(uuid.uuid4(), payload) for _ in range(min(500, rows - offset))],
                )
                conn.commit()
        batched = _rate(rows, time.perf_counter() - start)
    drop_database(settings, db)
    return {"pg_rows_per_s_one_per_tx": one, "pg_rows_per_s_500_per_tx": batched}


def fill_registry(app: RegistryApplication, events: int) -> tuple[uuid.UUID, dict[str, float]]:
    """A unit with ``events`` households, saved one per save (a sample) and 500 per save."""
    city = app.establish_unit(UnitKind.PROVINCE, "Thành phố Đà Nẵng", "48", "vn-2025", None, date(2025, 7, 1))
    ward = app.establish_unit(UnitKind.WARD, "Phường Hải Châu", "20242", "vn-2025", city, date(2025, 7, 1))
    group = app.establish_unit(
        UnitKind.RESIDENTIAL_GROUP, "Tổ dân phố 17", None, None, ward, date(2025, 7, 1)
    )
    sample = min(events // 10, 2000)
    start = time.perf_counter()
    for n in range(sample):
        app.save(Household.register(group, f"S-{n}", FAMILY, date(2025, 8, 1)))
    single = _rate(sample, time.perf_counter() - start)
    start = time.perf_counter()
    remaining = events - sample
    for offset in range(0, remaining, 500):
        app.save(
            *[
                Household.register(group, f"B-{offset + i}", FAMILY, date(2025, 8, 1))
                for i in range(min(500, remaining - offset))
            ]
        )
    batched = _rate(remaining, time.perf_counter() - start)
    return group, {"es_saves_per_s_one_aggregate": single, "es_events_per_s_500_per_save": batched}


async def relay_throughput(runtime: ServiceRuntime) -> dict[str, float]:
    """Drain the whole notification log to Kafka."""
    assert runtime.relay is not None
    await runtime.transport.start()
    try:
        start = time.perf_counter()
        relayed = await runtime.relay.drain()
        seconds = time.perf_counter() - start
    finally:
        await runtime.transport.stop()
    return {"relay_events": relayed, "relay_events_per_s": _rate(relayed, seconds)}


def decode_rate(runtime: ServiceRuntime) -> dict[str, float]:
    """Baseline for the rebuild: reading and decoding the whole notification log, writing nothing."""
    start, position, read = time.perf_counter(), 0, 0
    while page := runtime.log.read(position, 5000):
        position, read = page[-1].position, read + len(page)
    return {"log_read_decode_events_per_s": _rate(read, time.perf_counter() - start)}


def rebuild_rate(runtime: ServiceRuntime) -> dict[str, float]:
    """Drop and rebuild the registry's lookup tables from the event store."""
    start = time.perf_counter()
    rebuilt = runtime.projectors[0].rebuild()
    return {"rebuild_events": rebuilt, "rebuild_events_per_s": _rate(rebuilt, time.perf_counter() - start)}


def _spawn(service: str, role: str, env: dict[str, str], log: Path, *args: str) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", f"tothon_{service}", role, *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _peak_mb(pid: int) -> float:
    """Peak resident memory of a process, or of its largest child (uvicorn's worker processes)."""
    family = [pid] + [
        int(p.name)
        for p in Path("/proc").iterdir()
        if p.name.isdigit() and _field(p / "status", "PPid") == pid
    ]
    return round(max(_field(Path(f"/proc/{p}/status"), "VmHWM") for p in family) / 1024, 1)


def _field(status: Path, name: str) -> int:
    try:
        for line in status.read_text().splitlines():
            if line.startswith(f"{name}:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


async def _drive(port: int, unit_id: str, token: str, rate: int, seconds: int) -> load.Outcome:
    """Send ``rate`` household registrations a second to the registry's API."""

    def register(n: int) -> bytes:
        return load.request_bytes(
            "POST",
            "/api/v1/households",
            {
                "unit_id": unit_id,
                "code": f"E-{n}",
                "registered_on": "2026-11-01",
                "members": [{"full_name": "Lê Thị Hoa", "relationship": "head"}],
            },
            token,
        )

    return await load.run("127.0.0.1", port, register, rate, seconds, expect=201)


def _official_in_a_new_group(env: dict[str, str]) -> tuple[str, str]:
    """Bootstrap the province and its administrator, then a ward, a group and the ward's official;
    returns the group's id and the official's access token."""
    password = secrets.token_urlsafe(16)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tothon_registry",
            "bootstrap",
            "--province-name",
            "Thành phố Đà Nẵng",
            "--province-code",
            "48",
        ],
        env=env,
        input=password + "\n",
        capture_output=True,
        text=True,
        check=True,
    )
    province = done.stdout.split()[1]
    api = httpx.Client(base_url="http://127.0.0.1:8811", timeout=30)

    def sign_in(username: str) -> None:
        session = api.post("/api/v1/auth/sign-in", json={"username": username, "password": password})
        api.headers["Authorization"] = f"Bearer {session.json()['access_token']}"

    sign_in("admin")
    ward = api.post(
        "/api/v1/units",
        json={
            "kind": "ward",
            "name": "Phường Hải Châu",
            "parent_id": province,
            "effective_from": "2025-07-01",
        },
    ).json()["id"]
    official = api.post(
        "/api/v1/accounts", json={"username": "official", "display_name": "Cán bộ", "password": password}
    ).json()["id"]
    api.post(
        f"/api/v1/accounts/{official}/roles",
        json={"role": "ward_official", "unit_id": ward, "reason": "benchmark"},
    ).raise_for_status()
    sign_in("official")
    group = api.post(
        "/api/v1/units",
        json={
            "kind": "residential_group",
            "name": "Tổ dân phố 17",
            "parent_id": ward,
            "effective_from": "2025-07-01",
        },
    ).json()["id"]
    return str(group), api.headers["Authorization"].removeprefix("Bearer ")


def end_to_end(
    settings: Settings, env: dict[str, str], rate: int, seconds: int, workdir: Path, api_workers: int
) -> dict[str, Any]:
    """Command → registry event store → relay → Kafka → funds read model, at a steady rate."""
    processes = {
        "registry-api": _spawn(
            "registry",
            "api",
            env,
            workdir / "registry-api.log",
            "--port",
            "8811",
            "--workers",
            str(api_workers),
        ),
        "registry-worker": _spawn("registry", "worker", env, workdir / "registry-worker.log"),
        "funds-worker": _spawn("funds", "worker", env, workdir / "funds-worker.log"),
    }
    try:
        for _ in range(120):
            try:
                if httpx.get("http://127.0.0.1:8811/readyz").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        unit_id, token = _official_in_a_new_group(env)
        outcome = asyncio.run(_drive(8811, unit_id, token, rate, seconds))
        sent = {outcome.bodies[n]["id"]: at for n, at in outcome.scheduled.items()}
        wanted = {str(HouseholdRegistered.derive_id(uuid.UUID(h), 1)): h for h in sent}
        deadline = time.monotonic() + 120
        arrived: dict[str, float] = {}
        with pg_connect(settings, settings.database_name("funds"), autocommit=True) as conn:
            while len(arrived) < len(wanted) and time.monotonic() < deadline:
                rows = conn.execute(
                    "SELECT event_id, extract(epoch from processed_at) FROM processed_events"
                    " WHERE consumer = 'funds'"
                ).fetchall()
                arrived = {e: float(t) for e, t in rows if e in wanted}
                time.sleep(0.5)
            opened = _accounts_opened(conn, set(sent), deadline)
        latencies = sorted((arrived[e] - sent[h]) * 1000 for e, h in wanted.items() if e in arrived)
        account_latencies = sorted((opened[h] - at) * 1000 for h, at in sent.items() if h in opened)
        peaks = {name: _peak_mb(p.pid) for name, p in processes.items()}
    finally:
        for p in processes.values():
            p.terminate()
            p.wait(timeout=30)
    q = statistics.quantiles(latencies, n=100)
    return {
        "e2e_commands": rate * seconds,
        "e2e_accepted": len(sent),
        "e2e_failed": outcome.failures,
        "api_p50_ms": round(statistics.quantiles(outcome.latencies_ms, n=100)[49], 1),
        "api_p99_ms": round(statistics.quantiles(outcome.latencies_ms, n=100)[98], 1),
        "e2e_arrived": len(latencies),
        "e2e_rate_per_s": rate,
        "e2e_p50_ms": round(q[49], 1),
        "e2e_p95_ms": round(q[94], 1),
        "e2e_p99_ms": round(q[98], 1),
        "e2e_max_ms": round(latencies[-1], 1),
        # Further on: the funds use case that opens the household's account (its event's time).
        "e2e_accounts_opened": len(account_latencies),
        "e2e_account_p50_ms": round(statistics.quantiles(account_latencies, n=100)[49], 1),
        "e2e_account_p99_ms": round(statistics.quantiles(account_latencies, n=100)[98], 1),
        "peak_mb": peaks,
    }


def _accounts_opened(
    conn: psycopg.Connection[Any], households: set[str], deadline: float
) -> dict[str, float]:
    """When the funds service opened each household's account (its ``Opened`` event's time)."""
    opened: dict[str, float] = {}
    while len(opened) < len(households) and time.monotonic() < deadline:
        rows = conn.execute(
            "SELECT state FROM funds_events WHERE topic = 'funds:HouseholdAccount.Opened:v1'"
        ).fetchall()
        for (state,) in rows:
            event = json.loads(bytes(state))
            household = str(uuid.UUID(event["household_id"]["_data_"]))
            opened[household] = datetime.fromisoformat(event["timestamp"]["_data_"]).timestamp()
        opened = {h: t for h, t in opened.items() if h in households}
        time.sleep(0.5)
    return opened


def deployment(prefix: str, master_key: str) -> tuple[Settings, dict[str, str]]:
    """Settings of a fresh distributed deployment (its own topics and databases under ``prefix``)
    and the environment its service processes get."""
    signing_key = json.dumps(new_signing_key().as_dict(private=True))
    settings = Settings(
        personal_data_key=master_key,
        mode=Mode.DISTRIBUTED,
        topic_prefix=prefix,
        pg_database_prefix=prefix,
        relay_batch_size=5000,
        log_level="WARNING",
    )
    env = {
        **os.environ,
        "TOTHON_MODE": "distributed",
        "TOTHON_TOPIC_PREFIX": prefix,
        "TOTHON_PG_DATABASE_PREFIX": prefix,
        "TOTHON_TOKEN_SIGNING_KEY": signing_key,
        "TOTHON_PERSONAL_DATA_KEY": master_key,
        "TOTHON_LOG_LEVEL": "WARNING",
    }
    return settings, env


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--rate", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument(
        "--api-workers", type=int, default=2, help="registry API processes (k8s runs 2 replicas)"
    )
    args = parser.parse_args()
    setup_logging("WARNING")  # the services' logs to stderr: stdout carries the results' JSON

    prefix = f"bench{uuid.uuid4().hex[:6]}"
    settings, env = deployment(prefix, new_master_key())
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    provision(settings)
    results: dict[str, Any] = {"machine": {"cores": os.cpu_count()}, "events": args.events}
    try:
        results |= baseline_postgres(settings, args.events)
        runtime = ServiceRuntime(REGISTRY, settings, KafkaTransport(settings.kafka_bootstrap, "bench"))
        app = runtime.app
        assert isinstance(app, RegistryApplication)
        _group, saves = fill_registry(app, args.events)
        results |= saves
        results |= asyncio.run(relay_throughput(runtime))
        results |= decode_rate(runtime)
        results |= rebuild_rate(runtime)
        results["bench_process_peak_mb"] = round(_rss_mb(), 1)
        runtime.close()
        # A fresh deployment, so the consumer starts with no backlog.
        e2e = settings.model_copy(update={"topic_prefix": prefix + "e", "pg_database_prefix": prefix + "e"})
        provision(e2e)
        e2e_env = env | {
            "TOTHON_TOPIC_PREFIX": e2e.topic_prefix,
            "TOTHON_PG_DATABASE_PREFIX": e2e.pg_database_prefix,
        }
        results |= end_to_end(e2e, e2e_env, args.rate, args.seconds, workdir, args.api_workers)
    finally:
        for service in SERVICES:
            for s in (settings, settings.model_copy(update={"pg_database_prefix": prefix + "e"})):
                drop_database(s, s.database_name(service))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
