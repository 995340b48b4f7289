"""Feedback benchmark: cases filed through HTTP on PostgreSQL at a fixed rate, and the work queues
and statistics queried with a million cases stored, beside baselines measured in the same run
(bare PostgreSQL inserts, the filing use case without HTTP, the API's health route at the same
rate, a fixed piece of pure Python). Prints one JSON document.

The million cases are loaded straight into the read model (rows as the projection writes them,
statistics summed by the projection's own ``contribution``): what the queries read is the same,
and the projection's own rate is measured on the cases filed through HTTP, which the worker
projects while they arrive.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import load
from pydantic import SecretStr
from skeleton import _peak_mb, _spawn, baseline_postgres, baseline_python, deployment, pg_connect

from tothon_feedback.application import FeedbackApplication
from tothon_feedback.bootstrap import DEFINITION as FEEDBACK
from tothon_feedback.domain.levels import Level
from tothon_feedback.domain.submission import Channel, Submission
from tothon_feedback.readmodels.statistics import COUNTERS, contribution, month_of
from tothon_feedback.readmodels.tables import DIRECTORY, cases
from tothon_feedback.readmodels.tables import statistics as statistics_table
from tothon_shared.auth.http import token_issuer_for
from tothon_shared.auth.principal import Grant, Principal
from tothon_shared.auth.roles import Role
from tothon_shared.messaging.kafka_bus import KafkaTransport
from tothon_shared.messaging.provision import provision
from tothon_shared.privacy.keys import new_master_key
from tothon_shared.runtime.pgsetup import drop_database
from tothon_shared.runtime.service import ServiceRuntime
from tothon_shared.runtime.settings import Settings
from tothon_shared.runtime.telemetry import setup_logging

SERVICES = ("registry", "feedback")
REGISTRY_PORT, FEEDBACK_PORT = 8811, 8821
# Category codes of the defaults by the level that handles them, as residents pick them.
CATEGORIES = ("sanitation", "neighbourhood", "other", "infrastructure", "security", "urban_order")
# How the million cases stand: most closed, a few open, some rejected or merged.
STATUSES = (
    ("closed", 0.70),
    ("resolved", 0.10),
    ("submitted", 0.05),
    ("accepted", 0.03),
    ("in_progress", 0.02),
    ("rejected", 0.05),
    ("merged", 0.05),
)
OPEN = {"submitted", "accepted", "in_progress"}
NOW = datetime.now(UTC)


class City:
    """A province of ``wards`` wards with ``groups`` groups each and a few households per group."""

    def __init__(self, wards: int, groups: int, households: int) -> None:
        self.city = uuid.uuid4()
        self.wards = [uuid.uuid4() for _ in range(wards)]
        self.groups = {ward: [uuid.uuid4() for _ in range(groups)] for ward in self.wards}
        self.ward_of = {g: w for w, gs in self.groups.items() for g in gs}
        self.households = {g: [uuid.uuid4() for _ in range(households)] for g in self.ward_of}

    def directory(self, runtime: ServiceRuntime) -> None:
        """The units and households, as the registry's events would have filled them in."""
        units: list[dict[str, Any]] = [_unit(self.city, "province", "Thành phố Đà Nẵng", None)]
        units += [_unit(w, "ward", f"Phường {n}", self.city) for n, w in enumerate(self.wards)]
        units += [
            _unit(g, "residential_group", f"Tổ {n}", w) for n, (g, w) in enumerate(self.ward_of.items())
        ]
        households = [
            {
                "household_id": h,
                "unit_id": g,
                "household_code": f"HO-{n}",
                "member_count": 4,
                "registered_on": date(2025, 8, 1),
            }
            for g, hs in self.households.items()
            for n, h in enumerate(hs)
        ]
        with runtime.store.transaction() as session:
            session.execute(DIRECTORY.units.insert(), units)
            session.execute(DIRECTORY.households.insert(), households)


def _unit(unit_id: uuid.UUID, kind: str, name: str, parent: uuid.UUID | None) -> dict[str, Any]:
    return {
        "unit_id": unit_id,
        "kind": kind,
        "name": name,
        "code": None,
        "parent_id": parent,
        "effective_from": date(2025, 7, 1),
        "effective_to": None,
        "successor_id": None,
    }


