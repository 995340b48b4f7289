"""The household accounts' routes, through the funds service's FastAPI app (SQLite stores), with
the accounts opened from registry events as the worker opens them."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from service_harness import ServiceHarness, registry_event

from tothon_funds.bootstrap import DEFINITION
from tothon_shared.auth.roles import Role
from tothon_shared.contracts.registry import HouseholdTransferred


class Funds(ServiceHarness):
    """The funds service on SQLite, fed registry events as its worker would be."""

    def __init__(self, tmp_path: Path) -> None:
        super().__init__(DEFINITION, tmp_path)


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
    moved = registry_event(
        HouseholdTransferred, household, village, from_unit_id=wards["group"], on=date(2026, 12, 1)
    ).model_copy(update={"event_id": uuid.uuid4()})
    funds.receive("registry.households", moved)
    funds.as_(Role.WARD_OFFICIAL, wards["thanh_khe"])
    assert funds.client.get(f"/api/v1/household-accounts/{household}").json()["unit_id"] == str(village)
    funds.as_(Role.WARD_OFFICIAL, wards["hai_chau"])
    assert funds.client.get(f"/api/v1/household-accounts/{household}").status_code == 403
