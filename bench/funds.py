"""Funds benchmark: contributions recorded through HTTP on PostgreSQL at a fixed rate, a bank
statement of 10,000 lines matched, and a city's report (850,000 households' contributions for a
year) built, beside baselines measured in the same run (bare PostgreSQL inserts, the recording use
case without HTTP, the API's health route at the same rate, a fixed piece of pure Python). Prints
one JSON document.

The contributions of the city's report are loaded straight into the read model (rows as the
books' projection writes them): what the report reads is the same; the projection's own pace is
seen on the contributions recorded through HTTP, which the worker projects while they arrive.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import random
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import load
from feedback import City, _official, _percentiles, _wait_ready, keyed_by_registry
from register import _postgres_cpu
from skeleton import _peak_mb, _spawn, baseline_postgres, baseline_python, deployment, pg_connect
from sqlalchemy import select

from tothon_funds.application import FundsApplication
from tothon_funds.bootstrap import DEFINITION as FUNDS
from tothon_funds.domain.books import FundBooks, Means
from tothon_funds.domain.fund import BankAccount
from tothon_funds.domain.levies import Basis, FundKind
from tothon_funds.domain.references import references_in
from tothon_funds.readmodels.report import area_summary, unit_report
from tothon_funds.readmodels.tables import expenses, funds, obligations, receipts
from tothon_shared.auth.roles import Role
from tothon_shared.eventstore.context import acting_as
from tothon_shared.messaging.kafka_bus import KafkaTransport
from tothon_shared.messaging.provision import provision
from tothon_shared.privacy.keys import new_master_key
from tothon_shared.runtime.pgsetup import drop_database
from tothon_shared.runtime.service import ServiceRuntime
from tothon_shared.runtime.settings import Settings
from tothon_shared.runtime.telemetry import setup_logging

PORT, REGISTRY_PORT = 8831, 8812
WARMUP = 3.0
ROUND = 20  # contributions of a collection round
BANK = BankAccount("970436", "0071000017017", "QUY BENCH")
YEAR = (date(2026, 1, 1), date(2026, 12, 31))
KINDS = ((FundKind.MANDATORY, "Quỹ phòng, chống thiên tai"), (FundKind.COMMUNITY, "Quỹ vệ sinh"))


def _app(runtime: ServiceRuntime) -> FundsApplication:
    app = runtime.app
    assert isinstance(app, FundsApplication)
    return app


def open_accounts(runtime: ServiceRuntime, city: City) -> dict[str, float]:
    """The households' accounts, as the registry's events would have opened them."""
    app, start, count = _app(runtime), time.perf_counter(), 0
    for group, households in city.households.items():
        for n, household in enumerate(households):
            app.open_account(household, group, f"HO-{n}", 4, date(2025, 8, 1), uuid.uuid4())
            count += 1
    return {
        "accounts_opened": count,
        "accounts_opened_per_s": round(count / (time.perf_counter() - start), 1),
    }


def open_funds(runtime: ServiceRuntime, city: City, groups: list[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    """A community fund in each of ``groups`` with a levy on its households: group -> fund."""
    app, made = _app(runtime), {}
    with acting_as("bench"):
        for group in groups:
            fund = app.open_fund(
                group, "Quỹ vệ sinh", FundKind.COMMUNITY, "bench", bank=BANK, resolution="Biên bản"
            )
            levy = app.announce_levy(fund, Basis.HOUSEHOLD, 120_000, *YEAR, "bench")
            app.impose(fund, levy, city.households[group])
            made[group] = fund
    return made


def bare_recording(
    runtime: ServiceRuntime, city: City, made: dict[uuid.UUID, uuid.UUID], count: int
) -> dict[str, float]:
    """The recording use case in-process, one contribution a transaction: the floor under HTTP."""
    app, pairs = _app(runtime), [(f, h) for g, f in made.items() for h in city.households[g]]
    at = datetime.now(UTC) - timedelta(hours=1)
    start = time.perf_counter()
    with acting_as("bench"):
        for n in range(count):
            fund, household = pairs[n % len(pairs)]
            app.record_payment(fund, household, 10_000, Means.CASH, at, "bench")
    return {"bare_recording_per_s": round(count / (time.perf_counter() - start), 1)}


def _drive(make: Any, rate: int, seconds: int, expect: int = 201, warmup: float = WARMUP) -> load.Outcome:
    return asyncio.run(load.run("127.0.0.1", PORT, make, rate, seconds, expect=expect, warmup=warmup))


def contribution_load(
    settings: Settings,
    city: City,
    made: dict[uuid.UUID, uuid.UUID],
    rate: int,
    seconds: int,
    pids: dict[str, int],
) -> dict[str, Any]:
    """Group leaders record cash contributions through HTTP, each in their group's fund; with the
    CPU time each contribution cost the API processes, the worker, PostgreSQL and the load
    generator (all on the same cores: what the machine's time went to)."""
    tokens = {g: _official(settings, Role.GROUP_LEADER, g) for g in made}
    pairs = [(g, f, h) for g, f in made.items() for h in city.households[g]]
    random.Random(17).shuffle(pairs)

    def record(n: int) -> bytes:
        group, fund, household = pairs[n % len(pairs)]
        body = {"household_id": str(household), "amount": 20_000, "means": "cash"}
        return load.request_bytes("POST", f"/api/v1/funds/{fund}/payments", body, tokens[group])

    health = _drive(lambda n: load.request_bytes("GET", "/healthz"), rate, 10, expect=200)
    return _recorded(settings, pids, record, rate, seconds, "contribution", 1) | _percentiles(
        health, "health", rate, 10
    )


def round_load(
    settings: Settings,
    city: City,
    made: dict[uuid.UUID, uuid.UUID],
    rate: int,
    seconds: int,
    pids: dict[str, int],
) -> dict[str, Any]:
    """Group leaders record collection rounds through HTTP, each their group's households at
    once, ``rate`` contributions a second in all."""
    tokens = {g: _official(settings, Role.GROUP_LEADER, g) for g in made}
    groups = list(made)
    random.Random(18).shuffle(groups)
    size = len(city.households[groups[0]])

    def record(n: int) -> bytes:
        group = groups[n % len(groups)]
        payments = [{"household_id": str(h), "amount": 20_000} for h in city.households[group]]
        return load.request_bytes(
            "POST", f"/api/v1/funds/{made[group]}/payments/round", {"payments": payments}, tokens[group]
        )

    return _recorded(settings, pids, record, max(1, rate // size), seconds, "round", size)


def _recorded(
    settings: Settings,
    pids: dict[str, int],
    record: Any,
    rate: int,
    seconds: int,
    prefix: str,
    each: int,
) -> dict[str, Any]:
    """A recording load's latencies, contributions a second, and the CPU time each contribution
    cost the API processes, the worker, PostgreSQL and the load generator (all on the same
    cores: what the machine's time went to)."""

    def mark() -> tuple[dict[str, float], load.MachineCpu]:
        spent = {name: load.tree_cpu_seconds(pid) for name, pid in pids.items()}
        return spent | {"postgresql": _postgres_cpu(settings), "load_generator": time.process_time()}, (
            load.MachineCpu()
        )

    begin = time.perf_counter()
    recorded = asyncio.run(
        load.run("127.0.0.1", PORT, record, rate, seconds, expect=201, warmup=WARMUP, mark=mark)
    )
    took = time.perf_counter() - begin - WARMUP
    (before, machine), (after, _) = recorded.marks
    count = rate * seconds * each
    cpu = {name: round((after[name] - before[name]) * 1000 / count, 2) for name in before}
    return _percentiles(recorded, prefix, rate, seconds) | {
        f"{prefix}_contributions_each": each,
        # Until the last answer: what was recorded a second, whatever was offered.
        f"{prefix}_contributions_per_s_served": round(len(recorded.latencies_ms) * each / took, 1),
        f"{prefix}_cpu_ms_each_contribution": cpu,
        f"{prefix}_machine_percent": machine.shares(),
    }


def statement_match(settings: Settings, runtime: ServiceRuntime, city: City, lines: int) -> dict[str, Any]:
    """A ward's fund whose statement has ``lines`` transfers (nine in ten carrying a household's
    reference, the rest to match by hand): read, matched and paid in through HTTP."""
    app = _app(runtime)
    ward = city.wards[0]
    households = [h for g in city.groups[ward] for h in city.households[g]]
    with acting_as("bench"):
        fund = app.open_fund(
            ward, "Quỹ khuyến học phường", FundKind.COMMUNITY, "bench", bank=BANK, resolution="NQ"
        )
        levy = app.announce_levy(fund, Basis.HOUSEHOLD, 50_000, *YEAR, "bench")
        app.impose(fund, levy, households)
    wait_for_rows(
        runtime, select(obligations.c.reference).where(obligations.c.fund_id == fund), len(households)
    )
    with runtime.store.engine.connect() as connection:
        references = [
            r
            for (r,) in connection.execute(
                select(obligations.c.reference).where(obligations.c.fund_id == fund)
            )
        ]
    rng = random.Random(3)
    out = io.StringIO()
    rows = csv.writer(out, delimiter=";")
    for line in ("NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM", "SAO KÊ TÀI KHOẢN", ""):
        rows.writerow([line])
    rows.writerow(
        ["STT", "Ngày giao dịch", "Số tham chiếu", "Số tiền ghi nợ", "Số tiền ghi có", "Số dư", "Mô tả"]
    )
    for n in range(lines):
        note = f"MBVCB.{n}.{rng.choice(references)}.CT tu NGUYEN VAN {n}" if n % 10 else f"ung ho lan {n}"
        rows.writerow([n + 1, f"{1 + n % 28:02d}/03/2026", f"FT26{n:08d}", "", "50.000", "0", note])
    content = out.getvalue().encode("utf-8-sig")
    token = _official(settings, Role.WARD_OFFICIAL, ward)
    started = time.perf_counter()
    response = httpx.post(
        f"http://127.0.0.1:{PORT}/api/v1/funds/{fund}/statements",
        params={"bank": "vietcombank", "filename": "sao-ke.csv"},
        content=content,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/octet-stream"},
        timeout=120,
    )
    seconds = time.perf_counter() - started
    assert response.status_code == 201, response.text
    body = response.json()
    # The same matching without HTTP, parsing or storing: what the reference search alone costs.
    descriptions = [f"MBVCB.{n}.{references[n % len(references)]}.CT" for n in range(lines)]
    start = time.perf_counter()
    found = sum(1 for d in descriptions if references_in(d))
    search_ms = (time.perf_counter() - start) * 1000
    return {
        "statement_lines": lines,
        "statement_bytes": len(content),
        "statement_households": len(households),
        "statement_seconds": round(seconds, 2),
        "statement_paid": len(body["paid"]),
        "statement_unmatched": len(body["unmatched"]),
        "statement_reference_search_ms": round(search_ms, 1),
        "statement_references_found": found,
    }


def wait_for_rows(runtime: ServiceRuntime, query: Any, count: int, timeout: float = 600) -> None:
    """Until the worker has projected ``count`` rows of ``query``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with runtime.store.engine.connect() as connection:
            if len(connection.execute(query).all()) >= count:
                return
        time.sleep(0.5)
    raise TimeoutError("the worker did not project in time")


def load_city_books(runtime: ServiceRuntime, city: City, households_per_group: int) -> dict[str, Any]:
    """A year of a city's contributions into the read model: two funds a group, each household
    paying each fund once or twice (some reversed), a few expenses a fund."""
    rng = random.Random(26)
    start, insert_receipts = time.perf_counter(), receipts.insert()
    fund_rows, expense_rows, batch = [], [], []
    count = 0
    base = datetime(2026, 1, 2, 2, tzinfo=UTC)
    for group in city.ward_of:
        # The group's households pay into both its funds.
        members = [uuid.uuid4() for _ in range(households_per_group)]
        for kind, name in KINDS:
            fund = uuid.uuid4()
            fund_rows.append(
                {
                    "fund_id": fund,
                    "books_id": FundBooks.create_id(fund),
                    "unit_id": group,
                    "name": name,
                    "kind": kind.value,
                    "resolution": "",
                    "bank_bin": None,
                    "bank_account": None,
                    "bank_holder": None,
                    "two_approvals_above": 5_000_000,
                    "names_public": False,
                    "closed_until": None,
                    "opened_at": base,
                }
            )
            for e in range(3):
                expense_rows.append(
                    {
                        "expense_id": uuid.uuid4(),
                        "fund_id": fund,
                        "amount": rng.randint(1, 50) * 10_000,
                        "purpose": f"Chi {e}",
                        "evidence": ["Hoá đơn"],
                        "proposer": "a",
                        "approvals_needed": 1,
                        "approvers": ["b"],
                        "status": "paid",
                        "reason": None,
                        "proposed_at": base,
                        "paid_at": base + timedelta(days=rng.randint(0, 330)),
                        "means": "cash",
                    }
                )
            for household in members:
                for _ in range(rng.choice((1, 1, 2))):
                    count += 1
                    batch.append(
                        {
                            "code": f"{count:010d}",
                            "entry_id": uuid.uuid4(),
                            "fund_id": fund,
                            "levy_id": None,
                            "number": f"2026-{count:06d}",
                            "household_id": household,
                            "amount": rng.choice((15_000, 45_000, 120_000)),
                            "means": rng.choice(("cash", "bank")),
                            "paid_at": base + timedelta(minutes=rng.randint(0, 480_000)),
                            "recorded_by": "bench",
                            "payer": None,
                            "void": rng.random() < 0.01,
                            "void_reason": None,
                        }
                    )
            if len(batch) >= 20_000:
                with runtime.store.transaction() as session:
                    session.execute(insert_receipts, batch)
                batch = []
    with runtime.store.transaction() as session:
        if batch:
            session.execute(insert_receipts, batch)
        session.execute(funds.insert(), fund_rows)
        session.execute(expenses.insert(), expense_rows)
    with pg_connect(runtime.settings, runtime.settings.database_name("funds"), autocommit=True) as conn:
        for table in ("funds_receipts", "funds", "funds_expenses", "directory_units"):
            conn.execute(f"ANALYZE {table}")
    return {
        "report_households": households_per_group * len(city.ward_of),
        "report_receipts": count,
        "report_loaded_s": round(time.perf_counter() - start, 1),
    }


def report_times(settings: Settings, runtime: ServiceRuntime, city: City) -> dict[str, Any]:
    """The city's summary for the year (in-process and through HTTP), a ward's, and a group's
    public report."""
    results: dict[str, Any] = {}
    for name, build in (
        ("city_summary", lambda: area_summary(runtime.store, city.city, *YEAR)),
        ("ward_summary", lambda: area_summary(runtime.store, city.wards[1], *YEAR)),
        ("group_report", lambda: unit_report(runtime.store, city.groups[city.wards[1]][0], *YEAR)),
    ):
        timings = []
        for _ in range(3):
            start = time.perf_counter()
            made = build()
            timings.append(time.perf_counter() - start)
        results[f"{name}_s"] = round(min(timings), 3)
        results[f"{name}_rows"] = len(made) if isinstance(made, list) else len(made["funds"])
    token = _official(settings, Role.CITY_OFFICIAL, city.city)
    start = time.perf_counter()
    response = httpx.get(
        f"http://127.0.0.1:{PORT}/api/v1/funds/summary",
        params={"unit_id": str(city.city), "from": "2026-01-01", "to": "2026-12-31"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=120,
    )
    assert response.status_code == 200, response.text
    results["city_summary_http_s"] = round(time.perf_counter() - start, 3)
    results["city_summary_income"] = sum(r["income"] for r in response.json())
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=int, default=500, help="contributions recorded a second through HTTP")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--statement-lines", type=int, default=10_000)
    parser.add_argument("--report-households", type=int, default=850_000)
    parser.add_argument("--api-workers", type=int, default=2)
    parser.add_argument("--wards", type=int, default=94)
    parser.add_argument("--groups", type=int, default=22, help="groups per ward")
    args = parser.parse_args()
    setup_logging("WARNING")

    prefix = f"benchfu{uuid.uuid4().hex[:6]}"
    # Officials' tokens are signed with the registry's key; the funds API fetches its key set.
    settings, env = keyed_by_registry(*deployment(prefix, new_master_key()), REGISTRY_PORT)
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    provision(settings)
    groups = args.wards * args.groups
    results: dict[str, Any] = {"wards": args.wards, "groups": groups}
    processes = {}
    try:
        results |= baseline_python()
        results |= baseline_postgres(settings, 20_000)
        # Five households a group take the contributions; the first ward's groups are large
        # enough (with them) that its fund's statement has 10,000 households' references to find.
        city = City(args.wards, args.groups, households=5)
        ward = city.wards[0]
        # The groups that record: twenty households each, a leader's evening round.
        recording_groups = [g for g in city.ward_of if city.ward_of[g] != ward][:500]
        for group in recording_groups:
            city.households[group] = [uuid.uuid4() for _ in range(ROUND)]
        for group in city.groups[ward]:
            city.households[group] = [uuid.uuid4() for _ in range(args.statement_lines // args.groups + 1)]
        runtime = ServiceRuntime(FUNDS, settings, KafkaTransport(settings.kafka_bootstrap, "bench"))
        city.directory(runtime)
        results |= open_accounts(runtime, city)
        made = open_funds(runtime, city, recording_groups)
        results |= bare_recording(runtime, city, made, 2000)
        processes["registry-api"] = _spawn(
            "registry", "api", env, workdir / "registry-api.log", "--port", str(REGISTRY_PORT)
        )
        _wait_ready(REGISTRY_PORT)
        processes["funds-worker"] = _spawn("funds", "worker", env, workdir / "funds-worker.log")
        processes["funds-api"] = _spawn(
            "funds",
            "api",
            env,
            workdir / "funds-api.log",
            "--port",
            str(PORT),
            "--workers",
            str(args.api_workers),
        )
        _wait_ready(PORT)
        pids = {"funds_api": processes["funds-api"].pid, "funds_worker": processes["funds-worker"].pid}
        results |= contribution_load(settings, city, made, args.rate, args.seconds, pids)
        results |= round_load(settings, city, made, args.rate, args.seconds, pids)
        results |= statement_match(settings, runtime, city, args.statement_lines)
        results |= load_city_books(runtime, city, max(1, args.report_households // groups))
        results |= report_times(settings, runtime, city)
        results["peak_mb"] = {name: _peak_mb(p.pid) for name, p in processes.items()}
        runtime.close()
    finally:
        for p in processes.values():
            p.terminate()
            p.wait(timeout=30)
        for service in ("registry", "funds"):
            drop_database(settings, settings.database_name(service))
    print(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
