"""A projection that keeps failing on an event: the event is parked where an operator sees it, the
events of its aggregate wait behind it, everything else is projected, readiness and a metric raise
the alarm, and the operator's command replays the event after a fix or skips it with a reason.
Run on SQLite (embedded) and on PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.domain import Aggregate, event
from fastapi.testclient import TestClient
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader, NumberDataPoint
from sqlalchemy import Column, Integer, MetaData, String, Table, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from tothon_shared.eventstore.application import TothonApplication
from tothon_shared.eventstore.notification_log import LoggedEvent
from tothon_shared.http.web import create_service_api
from tothon_shared.messaging.local_bus import LocalLogBus
from tothon_shared.privacy.keys import new_master_key
from tothon_shared.readstore import projection_alarm
from tothon_shared.runtime import cli
from tothon_shared.runtime.cli import service_main
from tothon_shared.runtime.definition import ProjectionSpec, ServiceDefinition
from tothon_shared.runtime.pgsetup import drop_database
from tothon_shared.runtime.process import rebuild_offline
from tothon_shared.runtime.service import ServiceRuntime
from tothon_shared.runtime.settings import Mode, Settings

SERVICE = "lamps"


class Lamp(Aggregate):
    """A street lamp; one recorded without its street is the poison of these tests."""

    class Installed(Aggregate.Created):
        TOPIC = "test:StreetLampInstalled:v1"
        street: str | None

    @event(Installed)
    def __init__(self, street: str | None) -> None:
        self.street = street

    class Switched(Aggregate.Event):
        TOPIC = "test:StreetLampSwitched:v1"

    @event(Switched)
    def switch(self) -> None:
        pass


class Streets(TothonApplication):
    pass


metadata = MetaData()
lamps = Table(
    "lamps",
    metadata,
    Column("lamp_id", String(36), primary_key=True),
    Column("street", String(100), nullable=False),
    Column("switches", Integer, nullable=False),
)


def _apply(session: Session, batch: Sequence[LoggedEvent], unknown: str | None = None) -> None:
    for logged in batch:
        lamp_id = str(logged.event.originator_id)
        if isinstance(logged.event, Lamp.Installed):
            street = logged.event.street or unknown
            session.execute(lamps.insert().values(lamp_id=lamp_id, street=street, switches=0))
        else:
            session.execute(
                lamps.update().where(lamps.c.lamp_id == lamp_id).values(switches=lamps.c.switches + 1)
            )


def _fixed(session: Session, batch: Sequence[LoggedEvent]) -> None:
    """The projection as fixed after the failure: a lamp with no street is listed as unknown."""
    _apply(session, batch, unknown="(chưa rõ)")


DEFINITION = ServiceDefinition(
    name=SERVICE,
    title="Lamps",
    application=lambda env: Streets(env=env),
    metadata=metadata,
    routers=lambda runtime: [],
    projections=(ProjectionSpec("lamps", _apply, (lamps,)),),
)
FIXED = replace(DEFINITION, projections=(ProjectionSpec("lamps", _fixed, (lamps,)),))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """The embedded mode's SQLite files, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield Settings(data_dir=tmp_path)
        return
    config = Settings(
        mode=Mode.DISTRIBUTED,
        data_dir=tmp_path,
        personal_data_key=new_master_key(),
        pg_database_prefix=f"t{uuid.uuid4().hex[:10]}",
        token_jwks_url="http://127.0.0.1:9/jwks.json",  # no route here needs a token
    )
    yield config
    drop_database(config, config.database_name(SERVICE))


@pytest.fixture
def runtime(settings: Settings, tmp_path: Path) -> Iterator[ServiceRuntime]:
    runtime = ServiceRuntime(DEFINITION, settings, LocalLogBus(tmp_path / "bus.sqlite"))
    runtime.projectors[0].retry_delay = 0  # the worker's pauses, not what is tested here
    yield runtime
    runtime.close()


def _install(runtime: ServiceRuntime, street: str | None, switches: int = 0) -> Lamp:
    lamp = Lamp(street)
    for _ in range(switches):
        lamp.switch()
    runtime.app.save(lamp)
    return lamp


def _switch(runtime: ServiceRuntime, lamp: Lamp) -> None:
    lamp.switch()
    runtime.app.save(lamp)


def _work(runtime: ServiceRuntime, rounds: int = 1) -> None:
    """Rounds of the worker: relay (none here) and projections."""
    for _ in range(rounds):
        asyncio.run(runtime.work_once())


