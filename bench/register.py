"""The person-centric register at city scale: a generated city (1.2 million residents by default)
imported group by group through the product's own import (sheet parsing, row validation, batched
saves with per-person sealing) into PostgreSQL; the read model projected by the registry's worker;
then household lookups and name searches at a fixed rate against the registry's API, over the
whole city. Baselines in the same run: raw PostgreSQL inserts and bare ``eventsourcing`` saves.
Prints one JSON document.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import load
from city import City
from skeleton import (
    _field,
    _peak_mb,
    _spawn,
    baseline_postgres,
    baseline_python,
    deployment,
    fill_registry,
    pg_connect,
)

from tothon_registry.application import RegistryApplication
from tothon_registry.bootstrap import DEFINITION as REGISTRY
from tothon_registry.domain.unit import UnitKind
from tothon_registry.imports import job
from tothon_registry.imports.households import plan
from tothon_registry.imports.sheet import read_sheet
from tothon_shared.auth.principal import Grant, Principal
from tothon_shared.auth.roles import Role
from tothon_shared.eventstore.context import acting_as
from tothon_shared.kernel.text import fold
from tothon_shared.messaging.kafka_bus import KafkaTransport
from tothon_shared.messaging.provision import provision
from tothon_shared.privacy.keys import new_master_key
from tothon_shared.runtime.pgsetup import drop_database
from tothon_shared.runtime.service import ServiceRuntime
from tothon_shared.runtime.settings import Settings
from tothon_shared.runtime.telemetry import setup_logging

REFORM = date(2025, 7, 1)
GROUPS_PER_WARD = 60  # Đà Nẵng: about 2,900 groups and villages in 56 wards and communes before 2025
PORT = 8812


def _rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def write_city(residents: int, folder: Path) -> list[dict[str, Any]]:
    """Generate the city's groups as the sheets their leaders would upload (not timed)."""
    sheets = []
    for group in City(residents).groups():
        path = folder / f"group-{group.number:05d}.csv"
        path.write_bytes(group.sheet)
        sheets.append(
            {
                "number": group.number,
                "path": str(path),
                "people": group.people,
                "households": group.households,
            }
        )
    return sheets


def establish_units(app: RegistryApplication, sheets: list[dict[str, Any]]) -> uuid.UUID:
    """The city, its wards and a unit for each group's sheet (stored in the sheet's entry)."""
    actor = uuid.uuid4()
    with acting_as(str(actor), reason="benchmark"):
        city = app.establish_unit(UnitKind.PROVINCE, "Thành phố Đà Nẵng", "48", "vn-2025", None, REFORM)
        ward = city
        for sheet in sheets:
            number = sheet["number"]
            if (number - 1) % GROUPS_PER_WARD == 0:
                ward = app.establish_unit(
                    UnitKind.WARD, f"Phường {number // GROUPS_PER_WARD + 1}", None, None, city, REFORM
                )
            sheet["unit_id"] = str(
                app.establish_unit(
                    UnitKind.RESIDENTIAL_GROUP, f"Tổ dân phố {number}", None, None, ward, REFORM
                )
            )
    return city


def import_share(settings: Settings, sheets: list[dict[str, Any]]) -> dict[str, Any]:
    """One importing process: its share of the sheets, one after another, through the product's
    own import (parse, validate, batched saves with per-person sealing)."""
    runtime = ServiceRuntime(REGISTRY, settings, KafkaTransport(settings.kafka_bootstrap, "bench"))
    app = runtime.app
    assert isinstance(app, RegistryApplication)
    actor = uuid.uuid4()
    parse_s = save_s = 0.0
    for sheet in sheets:
        began = time.perf_counter()
        read = read_sheet(Path(sheet["path"]).read_bytes(), "so-ho.csv")
        planned = plan(read)
        assert not planned.errors, planned.errors[:3]
        parsed = time.perf_counter()
        import_id, unit = uuid.uuid4(), uuid.UUID(sheet["unit_id"])
        job.start(runtime.store, import_id, unit, "so-ho.csv", actor, planned, len(read.rows))
        job.run(app, runtime.store, import_id, unit, actor, planned)
        save_s += time.perf_counter() - parsed
        parse_s += parsed - began
    runtime.close()
    return {"parse_validate_s": parse_s, "register_s": save_s, "peak_mb": _rss_mb()}


