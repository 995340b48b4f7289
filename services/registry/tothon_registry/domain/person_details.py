"""What the register knows of a person, and the words it knows it in: sex, legal residence,
poverty status and consents as enums (their values are what the API, the events and the
published contracts carry), and the rules a person's details obey, each stated once here for
the aggregate, the API's validation and the spreadsheet import to call.

Split from ``person.py``: the aggregate there records what happens to a person; this module says
what their details may be.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from enum import StrEnum
from typing import Any

from tothon_registry.domain.errors import RegistryError

# The earliest birth year the register accepts: older is a typing mistake, not a person.
OLDEST_BIRTH_YEAR = 1890
# The longest free texts kept of a person (longer is not an ethnicity, a religion or an occupation).
TEXT_LIMITS = {"ethnicity": 60, "religion": 60, "occupation": 100}


class Sex(StrEnum):
    """A person's sex as the citizen ID records it."""

    MALE = "male"
    FEMALE = "female"


class ResidenceStatus(StrEnum):
    """Legal residence (from the police's residence database)."""

    PERMANENT = "permanent"  # thường trú
    TEMPORARY = "temporary"  # tạm trú, always until a date
    DECLARED_ABSENCE = "declared_absence"  # tạm vắng


class PovertyStatus(StrEnum):
    """The household's poverty classification as it applies to the person."""

    POOR = "poor"
    NEAR_POOR = "near_poor"
    NONE = "none"


class ConsentPurpose(StrEnum):
    """Processing that the law does not require and that needs the person's consent."""

    # Announcements by SMS or messaging app to this phone number.
    NOTIFICATIONS_PHONE = "notifications_phone"


class ErasureReason(StrEnum):
    """Why a person's data was erased. A code, never free text: the reason stays readable."""

    SUBJECT_REQUEST = "subject_request"
    REGISTERED_IN_ERROR = "registered_in_error"
    RETENTION_EXPIRED = "retention_expired"


class ResidenceError(RegistryError):
    """A residence status that does not hold together."""


def residence_holds(status: str | None, valid_until: date | None) -> bool:
    """Temporary residence, and only it, has an end date (the rule of the aggregate, the API
    and the import alike)."""
    return (status == ResidenceStatus.TEMPORARY) == (valid_until is not None)


def check_residence(status: str | None, valid_until: date | None) -> None:
    """Refuse a residence that breaks ``residence_holds``."""
    if not residence_holds(status, valid_until):
        raise ResidenceError("temporary residence, and only it, has an end date")


@dataclass(frozen=True)
class PersonDetails:
    """What the register knows of a person. Every field is personal data; several are sensitive."""

    full_name: str
    sex: str | None = None
    birth_date: date | None = None
    # Only the year is known for many older people; set with or instead of ``birth_date``.
    birth_year: int | None = None
    citizen_id: str | None = None
    phone: str | None = None
    ethnicity: str | None = None
    religion: str | None = None
    occupation: str | None = None
    health_status: str | None = None
    poverty_status: str | None = None
    # Legal residence (``ResidenceStatus``): permanent, temporary (with its validity) or a
    # declared absence.
    residence_status: str | None = None
    residence_valid_until: date | None = None

    def __post_init__(self) -> None:
        if self.birth_date is not None and self.birth_year is None:
            object.__setattr__(self, "birth_year", self.birth_date.year)

    def born_by(self, day: date) -> bool:
        """Whether the person was born on or before ``day`` (as far as the register knows: a
        year-only birth counts from the year's first day; an unknown birth, yes)."""
        if self.birth_date is not None:
            return self.birth_date <= day
        return self.birth_year is None or self.birth_year <= day.year

    def as_state(self) -> dict[str, Any]:
        """The details as event state (only the fields that are known)."""
        # Not ``asdict``: it deep-copies every value (all immutable here), a large share of a
        # bulk import's CPU.
        return {name: value for name in _DETAIL_FIELDS if (value := getattr(self, name)) is not None}


_DETAIL_FIELDS = tuple(f.name for f in fields(PersonDetails))