def _a_case(rng: random.Random, city: City, groups: list[uuid.UUID]) -> dict[str, Any]:
    group = rng.choice(groups)
    status = rng.choices([s for s, _ in STATUSES], [w for _, w in STATUSES])[0]
    level = rng.choices(["group", "ward", "city"], [0.6, 0.35, 0.05])[0]
    unit = {"group": group, "ward": city.ward_of[group], "city": city.city}[level]
    submitted = NOW - timedelta(days=rng.uniform(0, 365))
    arrived = submitted + timedelta(hours=rng.uniform(0, 48)) if level != "group" else submitted
    accept_by, resolve_by = arrived + timedelta(hours=8), arrived + timedelta(days=rng.choice((1, 3, 10)))
    resolved = status in {"resolved", "closed"}
    resolved_at = arrived + timedelta(days=rng.uniform(0.2, 12)) if resolved else None
    due = (accept_by if status == "submitted" else resolve_by) if status in OPEN else None
    if status in OPEN:  # open cases are recent: due from a few days ago to a week ahead
        due = NOW + timedelta(days=rng.uniform(-3, 7))
    escalations = 0 if level == "group" else rng.choice((0, 1))
    return {
        "case_id": uuid.uuid4(),
        "category": rng.choice(CATEGORIES),
        "status": status,
        "level": level,
        "unit_id": unit,
        "origin_unit_id": group,
        "channel": "online",
        "resident": str(uuid.uuid4()),
        "submitted_by": "bench",
        "text": "Rác tồn đọng đầu kiệt, đề nghị thu gom",
        "address": "",
        "latitude": None,
        "longitude": None,
        "name_public": False,
        "public_name": None,
        "attachments": [],
        "submitted_at": submitted,
        "arrived_at": arrived,
        "accept_by": accept_by,
        "resolve_by": resolve_by,
        "due": due,
        "assignee": None,
        "answer": "Đã xử lý" if resolved else None,
        "evidence": ["e" * 64] if resolved else [],
        "resolved_at": resolved_at,
        "resolved_on_time": resolved_at <= resolve_by if resolved_at else None,
        "closed_at": resolved_at if status == "closed" else None,
        "rating": rng.randint(1, 5) if status == "closed" else None,
        "escalations": escalations,
        "reopenings": rng.choice((0, 0, 0, 1)) if resolved else 0,
        "deadlines_missed": escalations if rng.random() < 0.5 else 0,
        "merged_into": None,
        "updated_at": resolved_at or arrived,
        "version": 3,
    }