def import_city(
    runtime: ServiceRuntime, settings: Settings, residents: int, importers: int, folder: Path
) -> dict[str, Any]:
    """Generate the city, then import it in ``importers`` processes at once, as uploads from many
    group leaders reach the registry's API replicas."""
    app = runtime.app
    assert isinstance(app, RegistryApplication)
    sheets = write_city(residents, folder)
    city = establish_units(app, sheets)
    shares = [sheets[i::importers] for i in range(importers)]
    start = time.perf_counter()
    with ProcessPoolExecutor(importers, mp_context=multiprocessing.get_context("spawn")) as pool:
        done = list(pool.map(import_share, [settings] * importers, shares))
    seconds = time.perf_counter() - start
    people = sum(s["people"] for s in sheets)
    return {
        "residents": people,
        "households": sum(s["households"] for s in sheets),
        "groups": len(sheets),
        "importers": importers,
        "import_seconds": round(seconds, 1),
        "import_residents_per_s": round(people / seconds, 1),
        "import_parse_validate_s": [round(d["parse_validate_s"], 1) for d in done],
        "import_register_s": [round(d["register_s"], 1) for d in done],
        "import_process_peak_mb": [d["peak_mb"] for d in done],
        "city_id": str(city),
    }


def project(
    settings: Settings, env: dict[str, str], workdir: Path
) -> tuple[subprocess.Popen[bytes], dict[str, Any]]:
    """Start the registry's worker and time its projection of the whole event store."""
    database = settings.database_name("registry")
    with pg_connect(settings, database, autocommit=True) as conn:
        total = conn.execute("SELECT max(notification_id) FROM registry_events").fetchone()[0]  # type: ignore[index]
    worker = _spawn("registry", "worker", env, workdir / "registry-worker.log")
    start = time.perf_counter()
    position = 0
    with pg_connect(settings, database, autocommit=True) as conn:
        while position < total:
            time.sleep(2)
            row = conn.execute("SELECT position FROM positions WHERE name = 'registry-lookup'").fetchone()
            position = row[0] if row else 0
            if worker.poll() is not None:
                raise RuntimeError("the registry worker stopped; see registry-worker.log")
    seconds = time.perf_counter() - start
    return worker, {
        "projected_events": total,
        "projection_seconds": round(seconds, 1),
        "projection_events_per_s": round(total / seconds, 1),
        "worker_peak_mb": _peak_mb(worker.pid),
    }


def _sample(settings: Settings, query: str) -> list[Any]:
    with pg_connect(settings, settings.database_name("registry")) as conn:
        return [r[0] for r in conn.execute(query).fetchall()]


def _percentiles(outcome: load.Outcome, sent: int) -> dict[str, Any]:
    if len(outcome.latencies_ms) < 2:
        return {"sent": sent, "ok": len(outcome.latencies_ms), "failed": outcome.failures}
    q = statistics.quantiles(outcome.latencies_ms, n=100)
    return {
        "sent": sent,
        "ok": len(outcome.latencies_ms),
        "failed": outcome.failures,
        "p50_ms": round(q[49], 1),
        "p95_ms": round(q[94], 1),
        "p99_ms": round(q[98], 1),
        "max_ms": round(max(outcome.latencies_ms), 1),
    }


