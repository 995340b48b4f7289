"""Checking one sheet row, reporting every problem at once.

What makes the record wrong refuses the row (and so its household): no code, name or
relationship, a citizen ID that is not one, a date that cannot be. A wrong optional value (a phone
number, a sex or residence word the import does not know, a text too long) is dropped and the row
kept, with a note saying what was dropped. A value the import can put right unambiguously is put
right, with a note: Excel drops the leading zeros of numbers, so ``48072000101`` is ``048072000101``
when that is a citizen ID of a real province, and ``905123456`` is ``0905123456``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import TypeAdapter, ValidationError

from tothon_registry.domain.citizen_id import PROVINCE_PREFIXES
from tothon_registry.domain.household import Relationship
from tothon_registry.domain.person_details import (
    OLDEST_BIRTH_YEAR,
    TEXT_LIMITS,
    ConsentPurpose,
    ResidenceStatus,
    residence_holds,
)
from tothon_registry.imports.columns import RELATIONSHIPS, RESIDENCES, SEXES, YES
from tothon_registry.intake import MemberIn, NameText
from tothon_registry.messages import CATALOGUE
from tothon_shared.kernel.clock import today
from tothon_shared.kernel.identity import normalise_phone
from tothon_shared.kernel.text import ShortText, fold
from tothon_shared.sheet_values import DayError, day_month_year

NO_CONSENT = "import.row.phone_no_consent"
_SEPARATORS = re.compile(r"[\s.\-()]")
_SCIENTIFIC = re.compile(r"^\d+(?:[.,]\d+)?[eE]\+?\d+$")
_OLD_MOBILE = re.compile(r"^(?:\+?84|0)?1\d{9}$")  # 01xx numbers, moved to 03x-09x in 2018
_NAME = TypeAdapter(NameText)
_TEXT = TypeAdapter(ShortText)


@dataclass(frozen=True)
class Finding:
    """A problem in one cell (or the row): ``code`` names the message; ``refuses`` whether the
    row is left out (else the value was dropped or put right and the row kept)."""

    row: int
    column: str | None  # the column's field
    code: str
    refuses: bool
    # Never the personal value itself (an ID, a phone, a date of birth): the import's result is
    # kept, and must not outlive an erasure of the person.
    params: dict[str, str] = field(default_factory=dict)


class RowCheck:
    """The findings of one row as its cells are read."""

    def __init__(self, number: int) -> None:
        self.number = number
        self.findings: list[Finding] = []

    def refuse(self, name: str | None, code: str, **params: str) -> None:
        self.findings.append(Finding(self.number, name, code, True, params))

    def note(self, name: str | None, code: str, **params: str) -> None:
        self.findings.append(Finding(self.number, name, code, False, params))

    @property
    def refused(self) -> bool:
        return any(f.refuses for f in self.findings)


def check_row(number: int, cells: dict[str, str]) -> tuple[MemberIn | None, list[Finding]]:
    """The member a row describes (None if refused), and every finding about it."""
    check = RowCheck(number)
    data: dict[str, Any] = {}
    if not cells.get("code"):
        check.refuse("code", "import.row.required")
    elif len(cells["code"]) > 40:
        check.refuse("code", "import.row.code_long")
    _name(cells.get("full_name", ""), data, check)
    _relationship(cells.get("relationship", ""), data, check)
    _sex(cells.get("sex"), data, check)
    _birth(cells.get("birth"), data, check)
    _citizen_id(cells.get("citizen_id"), data, check)
    _phone(cells.get("phone"), cells.get("consent", ""), data, check)
    for name, longest in TEXT_LIMITS.items():
        _short_text(name, cells.get(name), longest, data, check)
    _residence(cells.get("residence_status"), cells.get("residence_valid_until"), data, check)
    if check.refused:
        return None, check.findings
    try:
        return MemberIn.model_validate(data), check.findings
    except ValidationError as error:  # a rule of the API's own the checks above do not restate
        for detail in error.errors():
            where = str(detail["loc"][0]) if detail["loc"] else None
            check.refuse(_column_field(where), "import.row.invalid")
        return None, check.findings


def _column_field(name: str | None) -> str | None:
    return "birth" if name in ("birth_date", "birth_year") else name


def _name(text: str, data: dict[str, Any], check: RowCheck) -> None:
    if not text:
        check.refuse("full_name", "import.row.required")
        return
    try:
        data["full_name"] = _NAME.validate_python(text)
    except ValidationError as error:
        # The shared text rules say what is wrong (a hidden character, no letter) in the
        # catalogue's words; anything else is "not a valid name".
        found = error.errors()[0]
        code = str(found["type"])
        if code in CATALOGUE:
            check.refuse("full_name", code, **{k: str(v) for k, v in (found.get("ctx") or {}).items()})
        else:
            check.refuse("full_name", "import.row.name_invalid")


def _relationship(text: str, data: dict[str, Any], check: RowCheck) -> None:
    if not text:
        check.refuse("relationship", "import.row.required")
        return
    data["relationship"] = RELATIONSHIPS.get(fold(text), Relationship.OTHER)
    if fold(text) not in RELATIONSHIPS:
        check.note("relationship", "import.row.relationship_other", value=text)


def _sex(text: str | None, data: dict[str, Any], check: RowCheck) -> None:
    if text is None:
        return
    if fold(text) in SEXES:
        data["sex"] = SEXES[fold(text)]
    else:
        check.note("sex", "import.row.sex_dropped", value=text)


def _birth(text: str | None, data: dict[str, Any], check: RowCheck) -> None:
    if text is None:
        return
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        if not OLDEST_BIRTH_YEAR <= year <= today().year:
            check.refuse("birth", "import.row.year_impossible")
        else:
            data["birth_year"] = year
        return
    born = read_date(text, "birth", check)
    if born is None:
        return
    if born > today():
        check.refuse("birth", "import.row.date_future")
    elif born.year < OLDEST_BIRTH_YEAR:
        check.refuse("birth", "import.row.year_impossible")
    else:
        data["birth_date"] = born


def read_date(text: str, name: str, check: RowCheck) -> date | None:
    """A day/month/year date (the shared reading of one), or None with the reason it cannot be one."""
    try:
        return day_month_year(text)
    except DayError as error:
        check.refuse(name, error.key.replace("sheet.", "import.row.", 1), **error.params)
        return None


def _citizen_id(text: str | None, data: dict[str, Any], check: RowCheck) -> None:
    if text is None:
        return
    if _SCIENTIFIC.match(text):
        check.refuse("citizen_id", "import.row.id_scientific")
        return
    digits = _SEPARATORS.sub("", text)
    if re.fullmatch(r"\d{12}", digits):
        data["citizen_id"] = digits
    elif re.fullmatch(r"\d{10,11}", digits) and digits.zfill(12)[:3] in PROVINCE_PREFIXES:
        data["citizen_id"] = digits.zfill(12)
        check.note("citizen_id", "import.row.id_zero_restored")
    elif re.fullmatch(r"\d{9}", digits):
        check.refuse("citizen_id", "import.row.id_old_card")
    else:
        check.refuse("citizen_id", "import.row.id_malformed", digits=str(sum(map(str.isdigit, text))))


def _phone(text: str | None, consent: str, data: dict[str, Any], check: RowCheck) -> None:
    if text is None:
        return
    number = _SEPARATORS.sub("", text)
    if re.fullmatch(r"[1-9]\d{8}", number):
        number = "0" + number  # Excel dropped the leading zero
    try:
        phone = normalise_phone(number)
    except ValueError:
        old = _OLD_MOBILE.match(number) is not None
        check.note("phone", "import.row.phone_old" if old else "import.row.phone_dropped")
        return
    if fold(consent) not in YES:
        check.note("phone", NO_CONSENT)
        return
    data["phone"] = phone
    data["consents"] = [ConsentPurpose.NOTIFICATIONS_PHONE]


def _short_text(name: str, text: str | None, longest: int, data: dict[str, Any], check: RowCheck) -> None:
    if text is None:
        return
    try:
        value = _TEXT.validate_python(text)
    except ValidationError:
        value = ""
    if not value or len(value) > longest:
        check.note(name, "import.row.text_dropped", longest=str(longest))
    else:
        data[name] = value


def _residence(status: str | None, until: str | None, data: dict[str, Any], check: RowCheck) -> None:
    """The residence, kept only when it obeys the domain's rule (``residence_holds``); what breaks
    it is dropped with a note saying which half is missing."""
    valid_until = read_date(until, "residence_valid_until", check) if until is not None else None
    known = RESIDENCES.get(fold(status)) if status is not None else None
    if status is not None and known is None:
        check.note("residence_status", "import.row.residence_dropped", value=status)
    if residence_holds(known, valid_until):
        if known is not None:
            data["residence_status"] = known
        if valid_until is not None:
            data["residence_valid_until"] = valid_until
    elif known == ResidenceStatus.TEMPORARY:
        if until is None:  # an unreadable date was refused already
            check.note("residence_status", "import.row.temporary_without_end")
    else:
        if known is not None:
            data["residence_status"] = known
        check.note("residence_valid_until", "import.row.end_without_temporary")