def load_cases(runtime: ServiceRuntime, city: City, count: int) -> dict[str, float]:
    """``count`` cases into the read model, and their statistics as the projection sums them."""
    rng = random.Random(16)
    groups = list(city.ward_of)
    sums: dict[tuple[uuid.UUID, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    start = time.perf_counter()
    insert = cases.insert()
    for offset in range(0, count, 5000):
        rows = [_a_case(rng, city, groups) for _ in range(min(5000, count - offset))]
        for row in rows:
            counted = sums[(row["origin_unit_id"], month_of(row["submitted_at"]))]
            for name, value in contribution(row).items():
                counted[name] += value
        with runtime.store.transaction() as session:
            session.execute(insert, rows)
    with runtime.store.transaction() as session:
        session.execute(
            statistics_table.insert(),
            [{"origin_unit_id": u, "month": m, **counted} for (u, m), counted in sums.items()],
        )
    with pg_connect(runtime.settings, runtime.settings.database_name("feedback"), autocommit=True) as conn:
        conn.execute("ANALYZE feedback_cases")
        conn.execute("ANALYZE feedback_statistics")
    return {"cases_loaded": count, "cases_loaded_per_s": round(count / (time.perf_counter() - start), 1)}


def bare_filing(runtime: ServiceRuntime, city: City, count: int) -> dict[str, float]:
    """The filing use case in-process, one case a transaction: the floor under HTTP's rate."""
    app = runtime.app
    assert isinstance(app, FeedbackApplication)
    group = next(iter(city.ward_of))
    parents = {g: w for g, w in city.ward_of.items()} | {w: city.city for w in city.wards}
    start = time.perf_counter()
    for n in range(count):
        submission = Submission(
            f"bench-{n}", f"bench-{n}", Channel.ONLINE, f"Đèn đường hỏng số {n}", group, Level.GROUP
        )
        app.submit(uuid.uuid4(), submission, "sanitation", datetime.now(UTC), parents.get)
    return {"bare_filings_per_s": round(count / (time.perf_counter() - start), 1)}


def _tokens(settings: Settings, city: City, count: int) -> list[str]:
    """Access tokens of ``count`` residents, each bound to a household of the city."""
    issuer = token_issuer_for(settings)
    households = [(g, h) for g, hs in city.households.items() for h in hs]
    rng = random.Random(7)
    tokens = []
    for n in range(count):
        group, household = rng.choice(households)
        principal = Principal(uuid.uuid4(), f"bench-{n}", "Cư dân", (Grant(Role.RESIDENT, group),), household)
        tokens.append(issuer.issue(principal))
    return tokens


def _official(settings: Settings, role: Role, unit: uuid.UUID) -> str:
    principal = Principal(uuid.uuid4(), "bench-official", "Cán bộ", (Grant(role, unit),))
    return token_issuer_for(settings).issue(principal)


def _percentiles(outcome: load.Outcome, prefix: str, rate: int, seconds: int) -> dict[str, Any]:
    q = statistics.quantiles(outcome.latencies_ms, n=100) if len(outcome.latencies_ms) > 1 else [0.0] * 99
    return {
        f"{prefix}_rate_per_s": rate,
        f"{prefix}_sent": rate * seconds,
        f"{prefix}_ok": len(outcome.latencies_ms),
        f"{prefix}_failed": outcome.failures,
        f"{prefix}_p50_ms": round(q[49], 1),
        f"{prefix}_p99_ms": round(q[98], 1),
        f"{prefix}_max_ms": round(max(outcome.latencies_ms, default=0.0), 1),
        **({f"{prefix}_refused": outcome.refused} if outcome.refused else {}),
    }


WARMUP = 3  # seconds of each load sent but not counted


def _drive(
    make: Callable[[int], bytes], rate: int, seconds: int, expect: int = 200, warmup: float = WARMUP
) -> load.Outcome:
    return asyncio.run(
        load.run("127.0.0.1", FEEDBACK_PORT, make, rate, seconds, expect=expect, warmup=warmup)
    )


def filing_load(tokens: list[str], rate: int, seconds: int) -> dict[str, Any]:
    """Residents file cases at ``rate`` a second through the API."""

    def file(n: int) -> bytes:
        body = {
            "category": CATEGORIES[n % len(CATEGORIES)],
            "text": f"Phản ánh số {n}: đèn đường trước nhà bị hỏng đã nhiều ngày",
            "address": f"Kiệt {n % 300} Lê Duẩn",
        }
        return load.request_bytes("POST", "/api/v1/feedback/cases", body, tokens[n % len(tokens)])

    return _percentiles(_drive(file, rate, seconds, expect=201), "filing", rate, seconds)


def _photo() -> bytes:
    """A phone photo of 1600 × 1200 with its camera's EXIF, as residents send them."""
    import io
    import random as r

    from PIL import Image

    rng = r.Random(5)
    image = Image.effect_noise((1600, 1200), 40).convert("RGB")
    image.paste((rng.randrange(256), 90, 60), (0, 0, 800, 600))
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Samsung", "Galaxy A55"
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def photo_load(tokens: list[str], rate: int, seconds: int) -> dict[str, Any]:
    """Residents upload a phone photo each, then file a case citing it, at ``rate`` a second."""
    photo = _photo()

    def upload(n: int) -> bytes:
        head = (
            f"POST /api/v1/feedback/attachments HTTP/1.1\r\nHost: bench\r\nContent-Type: image/jpeg\r\n"
            f"Authorization: Bearer {tokens[n % len(tokens)]}\r\nContent-Length: {len(photo)}\r\n\r\n"
        ).encode()
        return head + photo

    # As many uploads as filings (their warm-up included), every one counted: filing n cites upload n.
    uploads = _drive(upload, rate, seconds + WARMUP, expect=201, warmup=0)
    shas = {n: body["sha256"] for n, body in uploads.bodies.items() if n >= 0}  # below 0: a refusal

    def file(n: int) -> bytes:
        sha = shas.get(n) or next(iter(shas.values()))  # a failed upload: cite another
        body = {"category": "sanitation", "text": f"Phản ánh có ảnh số {n}", "attachments": [sha]}
        return load.request_bytes("POST", "/api/v1/feedback/cases", body, tokens[n % len(tokens)])

    filed = _drive(file, rate, seconds, expect=201)
    return {
        "photo_bytes": len(photo),
        **_percentiles(uploads, "photo_upload", rate, seconds + WARMUP),
        **_percentiles(filed, "photo_filing", rate, seconds),
    }


def query_loads(settings: Settings, city: City, rate: int, seconds: int) -> dict[str, Any]:
    """Each query at ``rate`` a second: a group's queue, a ward's with its groups, a ward's and the
    city's statistics for a year, and the health route as the floor of the API itself."""
    rng = random.Random(3)
    groups = list(city.ward_of)
    leaders = {g: _official(settings, Role.GROUP_LEADER, g) for g in rng.sample(groups, min(50, len(groups)))}
    wards = {w: _official(settings, Role.WARD_OFFICIAL, w) for w in city.wards}
    year = f"first={NOW.year - 1}-{NOW.month:02d}&last={NOW.year}-{NOW.month:02d}"
    stats = "/api/v1/feedback/public/statistics?unit_id="
    picked = list(leaders)
    queries: dict[str, Callable[[int], bytes]] = {
        "health": lambda n: load.request_bytes("GET", "/healthz"),
        "queue_group": lambda n: load.request_bytes(
            "GET",
            f"/api/v1/feedback/queue?unit_id={picked[n % len(picked)]}",
            None,
            leaders[picked[n % len(picked)]],
        ),
        "queue_ward_below": lambda n: load.request_bytes(
            "GET",
            f"/api/v1/feedback/queue?unit_id={city.wards[n % len(city.wards)]}&include_below=true",
            None,
            wards[city.wards[n % len(city.wards)]],
        ),
        "stats_ward": lambda n: load.request_bytes(
            "GET",
            f"{stats}{city.wards[n % len(city.wards)]}&{year}",
        ),
        "stats_city": lambda n: load.request_bytes("GET", f"{stats}{city.city}&{year}"),
    }
    results: dict[str, Any] = {}
    for name, make in queries.items():
        results |= _percentiles(_drive(make, rate, seconds), name, rate, seconds)
    return results


def keyed_by_registry(settings: Settings, env: dict[str, str], port: int) -> tuple[Settings, dict[str, str]]:
    """The deployment with the registry's API on ``port`` as the key set a service verifies tokens
    with: the bench signs tokens with the registry's key, as the registry would."""
    jwks = f"http://127.0.0.1:{port}/api/v1/auth/jwks.json"
    signing_key = SecretStr(env["TOTHON_TOKEN_SIGNING_KEY"])
    settings = settings.model_copy(update={"token_jwks_url": jwks, "token_signing_key": signing_key})
    return settings, env | {"TOTHON_TOKEN_JWKS_URL": jwks}


def _wait_ready(port: int) -> None:
    for _ in range(240):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz").status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"nothing ready on port {port}")


def projected(settings: Settings, expected: int, timeout: float) -> dict[str, float]:
    """Wait until the worker has projected ``expected`` cases; how long it took."""
    start = time.monotonic()
    with pg_connect(settings, settings.database_name("feedback"), autocommit=True) as conn:
        while time.monotonic() - start < timeout:
            (count,) = conn.execute("SELECT count(*) FROM feedback_cases").fetchone() or (0,)
            if count >= expected:
                break
            time.sleep(0.5)
    return {"projection_caught_up_s": round(time.monotonic() - start, 1), "cases_in_read_model": count}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--rate", type=int, default=300, help="cases filed a second through HTTP")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--query-rate", type=int, default=50)
    parser.add_argument("--photo-rate", type=int, default=20, help="photos uploaded (then cited) a second")
    parser.add_argument("--query-seconds", type=int, default=20)
    parser.add_argument("--api-workers", type=int, default=2)
    parser.add_argument("--wards", type=int, default=94)
    parser.add_argument("--groups", type=int, default=22, help="groups per ward")
    args = parser.parse_args()
    setup_logging("WARNING")

    prefix = f"benchfb{uuid.uuid4().hex[:6]}"
    settings, env = keyed_by_registry(*deployment(prefix, new_master_key()), REGISTRY_PORT)
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    provision(settings)
    results: dict[str, Any] = {"cases": args.cases, "wards": args.wards, "groups": args.wards * args.groups}
    processes = {}
    try:
        results |= baseline_python()
        results |= baseline_postgres(settings, 20_000)
        city = City(args.wards, args.groups, households=5)
        runtime = ServiceRuntime(FEEDBACK, settings, KafkaTransport(settings.kafka_bootstrap, "bench"))
        city.directory(runtime)
        results |= load_cases(runtime, city, args.cases)
        results |= bare_filing(runtime, city, 2000)
        runtime.close()
        processes["registry-api"] = _spawn(
            "registry", "api", env, workdir / "registry-api.log", "--port", str(REGISTRY_PORT)
        )
        _wait_ready(REGISTRY_PORT)
        processes["feedback-api"] = _spawn(
            "feedback",
            "api",
            env,
            workdir / "feedback-api.log",
            "--port",
            str(FEEDBACK_PORT),
            "--workers",
            str(args.api_workers),
        )
        processes["feedback-worker"] = _spawn("feedback", "worker", env, workdir / "feedback-worker.log")
        _wait_ready(FEEDBACK_PORT)
        tokens = _tokens(settings, city, 5000)
        results |= filing_load(tokens, args.rate, args.seconds)
        filed = results["filing_ok"] + int(args.rate * 3)  # the warm-up's cases are filed too
        results |= projected(settings, args.cases + 2000 + filed, timeout=300)
        results |= photo_load(tokens, args.photo_rate, args.seconds)
        results |= query_loads(settings, city, args.query_rate, args.query_seconds)
        results["peak_mb"] = {name: _peak_mb(p.pid) for name, p in processes.items()}
    finally:
        for p in processes.values():
            p.terminate()
            p.wait(timeout=30)
        for service in SERVICES:
            drop_database(settings, settings.database_name(service))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
