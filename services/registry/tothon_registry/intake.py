"""What a household member being registered is given as, at either edge of the registry: a
request to the API or a row of a spreadsheet import. One definition, so that both refuse the
same input the same way (and the import need not reach into the API)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from tothon_registry.domain.household import Relationship
from tothon_registry.domain.names import clean_name
from tothon_registry.domain.person_details import (
    OLDEST_BIRTH_YEAR,
    TEXT_LIMITS,
    ConsentPurpose,
    PovertyStatus,
    ResidenceStatus,
    Sex,
    residence_holds,
)
from tothon_shared.kernel.clock import today
from tothon_shared.kernel.identity import CitizenId, PastDate, VietnamesePhone
from tothon_shared.kernel.text import Name, ShortText

_T = TypeVar("_T")


def each_once(items: list[_T]) -> list[_T]:
    """The items, refused when one is named twice (the document says ``uniqueItems``): a unit or a
    consent purpose twice is a client's mistake, refused rather than quietly merged."""
    if len(set(items)) != len(items):
        raise ValueError("name each item once")
    return items


# A person's name: safe text with a letter, and capitals (as copied from the ID card) made into words.
NameText = Annotated[Name, AfterValidator(clean_name)]


class MemberIn(BaseModel):
    """A member of a household being registered, with the personal details known of them."""

    model_config = ConfigDict(extra="forbid")
    full_name: NameText
    relationship: Relationship
    sex: Sex | None = None
    birth_date: PastDate | None = None
    birth_year: int | None = Field(
        default=None, ge=OLDEST_BIRTH_YEAR, le=9999, description="When only the year is known."
    )
    citizen_id: CitizenId | None = None
    phone: VietnamesePhone | None = Field(
        default=None, description="Kept only with the consent `notifications_phone` in `consents`."
    )
    ethnicity: Annotated[ShortText, Field(max_length=TEXT_LIMITS["ethnicity"])] | None = None
    religion: Annotated[ShortText, Field(max_length=TEXT_LIMITS["religion"])] | None = None
    occupation: Annotated[ShortText, Field(max_length=TEXT_LIMITS["occupation"])] | None = None
    health_status: ShortText | None = None
    poverty_status: PovertyStatus | None = None
    residence_status: ResidenceStatus | None = None
    residence_valid_until: date | None = Field(default=None, description="Temporary residence only.")
    consents: Annotated[list[ConsentPurpose], AfterValidator(each_once)] = Field(
        default_factory=list, max_length=5, json_schema_extra={"uniqueItems": True}
    )

    @model_validator(mode="after")
    def _consistent(self) -> MemberIn:
        if self.birth_date and self.birth_year and self.birth_date.year != self.birth_year:
            raise ValueError("birth_date and birth_year disagree")
        if self.birth_year and self.birth_year > today().year:
            raise ValueError("birth_year must not be in the future")
        if not residence_holds(self.residence_status, self.residence_valid_until):
            raise ValueError("temporary residence, and only it, has residence_valid_until")
        return self
