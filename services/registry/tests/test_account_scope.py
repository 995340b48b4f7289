"""Scope holds through account administration: an account reaches a household only through a
binding an official of that household's ward made, roles are appointed only on accounts within
the appointer's scope, and every read by an account not bound to the household is on its record.

The world: Phường Thanh Khê (Tổ dân phố 51, household HO-001) and Phường Hải Châu (Tổ dân phố 17);
``ward`` is the Thanh Khê official."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from registry_world import HEAD, PASSWORD, World, family

from tothon_registry.application import NewMember
from tothon_registry.domain.account import Account
from tothon_registry.domain.person import PersonDetails
from tothon_shared.eventstore.context import acting_as
from tothon_shared.runtime.service import ServiceRuntime


@pytest.fixture
def world(runtime: ServiceRuntime, api: TestClient) -> World:
    return family(runtime, api, "admin", "other_leader", "resident")


def _hai_chau_household(world: World, code: str = "HC-001") -> UUID:
    """A household of Tổ dân phố 17, Phường Hải Châu (registered by the ward there)."""
    with acting_as("kiểm thử"):
        household = world.app.register_household(
            world.other_group,
            code,
            [NewMember("head", PersonDetails(full_name="Lê Văn Tám"))],
            date(2025, 8, 1),
        )
    world.catch_up()
    return household


def _open(world: World, who: str, username: str, household: UUID | None) -> Any:
    return world.api.post(
        "/api/v1/accounts",
        headers=world.clients[who],
        json={
            "username": username,
            "display_name": "Tài khoản thử",
            "password": PASSWORD,
            "household_id": str(household) if household else None,
        },
    )


def _sign_in(world: World, username: str, password: str = PASSWORD) -> dict[str, str]:
    session = world.api.post("/api/v1/auth/sign-in", json={"username": username, "password": password})
    assert session.status_code == 200, session.text
    return {"Authorization": f"Bearer {session.json()['access_token']}"}


def _reads_of(world: World) -> list[tuple[str, str]]:
    """What HO-001's "who viewed my data" lists, as (reader, purpose), newest first."""
    reads = world.api.get("/api/v1/me/data-reads", headers=world.clients["resident"]).json()
    return [(r["reader_name"], r["purpose"]) for r in reads]


def test_a_ward_official_cannot_bind_an_account_to_another_wards_household(world: World) -> None:
    hai_chau = _hai_chau_household(world)
    opened = _open(world, "ward", "gia.mao", hai_chau)
    assert opened.status_code == 403, opened.text
    # Nothing was stored: no account to sign in as, the name is still free for its rightful use.
    refused = world.api.post("/api/v1/auth/sign-in", json={"username": "gia.mao", "password": PASSWORD})
    assert refused.status_code == 401
    assert list(world.app.repository.event_store.get(Account.create_id("gia.mao"))) == []


def test_an_account_cannot_be_bound_to_a_household_that_does_not_exist(world: World) -> None:
    for missing in (UUID(int=7), world.group):  # nothing at all; a unit, not a household
        opened = _open(world, "ward", "khong.co", missing)
        assert opened.status_code == 422, opened.text
        assert opened.json()["code"] == "account.household_not_found"
    assert list(world.app.repository.event_store.get(Account.create_id("khong.co"))) == []


def test_the_city_it_administrator_binds_no_account_to_a_household(world: World) -> None:
    # City IT run the system and may see no personal field: a household binding would show them all.
    opened = _open(world, "admin", "qua.quyen", world.household)
    assert opened.status_code == 403, opened.text


def test_a_ward_official_appoints_no_role_on_an_account_serving_another_ward(world: World) -> None:
    leader = Account.create_id("totruong17")  # the group leader of Tổ dân phố 17, Hải Châu
    own_group = {"role": "resident", "unit_id": str(world.group), "reason": "cư dân tổ 51"}
    appointed = world.api.post(
        f"/api/v1/accounts/{leader}/roles", headers=world.clients["ward"], json=own_group
    )
    assert appointed.status_code == 403, appointed.text
    reset = world.api.put(
        f"/api/v1/accounts/{leader}/password",
        headers=world.clients["ward"],
        json={"password": "chiem-quyen-2026"},
    )
    assert reset.status_code == 403, reset.text
    revoked = world.api.delete(
        f"/api/v1/accounts/{leader}/roles/group_leader/{world.other_group}", headers=world.clients["ward"]
    )
    assert revoked.status_code == 403, revoked.text
    assert world.app.get_account(leader).grants == [("group_leader", world.other_group)]