def reads(
    settings: Settings, token: str, city: str, api_pid: int, rate: int, seconds: int, warmup: float
) -> dict[str, Any]:
    """Household lookups, then name searches over the whole city, at ``rate`` a second each, each
    after ``warmup`` seconds of the same load not counted; with the CPU each request cost."""
    # The same sample in every run on a city (an order by hash, not random()): runs differ by the
    # code and the machine, not by which names they searched.
    homes = _sample(
        settings, "SELECT household_id FROM households ORDER BY md5(household_id::text) LIMIT 5000"
    )
    names = _sample(settings, "SELECT full_name FROM persons ORDER BY md5(person_id::text) LIMIT 5000")
    rng = random.Random(7)
    searches = []
    for name in names:
        words = fold(name).split()
        # What officials type: the whole name without tones, the given and family names, or the
        # starts of words.
        searches.append(
            rng.choice([" ".join(words), f"{words[-1]} {words[0]}", " ".join(w[:3] for w in words)])
        )

    def lookup(n: int) -> bytes:
        return load.request_bytes("GET", f"/api/v1/households/{homes[n % len(homes)]}", token=token)

    def search(n: int) -> bytes:
        query = httpx.QueryParams({"unit_id": city, "purpose": "contact", "q": searches[n % len(searches)]})
        return load.request_bytes("GET", f"/api/v1/persons?{query}", token=token)

    def mark() -> tuple[float, float, float, load.MachineCpu]:
        return load.tree_cpu_seconds(api_pid), _postgres_cpu(settings), time.process_time(), load.MachineCpu()

    def run(make: Callable[[int], bytes]) -> tuple[load.Outcome, dict[str, Any]]:
        outcome = asyncio.run(load.run("127.0.0.1", PORT, make, rate, seconds, warmup=warmup, mark=mark))
        (api0, pg0, gen0, machine), (api1, pg1, gen1, _) = outcome.marks
        sent = rate * seconds
        cpu = {
            "api_ms": round((api1 - api0) * 1000 / sent, 2),
            "postgresql_ms": round((pg1 - pg0) * 1000 / sent, 2),
            "load_generator_ms": round((gen1 - gen0) * 1000 / sent, 2),
        }
        measured = _percentiles(outcome, sent) | {"cpu_per_request": cpu, "machine_percent": machine.shares()}
        time.sleep(2)  # let any queue drain before the next load
        return outcome, measured

    _, looked_up = run(lookup)
    found, searched = run(search)
    hits = [len(b["items"]) for b in found.bodies.values() if b]
    return {
        "rate_per_s": rate,
        "seconds": seconds,
        "warmup_seconds": warmup,
        "household_lookup": looked_up,
        "name_search_city_wide": searched | {"mean_results": round(statistics.mean(hits), 1) if hits else 0},
        "search_examples": searches[:5],
    }


def _postgres_cpu(settings: Settings) -> float:
    """CPU seconds of the PostgreSQL server: every process of it (connections, WAL writer,
    checkpointer, autovacuum), those ended included."""
    with pg_connect(settings, settings.database_name("registry"), autocommit=True) as conn:
        backend = conn.execute("SELECT pg_backend_pid()").fetchone()
        assert backend is not None
        postmaster = load.parent_of(int(backend[0]))  # while the connection lives
    return load.tree_cpu_seconds(postmaster)


def _official(app: RegistryApplication, city: uuid.UUID) -> tuple[str, str]:
    """A city official (reads households across the city); returns username and password."""
    password = secrets.token_urlsafe(16)
    with acting_as("benchmark", reason="benchmark"):
        account = app.open_account("thanhpho", "Cán bộ thành phố", password, None, "benchmark")
        installer = Principal(uuid.UUID(int=0), "bench", "bench", (Grant(Role.CITY_IT_ADMIN, city),))
        app.assign_role(installer, account, Role.CITY_OFFICIAL, city, "benchmark")
    return "thanhpho", password


