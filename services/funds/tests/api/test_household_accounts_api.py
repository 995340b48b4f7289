"""The household accounts' routes, through the funds service's FastAPI app (SQLite stores), with
the accounts opened from registry events as the worker opens them."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi.testclient import TestClient
from run_apart import run_apart

from tothon_funds.bootstrap import DEFINITION
from tothon_shared.auth.http import token_issuer_for
from tothon_shared.auth.principal import Grant, Principal
from tothon_shared.auth.roles import Role
from tothon_shared.contracts.envelope import IntegrationEvent
from tothon_shared.contracts.registry import HouseholdRegistered, HouseholdTransferred, UnitEstablished
from tothon_shared.http.web import create_service_api
from tothon_shared.messaging.local_bus import LocalLogBus
from tothon_shared.messaging.message import encode
from tothon_shared.runtime.service import ServiceRuntime
from tothon_shared.runtime.settings import Settings

PREFIX = "tothon"


def _event(
    contract: type[IntegrationEvent], subject: uuid.UUID, unit: uuid.UUID | None, **fields: Any
) -> Any:
    domain_event = SimpleNamespace(originator_id=subject, originator_version=1, timestamp=datetime.now(UTC))
    return contract.from_domain_event(
        domain_event, producer="registry", correlation_id="c", unit_id=unit, **fields
    )


class Funds:
    """The funds service on SQLite, fed registry events as its worker would be."""

    def __init__(self, tmp_path: Path) -> None:
        self.settings = Settings(data_dir=tmp_path)
        self.bus = LocalLogBus(tmp_path / "bus.sqlite")
        self.runtime = ServiceRuntime(DEFINITION, self.settings, self.bus)
        self.client = TestClient(create_service_api(self.runtime), raise_server_exceptions=False)

    def receive(self, channel: str, *events: IntegrationEvent) -> None:
        topic = f"{PREFIX}.{channel}.v1"
        run_apart(self.bus.publish([encode(e, topic, {}) for e in events]))
        run_apart(self.runtime.inbox.handle_batch(self.bus.read_topic(topic)))
        while self.runtime.projectors[0].run_once():
            pass

    def unit(self, kind: str, name: str, parent: uuid.UUID | None) -> uuid.UUID:
        unit_id = uuid.uuid4()
        established = _event(
            UnitEstablished,
            unit_id,
            unit_id,
            kind=kind,
            name=name,
            parent_id=parent,
            effective_from=date(2025, 7, 1),
        )
        self.receive("registry.units", established)
        return unit_id

    def household(self, unit: uuid.UUID, code: str, members: int = 3) -> uuid.UUID:
        household_id = uuid.uuid4()
        registered = _event(
            HouseholdRegistered,
            household_id,
            unit,
            household_code=code,
            member_count=members,
            registered_on=date(2026, 11, 1),
        )
        self.receive("registry.households", registered)
        return household_id

    def as_(self, role: Role, unit: uuid.UUID, household: uuid.UUID | None = None) -> None:
        grants = (Grant(role, unit),)
        principal = Principal(uuid.uuid4(), f"s-{uuid.uuid4()}", "Cán bộ", grants, household_id=household)
        token = token_issuer_for(self.settings).issue(principal)
        self.client.headers["Authorization"] = f"Bearer {token}"

    def close(self) -> None:
        self.client.close()
        self.runtime.close()
        self.bus.close()


@pytest.fixture
def funds(tmp_path: Path) -> Iterator[Funds]:
    service = Funds(tmp_path)
    yield service
    service.close()


@pytest.fixture
def wards(funds: Funds) -> dict[str, uuid.UUID]:
    """Two wards of one city, with a residential group in the first."""
    city = funds.unit("province", "Thành phố Đà Nẵng", None)
    hai_chau = funds.unit("ward", "Phường Hải Châu", city)
    thanh_khe = funds.unit("ward", "Phường Thanh Khê", city)
    group = funds.unit("residential_group", "Tổ dân phố 17", hai_chau)
    return {"city": city, "hai_chau": hai_chau, "thanh_khe": thanh_khe, "group": group}


def test_an_official_lists_the_accounts_of_a_unit_they_serve(
    funds: Funds, wards: dict[str, uuid.UUID]
) -> None:
    second = funds.household(wards["group"], "HO-002", members=5)
    first = funds.household(wards["group"], "HO-001", members=2)
    funds.as_(Role.WARD_OFFICIAL, wards["hai_chau"])
    response = funds.client.get("/api/v1/household-accounts", params={"unit_id": str(wards["group"])})
    assert response.status_code == 200, response.text
    listed = [(a["household_id"], a["household_code"], a["member_count"]) for a in response.json()]
    assert listed == [(str(first), "HO-001", 2), (str(second), "HO-002", 5)]


def test_an_official_reads_one_account_of_a_unit_they_serve(
    funds: Funds, wards: dict[str, uuid.UUID]
) -> None:
    household = funds.household(wards["group"], "HO-001", members=4)
    funds.as_(Role.GROUP_LEADER, wards["group"])
    response = funds.client.get(f"/api/v1/household-accounts/{household}")
    assert response.status_code == 200, response.text
    assert response.json()["unit_id"] == str(wards["group"])
    assert response.json()["member_count"] == 4
    assert response.json()["opened_on"] == "2026-11-01"


def test_an_official_of_another_ward_is_refused_both_routes(
    funds: Funds, wards: dict[str, uuid.UUID]
) -> None:
    household = funds.household(wards["group"], "HO-001")
    funds.as_(Role.WARD_OFFICIAL, wards["thanh_khe"])
    listed = funds.client.get("/api/v1/household-accounts", params={"unit_id": str(wards["group"])})
    one = funds.client.get(f"/api/v1/household-accounts/{household}")
    assert (listed.status_code, one.status_code) == (403, 403)
    assert one.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("role", [Role.AREA_POLICE, Role.RESIDENT, Role.CITY_IT_ADMIN])
def test_roles_that_do_not_keep_funds_are_refused_in_their_own_unit(
    funds: Funds, wards: dict[str, uuid.UUID], role: Role
) -> None:
    # Funds' own permission (FundsPermission), not the unit directory's that every official has:
    # the area police read the directory but not the households' accounts.
    household = funds.household(wards["group"], "HO-001")
    funds.as_(role, wards["hai_chau"])
    listed = funds.client.get("/api/v1/household-accounts", params={"unit_id": str(wards["group"])})
    one = funds.client.get(f"/api/v1/household-accounts/{household}")
    assert (listed.status_code, one.status_code) == (403, 403)


def test_a_household_reads_its_own_account_and_no_other(funds: Funds, wards: dict[str, uuid.UUID]) -> None:
    # A resident's account bound to their household: its own account, not the neighbours' nor
    # the unit's list (residents do not carry the permission).
    own = funds.household(wards["group"], "HO-001", members=4)
    neighbour = funds.household(wards["group"], "HO-002")
    funds.as_(Role.RESIDENT, wards["group"], household=own)
    mine = funds.client.get(f"/api/v1/household-accounts/{own}")
    assert mine.status_code == 200, mine.text
    assert (mine.json()["household_id"], mine.json()["member_count"]) == (str(own), 4)
    assert funds.client.get(f"/api/v1/household-accounts/{neighbour}").status_code == 403
    listed = funds.client.get("/api/v1/household-accounts", params={"unit_id": str(wards["group"])})
    assert listed.status_code == 403


def test_a_household_without_account_and_an_unknown_unit_are_not_found(
    funds: Funds, wards: dict[str, uuid.UUID]
) -> None:
    funds.as_(Role.CITY_OFFICIAL, wards["city"])
    unknown = funds.client.get(
        f"/api/v1/household-accounts/{uuid.uuid4()}", headers={"Accept-Language": "vi"}
    )
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == "Hộ gia đình này chưa có tài khoản quỹ."
    nowhere = funds.client.get("/api/v1/household-accounts", params={"unit_id": str(uuid.uuid4())})
    assert nowhere.status_code == 404


def test_a_caller_without_token_is_refused(funds: Funds, wards: dict[str, uuid.UUID]) -> None:
    response = funds.client.get("/api/v1/household-accounts", params={"unit_id": str(wards["group"])})
    assert response.status_code == 401


def test_a_transferred_households_account_moves_to_its_new_units_officials(
    funds: Funds, wards: dict[str, uuid.UUID]
) -> None:
    household = funds.household(wards["group"], "HO-001")
    village = funds.unit("village", "Thôn Trà Kiểm", wards["thanh_khe"])
    moved = _event(
        HouseholdTransferred, household, village, from_unit_id=wards["group"], on=date(2026, 12, 1)
    ).model_copy(update={"event_id": uuid.uuid4()})
    funds.receive("registry.households", moved)
    funds.as_(Role.WARD_OFFICIAL, wards["thanh_khe"])
    assert funds.client.get(f"/api/v1/household-accounts/{household}").json()["unit_id"] == str(village)
    funds.as_(Role.WARD_OFFICIAL, wards["hai_chau"])
    assert funds.client.get(f"/api/v1/household-accounts/{household}").status_code == 403