def test_an_account_bound_to_another_wards_household_cannot_be_taken_over(world: World) -> None:
    # A binding recorded without the ward's say (as before bindings were authorised): the Thanh
    # Khê official cannot make it a resident of their group nor give it a password they know.
    hai_chau = _hai_chau_household(world)
    bound = world.app.open_account("cu.lien.ket", "Lê Văn Tám", PASSWORD, hai_chau, "nhập cũ")
    appointed = world.api.post(
        f"/api/v1/accounts/{bound}/roles",
        headers=world.clients["ward"],
        json={"role": "resident", "unit_id": str(world.group), "reason": "x"},
    )
    assert appointed.status_code == 403, appointed.text
    reset = world.api.put(
        f"/api/v1/accounts/{bound}/password",
        headers=world.clients["ward"],
        json={"password": "chiem-quyen-2026"},
    )
    assert reset.status_code == 403, reset.text
    rebound = world.api.put(
        f"/api/v1/accounts/{bound}/household",
        headers=world.clients["ward"],
        json={"household_id": str(world.household)},
    )
    assert rebound.status_code == 403, rebound.text


def test_a_resident_reaches_only_the_household_the_ward_bound_them_to_at_every_request(world: World) -> None:
    first = world.household
    second = world.register("HO-002", [HEAD | {"citizen_id": None, "phone": None, "consents": []}])
    world.catch_up()
    opened = _open(world, "ward", "cudan.moi", first)
    assert opened.status_code == 201, opened.text
    account = opened.json()["id"]
    appointed = world.api.post(
        f"/api/v1/accounts/{account}/roles",
        headers=world.clients["ward"],
        json={"role": "resident", "unit_id": str(world.group), "reason": "cư dân tổ 51"},
    )
    assert appointed.status_code == 201, appointed.text
    first_token = _sign_in(world, "cudan.moi")
    assert world.api.get(f"/api/v1/households/{first}", headers=first_token).status_code == 200

    moved = world.api.put(
        f"/api/v1/accounts/{account}/household",
        headers=world.clients["ward"],
        json={"household_id": str(second)},
    )
    assert moved.status_code == 204, moved.text
    # The old token ends at once, like a revocation: it named the household it no longer serves.
    assert world.api.get(f"/api/v1/households/{first}", headers=first_token).status_code == 401
    token = _sign_in(world, "cudan.moi")
    assert world.api.get(f"/api/v1/households/{first}", headers=token).status_code == 403
    assert world.api.get(f"/api/v1/households/{second}", headers=token).status_code == 200

    unbound = world.api.put(
        f"/api/v1/accounts/{account}/household", headers=world.clients["ward"], json={"household_id": None}
    )
    assert unbound.status_code == 204, unbound.text
    assert world.api.get(f"/api/v1/households/{second}", headers=token).status_code == 401
    token = _sign_in(world, "cudan.moi")
    assert world.api.get(f"/api/v1/households/{second}", headers=token).status_code == 403
    assert world.api.get("/api/v1/auth/me", headers=token).json()["household_id"] is None


def test_a_rebinding_to_another_wards_household_is_refused(world: World) -> None:
    account = Account.create_id("cudan")  # the resident of HO-001, bound by the test's setup
    hai_chau = _hai_chau_household(world)
    moved = world.api.put(
        f"/api/v1/accounts/{account}/household",
        headers=world.clients["ward"],
        json={"household_id": str(hai_chau)},
    )
    assert moved.status_code == 403, moved.text
    missing = world.api.put(
        f"/api/v1/accounts/{account}/household",
        headers=world.clients["ward"],
        json={"household_id": str(UUID(int=5))},
    )
    assert missing.status_code == 422, missing.text
    assert world.app.get_account(account).household_id == world.household


def test_every_read_by_an_account_not_bound_to_the_household_is_shown_to_it(world: World) -> None:
    head = world.api.get(f"/api/v1/households/{world.household}", headers=world.clients["ward"]).json()
    person = head["members"][0]["person_id"]
    ward = world.clients["ward"]
    world.api.get(f"/api/v1/persons/{person}", headers=ward, params={"purpose": "contact"})
    world.api.get(f"/api/v1/persons/{person}/history", headers=ward)
    world.api.post(
        f"/api/v1/persons/{person}/corrections",
        headers=ward,
        json={"changes": {"occupation": "Buôn bán"}, "reason": "Đổi nghề"},
    )
    world.catch_up()
    world.api.get(f"/api/v1/persons/{person}/corrections", headers=ward)
    # The household's own members read without a trace on their record.
    resident = world.clients["resident"]
    for path in (f"/api/v1/households/{world.household}", f"/api/v1/persons/{person}/history"):
        assert world.api.get(path, headers=resident).status_code == 200
    reads = _reads_of(world)
    assert reads == [
        ("phuong", "data_quality"),  # the corrections
        ("phuong", "data_quality"),  # the history
        ("phuong", "contact"),
        ("phuong", "household view"),
    ]


def test_the_household_sees_who_gave_an_account_access_to_it(world: World) -> None:
    # A bound account reads without a trace (it is a member's): the binding itself is on record.
    assert _open(world, "ward", "con.trai", world.household).status_code == 201
    account = _open(world, "ward", "con.gai", None).json()["id"]
    bound = world.api.put(
        f"/api/v1/accounts/{account}/household",
        headers=world.clients["ward"],
        json={"household_id": str(world.household)},
    )
    assert bound.status_code == 204, bound.text
    assert _reads_of(world) == [("phuong", "account_binding"), ("phuong", "account_binding")]
