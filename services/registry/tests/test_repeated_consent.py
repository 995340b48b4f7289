"""A consent purpose listed twice: refused at the API and by the domain, and an event stored with
one before that (which used to stop the registry's lookup tables for good) is projected once."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from registry_world import World
from registry_world import family as family_world

from tothon_registry.application import RegistryApplication
from tothon_registry.domain.person import ConsentPurpose, Person, PersonDetails, RepeatedConsentError
from tothon_shared.runtime.service import ServiceRuntime

PHONE = ConsentPurpose.NOTIFICATIONS_PHONE
TWICE = {
    "full_name": "Võ Minh Khang",
    "relationship": "child",
    "phone": "0905 765 432",
    "consents": ["notifications_phone", "notifications_phone"],
}
LATER = {"full_name": "Võ Thị Hoa", "relationship": "child", "sex": "female"}


@pytest.fixture
def family(runtime: ServiceRuntime, api: TestClient) -> World:
    return family_world(runtime, api, "leader")


def _join(world: World, member: Mapping[str, object]) -> Response:
    response: Response = world.api.post(
        f"/api/v1/households/{world.household}/members",
        json={"member": member, "reason": "moved_in", "on": "2026-10-20"},
        headers=world.clients["leader"],
    )
    return response


def _names(world: World) -> list[str]:
    world.catch_up()
    view = world.api.get(f"/api/v1/households/{world.household}", headers=world.clients["ward"]).json()
    return [m["full_name"] for m in view["members"]]


def test_a_consent_purpose_listed_twice_is_refused_and_later_members_are_shown(family: World) -> None:
    refused = _join(family, TWICE)
    assert refused.status_code == 422, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == ["member.consents"]
    assert _join(family, LATER).status_code == 201
    assert _names(family) == ["Võ Thành Nam", "Đặng Thị Lan", "Võ Thị Hoa"]


def test_the_openapi_document_says_each_consent_purpose_is_listed_once(api: TestClient) -> None:
    member = api.get("/openapi.json").json()["components"]["schemas"]["MemberIn"]
    assert member["properties"]["consents"]["uniqueItems"] is True


def test_the_domain_refuses_a_consent_purpose_listed_twice() -> None:
    with pytest.raises(RepeatedConsentError):
        Person.record(UUID(int=1), "child", PersonDetails("Võ Minh Khang"), [PHONE, PHONE], date(2026, 1, 5))


def test_a_person_stored_with_a_repeated_consent_is_projected_once_and_what_follows_shows(
    family: World,
) -> None:
    """As an event stored before the refusals existed: the lookup tables take it, and go on."""
    app = family.app
    assert isinstance(app, RegistryApplication)
    details = PersonDetails("Võ Minh Khang", phone="+84905765432").as_state()
    old = Person(
        household_id=family.household, relationship="child", details=details, consents=[PHONE, PHONE]
    )
    app.save(old)
    assert _join(family, LATER).status_code == 201
    assert _names(family) == ["Võ Thành Nam", "Đặng Thị Lan", "Võ Thị Hoa"]
    person = family.api.get(
        f"/api/v1/persons/{old.id}", params={"purpose": "contact"}, headers=family.clients["ward"]
    )
    assert person.status_code == 200, person.text
    assert [c["purpose"] for c in person.json()["consents"]] == ["notifications_phone"]
