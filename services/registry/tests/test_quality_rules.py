"""Each data-quality rule, on rows as the lookup tables hold them."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

from tothon_registry.quality.rules import (
    Dimension,
    duplicate_findings,
    flag_findings,
    freshness_findings,
    household_findings,
    person_findings,
    score,
)

TODAY = date(2026, 11, 29)
HOME = uuid4()


def _person(**fields: Any) -> dict[str, Any]:
    return {
        "person_id": uuid4(),
        "household_id": HOME,
        "full_name": "Lê Thị Hoa",
        "name_key": "le thi hoa",
        "sex": "female",
        "birth_year": 1988,
        "citizen_id": "048188000123",
        "residence_status": "permanent",
        "residence_valid_until": None,
        "erased_on": None,
    } | fields


def _codes(person: dict[str, Any]) -> list[str]:
    return [f.code for f in person_findings(person, TODAY)]


def test_a_complete_consistent_person_has_no_finding() -> None:
    assert _codes(_person()) == []


def test_an_id_that_disagrees_with_sex_or_year_is_a_validity_finding() -> None:
    findings = person_findings(_person(sex="male", birth_year=1989), TODAY)
    assert [(f.code, f.dimension) for f in findings] == [
        ("citizen_id.sex_mismatch", Dimension.VALID),
        ("citizen_id.year_mismatch", Dimension.VALID),
    ]


def test_missing_fields_are_completeness_findings() -> None:
    assert _codes(_person(sex=None, residence_status=None)) == ["sex.missing", "residence_status.missing"]
    assert _codes(_person(birth_year=None, citizen_id=None)) == ["birth.missing"]
    # Adults need a citizen ID; a child under 14 does not have one yet.
    assert _codes(_person(citizen_id=None)) == ["citizen_id.missing"]
    assert _codes(_person(citizen_id=None, birth_year=2015)) == []


def test_implausible_births_and_expired_temporary_residence() -> None:
    assert _codes(_person(birth_year=1880, citizen_id=None)) == ["birth.implausible", "citizen_id.missing"]
    expired = _person(residence_status="temporary", residence_valid_until=date(2026, 1, 1))
    assert [(f.code, f.dimension) for f in person_findings(expired, TODAY)] == [
        ("residence.temporary_expired", Dimension.LIVE)
    ]


def test_erased_people_are_not_checked() -> None:
    assert _codes(_person(erased_on=TODAY, sex=None)) == []


def test_duplicates_by_id_by_household_and_by_name_and_birth() -> None:
    same_home = [_person(), _person()]
    assert {f.code for f in duplicate_findings(same_home)} == {
        "duplicate.citizen_id",
        "duplicate.name_and_birth",
    }
    elsewhere = [_person(), _person(household_id=uuid4(), name_key="le hoa")]
    assert {f.code for f in duplicate_findings(elsewhere)} == {"duplicate.two_households"}
    namesakes = [_person(citizen_id=None), _person(citizen_id=None)]
    assert [f.code for f in duplicate_findings(namesakes)] == ["duplicate.name_and_birth"] * 2
    # Namesakes born the same year with different IDs are two people.
    twins_by_name = [_person(), _person(citizen_id="048188000999")]
    assert duplicate_findings(twins_by_name) == []


def test_households_need_exactly_one_head() -> None:
    household = UUID(int=5)
    assert household_findings(household, ["head", "spouse"]) == []
    assert [f.code for f in household_findings(household, ["spouse"])] == ["household.no_head"]
    assert [f.code for f in household_findings(household, ["head", "head"])] == ["household.two_heads"]


def test_open_flags_are_liveness_findings_and_scores_count_people() -> None:
    people = [_person() for _ in range(4)]
    findings = flag_findings(
        [
            {"person_id": people[0]["person_id"], "household_id": HOME, "decision": None},
            {"person_id": people[1]["person_id"], "household_id": HOME, "decision": "dismissed"},
        ]
    )
    assert [f.code for f in findings] == ["presence.open_flag"]
    assert score(4, findings) == {"valid": 1.0, "complete": 1.0, "clean": 1.0, "live": 0.75}
    assert score(0, []) == {"valid": 1.0, "complete": 1.0, "clean": 1.0, "live": 1.0}


def test_a_household_unchecked_for_the_stated_months_is_stale() -> None:
    assert freshness_findings(HOME, date(2025, 11, 29), TODAY, 12)[0].code == "household.not_verified"
    assert freshness_findings(HOME, date(2025, 11, 30), TODAY, 12) == []  # a day short of a year
    assert freshness_findings(HOME, date(2026, 5, 29), TODAY, 6)[0].dimension is Dimension.LIVE
    assert freshness_findings(HOME, date(2026, 11, 29), TODAY, 1) == []
