"""Minimisation: what each role sees of a person, limited again by the stated purpose."""

from __future__ import annotations

from uuid import UUID

import pytest

from tothon_registry.disclosure import (
    PURPOSE_LIMITS,
    ROLE_LIMITS,
    Disclosure,
    PersonField,
    Purpose,
    disclosure_for,
    mask,
)
from tothon_shared.auth.principal import Grant, Principal
from tothon_shared.auth.roles import Role

CITY, WARD, GROUP, OTHER_GROUP = (UUID(int=n) for n in range(1, 5))
LINEAGE = [GROUP, WARD, CITY]
SENSITIVE = {
    PersonField.ETHNICITY,
    PersonField.RELIGION,
    PersonField.HEALTH_STATUS,
    PersonField.POVERTY_STATUS,
}


def _principal(*grants: tuple[Role, UUID]) -> Principal:
    return Principal(UUID(int=99), "s", "n", tuple(Grant(r, u) for r, u in grants))


def test_every_role_and_purpose_rules_on_every_field() -> None:
    assert set(ROLE_LIMITS) == set(Role)
    assert set(PURPOSE_LIMITS) == set(Purpose)
    for limits in (*ROLE_LIMITS.values(), *PURPOSE_LIMITS.values()):
        assert set(limits) == set(PersonField)


def test_area_police_never_see_sensitive_fields_whatever_the_purpose() -> None:
    police = _principal((Role.AREA_POLICE, WARD))
    for purpose in Purpose:
        seen = disclosure_for(police, LINEAGE, purpose)
        assert all(seen[f] is Disclosure.HIDDEN for f in SENSITIVE), purpose


def test_outside_the_scope_nothing_is_disclosed() -> None:
    leader = _principal((Role.GROUP_LEADER, OTHER_GROUP))
    seen = disclosure_for(leader, LINEAGE, Purpose.CONTACT)
    assert set(seen.values()) == {Disclosure.HIDDEN}


def test_the_most_generous_role_over_the_unit_counts_and_the_purpose_still_limits() -> None:
    both = _principal((Role.GROUP_LEADER, GROUP), (Role.WARD_OFFICIAL, WARD))
    welfare = disclosure_for(both, LINEAGE, Purpose.SOCIAL_WELFARE)
    assert welfare[PersonField.CITIZEN_ID] is Disclosure.FULL  # the ward's, not the leader's mask
    assert welfare[PersonField.RELIGION] is Disclosure.HIDDEN  # welfare does not need it


def test_residents_and_it_administrators_see_no_one_elses_details() -> None:
    for role in (Role.RESIDENT, Role.CITY_IT_ADMIN):
        seen = disclosure_for(_principal((role, CITY)), LINEAGE, Purpose.DATA_QUALITY)
        assert set(seen.values()) == {Disclosure.HIDDEN}


@pytest.mark.parametrize(
    ("field", "value", "masked"),
    [
        (PersonField.CITIZEN_ID, "048088012345", "•••••••••345"),
        (PersonField.PHONE, "+84905123456", "+8490•••••56"),
        (PersonField.BIRTH_DATE, "1988-04-12", "1988"),
        (PersonField.RELIGION, "Phật giáo", "•••"),
        (PersonField.PHONE, None, None),
    ],
)
def test_masks_keep_enough_to_recognise_a_record(
    field: PersonField, value: str | None, masked: str | None
) -> None:
    assert mask(field, value) == masked
