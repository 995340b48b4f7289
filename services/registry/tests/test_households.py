"""Registering households: the head rule, the unit rule, and one household per code per unit."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import IntegrityError

from tothon_registry.application import NewMember, RegistryApplication, UnitNotFoundError
from tothon_registry.domain.errors import HeadOfHouseholdError, NotResidentialUnitError
from tothon_registry.domain.person import PersonDetails


def member(name: str, relationship: str) -> NewMember:
    """A member known by name only."""
    return NewMember(relationship, PersonDetails(full_name=name))


FAMILY = [
    member("Nguyễn Văn Hùng", "head"),
    member("Trần Thị Mai", "spouse"),
    member("Nguyễn Minh Khôi", "child"),
]


def test_registered_household_has_its_head_and_members(registry: RegistryApplication, group: UUID) -> None:
    household_id = registry.register_household(group, "HO-001", FAMILY, date(2025, 8, 1))
    household = registry.get_household(household_id)
    head = registry.get_person(household.head.person_id)
    assert head.details is not None
    assert head.details.full_name == "Nguyễn Văn Hùng"
    assert head.household_id == household_id
    assert [m.relationship for m in household.members] == ["head", "spouse", "child"]
    assert household.unit_id == group


@pytest.mark.parametrize(
    "members",
    [
        [member("Trần Thị Mai", "spouse")],
        [member("Nguyễn Văn Hùng", "head"), member("Trần Thị Mai", "head")],
    ],
)
def test_a_household_needs_exactly_one_head(
    registry: RegistryApplication, group: UUID, members: list[NewMember]
) -> None:
    with pytest.raises(HeadOfHouseholdError):
        registry.register_household(group, "HO-002", members, date(2025, 8, 1))
    assert registry.recorder.max_notification_id() == 3  # only the three units


def test_households_register_in_groups_and_villages_not_in_wards(
    registry: RegistryApplication, group: UUID
) -> None:
    ward = registry.get_unit(group).parent_id
    assert ward is not None
    with pytest.raises(NotResidentialUnitError):
        registry.register_household(ward, "HO-001", FAMILY, date(2025, 8, 1))


def test_an_unknown_unit_is_refused(registry: RegistryApplication) -> None:
    with pytest.raises(UnitNotFoundError):
        registry.register_household(uuid4(), "HO-001", FAMILY, date(2025, 8, 1))


def test_the_same_code_cannot_be_registered_twice_in_a_unit(
    registry: RegistryApplication, group: UUID
) -> None:
    registry.register_household(group, "HO-001", FAMILY, date(2025, 8, 1))
    with pytest.raises(IntegrityError):
        registry.register_household(group, "HO-001", FAMILY, date(2025, 8, 1))


def test_concurrent_registrations_each_get_their_own_outcome(
    registry: RegistryApplication, group: UUID
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def register(code: str) -> str:
        try:
            registry.register_household(group, code, FAMILY, date(2025, 8, 1))
        except IntegrityError:
            return "conflict"
        return "ok"

    codes = [f"HO-{n:03d}" for n in range(40)] + ["HO-007"]  # one code twice
    with ThreadPoolExecutor(max_workers=16) as pool:
        outcomes = list(pool.map(register, codes))
    assert outcomes.count("conflict") == 1
    assert outcomes.count("ok") == 40
    assert registry.recorder.max_notification_id() == 3 + 40 * 4  # 3 units, 40 households of 3