def build(
    settings: Settings,
    baseline: Settings,
    env: dict[str, str],
    workdir: Path,
    residents: int,
    importers: int,
    baseline_events: int,
    processes: list[subprocess.Popen[bytes]],
) -> dict[str, Any]:
    """Baselines, the city's import and its projection (the worker is left running)."""
    results: dict[str, Any] = baseline_postgres(baseline, baseline_events)
    bench_runtime = ServiceRuntime(REGISTRY, baseline, KafkaTransport(settings.kafka_bootstrap, "bench"))
    assert isinstance(bench_runtime.app, RegistryApplication)
    results |= fill_registry(bench_runtime.app, baseline_events)[1]
    bench_runtime.close()

    runtime = ServiceRuntime(REGISTRY, settings, KafkaTransport(settings.kafka_bootstrap, "bench"))
    app = runtime.app
    assert isinstance(app, RegistryApplication)
    results |= import_city(runtime, settings, residents, importers, workdir)
    username, password = _official(app, uuid.UUID(results["city_id"]))
    runtime.close()

    worker, projected = project(settings, env, workdir)
    processes.append(worker)
    results |= projected
    results |= {"username": username, "password": password}
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=1_200_000)
    parser.add_argument("--rates", default="200", help="request rates to try, comma-separated: 50,100,200")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument(
        "--warmup", type=float, default=5.0, help="seconds of each load sent first and not counted"
    )
    parser.add_argument("--api-workers", type=int, default=2)
    parser.add_argument("--importers", type=int, default=2, help="processes importing at once")
    parser.add_argument("--baseline-events", type=int, default=50_000)
    parser.add_argument(
        "--keep", type=Path, help="keep the city's database and write how to reach it to this file"
    )
    parser.add_argument(
        "--reads-only", type=Path, help="only the read load, on a city kept by an earlier --keep run"
    )
    args = parser.parse_args()
    setup_logging("WARNING")  # the services' logs to stderr: stdout carries the results' JSON

    kept = json.loads(args.reads_only.read_text()) if args.reads_only else {}
    prefix = kept.get("prefix") or f"reg{uuid.uuid4().hex[:6]}"
    master_key = kept.get("master_key") or new_master_key()
    settings, env = deployment(prefix, master_key)
    baseline = settings.model_copy(update={"pg_database_prefix": prefix + "b"})
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    provision(settings)
    results: dict[str, Any] = {"machine": {"cores": os.cpu_count()}}
    processes: list[subprocess.Popen[bytes]] = []
    try:
        results |= baseline_python()
        if args.reads_only:
            # The build's baselines are not measured again: only PostgreSQL's, quickly.
            results |= baseline_postgres(baseline, 20_000)
            results |= {"city_id": kept["city_id"], "residents": kept["residents"]}
            username, password = kept["username"], kept["password"]
        else:
            results |= build(
                settings,
                baseline,
                env,
                workdir,
                args.residents,
                args.importers,
                args.baseline_events,
                processes,
            )
            username, password = results.pop("username"), results.pop("password")
        if args.keep:
            args.keep.write_text(
                json.dumps(
                    {
                        "prefix": prefix,
                        "master_key": master_key,
                        "city_id": results["city_id"],
                        "residents": results["residents"],
                        "username": username,
                        "password": password,
                    }
                )
            )
        # What autovacuum does within minutes of a bulk load: the visibility map lets the name
        # index answer from itself, and fresh statistics guide the plans.
        with pg_connect(settings, settings.database_name("registry"), autocommit=True) as conn:
            conn.execute("VACUUM (ANALYZE)")
        api_log = workdir / "registry-api.log"
        api = _spawn("registry", "api", env, api_log, "--port", str(PORT), "--workers", str(args.api_workers))
        processes.append(api)
        for _ in range(120):
            try:
                if httpx.get(f"http://127.0.0.1:{PORT}/readyz").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        session = httpx.post(
            f"http://127.0.0.1:{PORT}/api/v1/auth/sign-in", json={"username": username, "password": password}
        )
        session.raise_for_status()
        token = session.json()["access_token"]
        # Each phase's numbers go to stderr as they come: a later phase that fails keeps them.
        print(json.dumps(results), file=sys.stderr, flush=True)
        results["reads"] = []
        for rate in args.rates.split(","):
            results["reads"].append(
                reads(settings, token, results["city_id"], api.pid, int(rate), args.seconds, args.warmup)
            )
            print(json.dumps(results["reads"][-1]), file=sys.stderr, flush=True)
        results["api_peak_mb"] = _peak_mb(api.pid)
        results["api_status_vmhwm_kb"] = _field(Path(f"/proc/{api.pid}/status"), "VmHWM")
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=60)
        drop_database(baseline, baseline.database_name("registry"))
        if args.keep or args.reads_only:
            print(f"kept database {settings.database_name('registry')}", file=sys.stderr)
        else:
            drop_database(settings, settings.database_name("registry"))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
