"""The lineage a command is authorised against is the units' latest, even when another replica
recorded the change, though this process keeps the units it walked."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from deployments import check_infrastructure, fresh_deployment
from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresAggregateRecorder
from polling import wait_for

from tothon_registry.application import NewMember, RegistryApplication
from tothon_registry.bootstrap import DEFINITION
from tothon_registry.domain.person import PersonDetails
from tothon_registry.domain.unit import UnitError, UnitKind
from tothon_registry.kept_units import newer_events
from tothon_shared.eventstore.application import TothonApplication
from tothon_shared.eventstore.environment import event_store_env
from tothon_shared.privacy.keys import new_master_key
from tothon_shared.runtime.pgsetup import ensure_database
from tothon_shared.runtime.process import make_transport
from tothon_shared.runtime.service import ServiceRuntime
from tothon_shared.runtime.settings import Settings


def _replica(settings: Settings) -> ServiceRuntime:
    return ServiceRuntime(DEFINITION, settings, make_transport(settings, "registry"))


ON_POSTGRESQL = pytest.param("postgresql", marks=[pytest.mark.postgres, pytest.mark.kafka])


@pytest.fixture(params=["sqlite", ON_POSTGRESQL])
def replicas(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[RegistryApplication, RegistryApplication]]:
    """Two processes of the registry on the same stores: SQLite files (a probe per unit) or
    PostgreSQL (one query for a lineage)."""
    with ExitStack() as stack:
        if request.param == "sqlite":
            settings = Settings(data_dir=tmp_path)
        else:
            deployment = stack.enter_context(fresh_deployment(check_infrastructure(), tmp_path))
            settings = deployment.settings.model_copy(update={"personal_data_key": new_master_key()})
        first, second = _replica(settings), _replica(settings)
        stack.callback(first.close)
        stack.callback(second.close)
        assert isinstance(first.app, RegistryApplication)
        assert isinstance(second.app, RegistryApplication)
        yield first.app, second.app


def _wards_and_group(app: RegistryApplication) -> tuple[UUID, UUID, UUID, UUID]:
    day = date(2025, 7, 1)
    city = app.establish_unit(UnitKind.PROVINCE, "Thành phố Đà Nẵng", "48", "vn-2025", None, day)
    hai_chau = app.establish_unit(UnitKind.WARD, "Phường Hải Châu", "20242", "vn-2025", city, day)
    thanh_khe = app.establish_unit(UnitKind.WARD, "Phường Thanh Khê", "20209", "vn-2025", city, day)
    group = app.establish_unit(UnitKind.RESIDENTIAL_GROUP, "Tổ dân phố 17", None, None, hai_chau, day)
    return city, hai_chau, thanh_khe, group


def test_a_lineage_follows_a_move_another_replica_recorded(
    replicas: tuple[RegistryApplication, RegistryApplication],
) -> None:
    this, other = replicas
    city, hai_chau, thanh_khe, group = _wards_and_group(this)
    assert this.lineage(group) == [group, hai_chau, city]  # walked and kept here

    other.move_unit(group, thanh_khe, date(2026, 1, 1))

    assert this.lineage(group) == [group, thanh_khe, city]


def _head() -> list[NewMember]:
    return [NewMember("head", PersonDetails(full_name="Lê Thị Hoa"))]


def test_a_registration_sees_a_merge_another_replica_recorded(
    replicas: tuple[RegistryApplication, RegistryApplication],
) -> None:
    this, other = replicas
    _city, hai_chau, _thanh_khe, group = _wards_and_group(this)
    this.register_household(group, "HC-1", _head(), date(2026, 1, 5))  # the group is kept here now
    into = other.establish_unit(
        UnitKind.RESIDENTIAL_GROUP, "Tổ dân phố 18", None, None, hai_chau, date(2025, 7, 1)
    )
    other.merge_units([group], into, {}, date(2026, 2, 1))

    with pytest.raises(UnitError, match="superseded"):
        this.register_household(group, "HC-2", _head(), date(2026, 2, 5))


@pytest.mark.postgres
@pytest.mark.kafka
def test_the_check_probes_the_index_however_much_the_store_grew_since_its_first_use(tmp_path: Path) -> None:
    # A plan kept from the store's first minutes (a few events: a scan of the whole table is
    # cheapest) read every event of the grown store at every registration. The table's scans
    # are counted by PostgreSQL once the connections that made them close.
    with fresh_deployment(check_infrastructure(), tmp_path) as deployment:
        settings = deployment.settings
        ensure_database(settings, settings.database_name("registry"))
        app = TothonApplication(env=event_store_env(settings, "registry"))
        recorder = app.recorder
        assert isinstance(recorder, PostgresAggregateRecorder)
        ask = newer_events(recorder)
        kept = [uuid4() for _ in range(3)]
        recorder.insert_events([StoredEvent(unit, 1, "t:Unit", b"") for unit in kept])
        for _ in range(100):  # several uses on each of the pool's connections
            assert ask(dict.fromkeys(kept, 1)) == set()
        grown = [StoredEvent(uuid4(), 1, "t:E", b"x" * 100) for _ in range(20_000)]
        for start in range(0, len(grown), 1000):
            recorder.insert_events(grown[start : start + 1000])
        for _ in range(20):
            assert ask(dict.fromkeys(kept, 1)) == set()
        assert ask({kept[0]: 0}) == {kept[0]}
        app.close()  # its sessions end, and report what they read

        def rows_scanned() -> tuple[int, int] | None:
            with deployment.database("registry") as db:
                db.execute("SELECT pg_stat_clear_snapshot()")
                row = db.execute(
                    "SELECT seq_tup_read, n_tup_ins FROM pg_stat_user_tables WHERE relname = %s",
                    (recorder.events_table_name,),
                ).fetchone()
            return None if row is None or (row[1] or 0) < 20_003 else (int(row[0]), int(row[1]))

        counted = wait_for(rows_scanned, timeout=15, what="the scans counted")
        assert counted[0] < 20_000, f"{counted[0]} rows read by scans of the whole table"
