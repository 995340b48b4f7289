"""Identifiers at the boundary: citizen ID numbers, Vietnamese phone numbers, dates of the past.

Only the formats are checked here; the register's own rules (an ID's province, century and sex
digits against the person's birth date and sex) belong to the registry's domain.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

import phonenumbers
from pydantic import AfterValidator, BeforeValidator, StringConstraints
from pydantic_core import PydanticCustomError

from tothon_shared.kernel.clock import today

_NOT_DIGITS = re.compile(r"[\s.\-()]")
# ``0`` or ``+84`` and nine digits, the first not 0: a national number as phonenumbers reads it.
_PLAIN_NATIONAL = re.compile(r"(?:0|\+84)([1-9]\d{8})")


def normalise_phone(value: str) -> str:
    """A Vietnamese number (mobile or fixed line) in E.164, from ``0…``, ``84…`` or ``+84…``;
    old 11-digit ``01xx`` mobile numbers (migrated in 2018) are refused."""
    plain = _PLAIN_NATIONAL.fullmatch(value)
    if plain is not None:
        # The common shapes skip the parser (four fifths of the cost; an import checks every
        # resident's phone); validity is still the library's.
        number = phonenumbers.PhoneNumber(country_code=84, national_number=int(plain[1]))
        if not phonenumbers.is_valid_number_for_region(number, "VN"):
            raise ValueError("not a valid Vietnamese phone number")
        return f"+84{plain[1]}"
    try:
        number = phonenumbers.parse(value, "VN")
    except phonenumbers.NumberParseException:
        raise ValueError("not a phone number") from None
    if not phonenumbers.is_valid_number(number) or phonenumbers.region_code_for_number(number) != "VN":
        raise ValueError("not a valid Vietnamese phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _not_future(value: date) -> date:
    # Today in Vietnam, not the server's UTC date (which is still yesterday until 07:00 there).
    if value > today():
        raise PydanticCustomError("date.future", "must not be in the future")
    return value


def _citizen_id(value: str) -> str:
    if re.fullmatch(r"\d{9}", value):
        raise ValueError("this is a 9-digit identity card (CMND) number: enter the 12-digit citizen ID")
    if not re.fullmatch(r"\d{12}", value):
        raise ValueError("a citizen ID has 12 digits")
    return value


# Twelve digits (the chip-based citizen ID card); spaces typed between groups are removed.
CitizenId = Annotated[
    str,
    BeforeValidator(lambda v: _NOT_DIGITS.sub("", v) if isinstance(v, str) else v),
    AfterValidator(_citizen_id),
]
VietnamesePhone = Annotated[str, StringConstraints(max_length=20), AfterValidator(normalise_phone)]
PastDate = Annotated[date, AfterValidator(_not_future)]
