"""Identifiers at the boundary: the ways people write a Vietnamese phone number, and citizen IDs."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from tothon_shared.kernel.identity import CitizenId, PastDate, VietnamesePhone, normalise_phone


@pytest.mark.parametrize(
    "typed", ["0905123456", "0905 123 456", "84905123456", "+84 905 123 456", "+84-905.123.456"]
)
def test_phones_are_stored_in_e164(typed: str) -> None:
    assert normalise_phone(typed) == "+84905123456"


def test_fixed_lines_are_numbers_too() -> None:
    assert normalise_phone("0236 3822 123") == "+842363822123"


@pytest.mark.parametrize(
    "typed", ["12345", "+1 202 555 0100", "0205123456", "09051234567", "84 1234", "01223456789", "số"]
)
def test_what_is_not_a_vietnamese_mobile_number_is_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="phone number"):
        normalise_phone(typed)


class Person(BaseModel):
    citizen_id: CitizenId | None = None
    phone: VietnamesePhone | None = None
    birth_date: PastDate | None = None


def test_citizen_ids_have_twelve_digits_and_typed_spaces_are_dropped() -> None:
    assert Person(citizen_id="048 088 012345").citizen_id == "048088012345"
    for bad in ("04808801234", "0480880123456", "04808801234X", "201234567"):  # 9 digits: the old card
        with pytest.raises(ValidationError):
            Person(citizen_id=bad)


def test_birth_dates_cannot_be_in_the_future() -> None:
    with pytest.raises(ValidationError):
        Person.model_validate({"birth_date": "2999-01-01"})