def _shown(runtime: ServiceRuntime) -> dict[str, int]:
    with runtime.store.transaction() as session:
        return {street: n for street, n in session.execute(select(lamps.c.street, lamps.c.switches))}


def _command(
    runtime: ServiceRuntime,
    capsys: pytest.CaptureFixture[str],
    *argv: str,
    definition: ServiceDefinition = DEFINITION,
) -> Any:
    """``tothon-lamps projection-failures …`` in this runtime's settings; its exit status and output."""
    settings = runtime.settings
    env = {"TOTHON_MODE": settings.mode.value, "TOTHON_DATA_DIR": str(settings.data_dir)}
    if settings.mode is Mode.DISTRIBUTED:
        env |= {
            "TOTHON_PERSONAL_DATA_KEY": settings.personal_data_key,
            "TOTHON_PG_DATABASE_PREFIX": settings.pg_database_prefix,
        }
    capsys.readouterr()  # what was logged before
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        # Its own runtime, as a separate process would build, without configuring this
        # process's logging for good (pytest's captured streams close after the test).
        bus = LocalLogBus(settings.data_dir / "bus.sqlite")
        patch.setattr(cli, "build_runtime", lambda d, s: ServiceRuntime(d, s, bus))
        with pytest.raises(SystemExit) as exited:
            service_main(definition, ["projection-failures", *argv])
    out = capsys.readouterr().out
    return exited.value.code, [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def _parked_in_gauge(reader: InMemoryMetricReader) -> int:
    data = reader.get_metrics_data()
    if data is None:  # nothing observed: no failures
        return 0
    return sum(
        int(point.value)
        for resource in data.resource_metrics
        for scope in resource.scope_metrics
        for metric in scope.metrics
        if metric.name == projection_alarm.GAUGE
        for point in metric.data.data_points
        if isinstance(point, NumberDataPoint)
        and point.attributes == {"service": SERVICE, "projection": "lamps", "status": "parked"}
    )


@pytest.fixture
def reader(runtime: ServiceRuntime) -> Iterator[InMemoryMetricReader]:
    """The metrics of the runtime's projections, as its worker reports them."""
    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    projection_alarm.watch(SERVICE, runtime.store, provider.get_meter("test"))
    yield reader
    projection_alarm.unwatch(SERVICE)
    provider.shutdown()


def test_the_stalled_projection_is_injected_and_recovered_by_a_replay_after_the_fix(
    runtime: ServiceRuntime, reader: InMemoryMetricReader, capsys: pytest.CaptureFixture[str]
) -> None:
    api = TestClient(create_service_api(runtime))
    first = _install(runtime, "Bạch Đằng")
    poison = _install(runtime, None, switches=2)  # a lamp the projection cannot store
    _install(runtime, "Trần Phú")
    _work(runtime, rounds=3)  # three attempts, then the event is parked
    assert _shown(runtime) == {"Bạch Đằng": 0, "Trần Phú": 0}

    # What is written later is shown; a later event of the poisoned lamp waits behind it.
    _install(runtime, "Lê Lợi")
    _switch(runtime, first)
    _switch(runtime, poison)
    _work(runtime)
    assert _shown(runtime) == {"Bạch Đằng": 1, "Trần Phú": 0, "Lê Lợi": 0}

    status, listed = _command(runtime, capsys, "list")
    assert status == 0
    assert [(f["status"], f["originator_id"]) for f in listed] == [
        ("parked", str(poison.id)),
        ("held", str(poison.id)),
        ("held", str(poison.id)),
        ("held", str(poison.id)),
    ]
    parked = listed[0]
    assert (parked["service"], parked["projection"], parked["position"]) == (SERVICE, "lamps", 2)
    assert (parked["topic"], parked["attempts"]) == ("test:StreetLampInstalled:v1", 3)
    # The database's message, without the statement's parameters (the event's data).
    assert parked["error"].startswith("IntegrityError: ")
    assert "street" in parked["error"]
    assert "Bạch Đằng" not in parked["error"]
    assert "[parameters" not in parked["error"]
    assert parked["first_seen"] <= parked["last_seen"]

    ready = api.get("/readyz")
    assert ready.status_code == 200  # the API still serves: only this lamp is behind
    assert ready.json()["status"] == "degraded"
    assert ready.json()["alarms"] == [
        {"alarm": "projection_failures", "projection": "lamps", "parked": 1, "held": 3}
    ]
    assert api.get("/readyz", params={"strict": "true"}).status_code == 503
    assert _parked_in_gauge(reader) == 1

    # Replayed before the fix, it fails again and stays parked, with the attempt counted.
    assert _command(runtime, capsys, "replay", str(parked["failure_id"]))[0] == 1
    assert _command(runtime, capsys, "list")[1][0]["attempts"] == 4

    # The fix deployed (the worker and the command run the new code), the event is replayed.
    runtime.projectors[0].apply = _fixed
    replay = ("replay", str(parked["failure_id"]), "--reason", "fixed in 0.2")
    status, replayed = _command(runtime, capsys, *replay, definition=FIXED)
    assert status == 0
    assert replayed == [{"failure_id": parked["failure_id"], "status": "replayed", "events_applied": 4}]
    assert _shown(runtime) == {"Bạch Đằng": 1, "Trần Phú": 0, "Lê Lợi": 0, "(chưa rõ)": 3}
    assert _command(runtime, capsys, "list")[1] == []
    assert api.get("/readyz").json() == {"status": "ready", "service": SERVICE}
    assert _parked_in_gauge(reader) == 0


def test_a_parked_event_skipped_with_a_reason_clears_the_alarm_and_stays_skipped_after_a_rebuild(
    runtime: ServiceRuntime, capsys: pytest.CaptureFixture[str]
) -> None:
    api = TestClient(create_service_api(runtime))
    poison = _install(runtime, None)
    _install(runtime, "Bạch Đằng")
    _work(runtime, rounds=3)
    _switch(runtime, poison)
    _work(runtime)
    parked = _command(runtime, capsys, "list")[1][0]
    assert _command(runtime, capsys, "skip", str(parked["failure_id"]))[0] == 2  # a reason is required
    status, skipped = _command(
        runtime, capsys, "skip", str(parked["failure_id"]), "--reason", "lắp nhầm", "--by", "it.danang"
    )
    assert (status, skipped[0]["status"]) == (0, "skipped")
    assert api.get("/readyz").json()["status"] == "ready"
    every = _command(runtime, capsys, "list", "--all")[1]
    assert [(f["status"], f["resolved_by"], f["reason"]) for f in every] == [
        ("skipped", "it.danang", "lắp nhầm"),
        ("released", None, None),  # the switch held behind it
    ]
    assert _command(runtime, capsys, "skip", str(parked["failure_id"]), "--reason", "again")[0] == 2

    # A rebuild meets the event again: it still fails, and the operator's decision stands.
    runtime.projectors[0].retry_delay = 0
    counts = asyncio.run(rebuild_offline(runtime))
    assert counts == {"lamps": 2}
    assert _shown(runtime) == {"Bạch Đằng": 0}
    assert api.get("/readyz").json()["status"] == "ready"
    again = max(_command(runtime, capsys, "list", "--all")[1], key=lambda f: f["failure_id"])
    assert (again["status"], again["reason"]) == ("skipped", f"#{parked['failure_id']}: lắp nhầm")


def test_a_rebuild_parks_what_still_fails_and_says_so(runtime: ServiceRuntime) -> None:
    _install(runtime, None)
    _install(runtime, "Bạch Đằng")
    assert asyncio.run(rebuild_offline(runtime)) == {"lamps": 1, "lamps set aside": 1}
    # Rebuilt again, the old row is closed and the event parked anew: reported, not looping.
    assert asyncio.run(rebuild_offline(runtime)) == {"lamps": 1, "lamps set aside": 1}
    statuses = [f.status for f in runtime.projectors[0].listed(everything=True)]
    assert statuses == ["rebuilt", "parked"]


def test_a_lost_database_connection_is_tried_again_later_and_never_parked(runtime: ServiceRuntime) -> None:
    projector = runtime.projectors[0]
    projector.retry_delay = 0.5
    calls = []

    def connection_lost(session: Session, batch: Sequence[LoggedEvent]) -> None:
        calls.append(len(batch))
        raise OperationalError("INSERT", {}, Exception("server closed the connection unexpectedly"))

    projector.apply = connection_lost
    _install(runtime, "Bạch Đằng")
    for _ in range(5):
        assert projector.run_once() == 0
    assert calls == [1]  # then it pauses before trying again, instead of hammering the database
    assert projector.listed(everything=True) == []
    projector.apply = _apply  # the database is back
    time.sleep(0.6)
    assert projector.run_once() == 1
    assert _shown(runtime) == {"Bạch Đằng": 0}
