"""Identifiers at the boundary: citizen ID numbers, Vietnamese phone numbers, dates of the past.

Only the formats are checked here; the register's own rules (an ID's province, century and sex
digits against the person's birth date and sex) belong to the registry's domain.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, StringConstraints

_NOT_DIGITS = re.compile(r"[\s.\-()]")


def normalise_phone(value: str) -> str:
    """A Vietnamese number in E.164 (``+84`` and nine digits) from ``0…``, ``84…`` or ``+84…``."""
    digits = _NOT_DIGITS.sub("", value)
    if digits.startswith("+84"):
        national = digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        raise ValueError("a Vietnamese phone number starts with 0, 84 or +84")
    if not re.fullmatch(r"[35789]\d{8}", national):
        raise ValueError("a Vietnamese mobile number has 10 digits starting 03, 05, 07, 08 or 09")
    return "+84" + national


def _not_future(value: date) -> date:
    if value > date.today():
        raise ValueError("must not be in the future")
    return value


# Twelve digits (the chip-based citizen ID card); spaces typed between groups are removed.
CitizenId = Annotated[
    str,
    BeforeValidator(lambda v: _NOT_DIGITS.sub("", v) if isinstance(v, str) else v),
    StringConstraints(pattern=r"^\d{12}$"),
]
VietnamesePhone = Annotated[str, StringConstraints(max_length=20), AfterValidator(normalise_phone)]
PastDate = Annotated[date, AfterValidator(_not_future)]
