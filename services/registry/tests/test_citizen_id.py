"""Citizen ID numbers checked against the holder's sex and birth year."""

from __future__ import annotations

import pytest

from tothon_registry.domain.citizen_id import IdFinding, check_citizen_id, parse_citizen_id


def test_a_number_says_where_when_and_which_sex() -> None:
    parts = parse_citizen_id("048188000123")
    assert parts is not None
    assert (parts.prefix, parts.sex, parts.birth_year()) == ("048", "female", 1988)
    boy = parse_citizen_id("049212000001")
    assert boy is not None
    assert (boy.sex, boy.birth_year()) == ("male", 2012)


@pytest.mark.parametrize(
    ("number", "sex", "year", "findings"),
    [
        ("048188000123", "female", 1988, []),
        ("048188000123", None, None, []),  # nothing to compare with: no finding
        ("048188000123", "male", 1988, [IdFinding.SEX_MISMATCH]),
        ("048188000123", "female", 1989, [IdFinding.YEAR_MISMATCH]),
        ("048188000123", "female", 2088, [IdFinding.CENTURY_MISMATCH]),
        ("048388000123", "female", 1988, [IdFinding.CENTURY_MISMATCH]),  # says 2088
        ("099188000123", "female", 1988, [IdFinding.UNKNOWN_PREFIX]),
        ("201234567", "female", 1988, [IdFinding.OLD_CARD]),  # a 9-digit CMND
        ("04818800012", "female", 1988, [IdFinding.MALFORMED]),
        ("04818800012X", None, None, [IdFinding.MALFORMED]),
    ],
)
def test_findings_name_every_disagreement(
    number: str, sex: str | None, year: int | None, findings: list[IdFinding]
) -> None:
    assert check_citizen_id(number, sex, year) == findings
