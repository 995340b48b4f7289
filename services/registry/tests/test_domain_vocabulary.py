"""The registry's vocabulary is the domain's: relationship, sex, residence and poverty status are
enums in ``domain/`` whose values the API, the web frontend and the spreadsheet all use; the sheet
has one definition of its columns and words, so a filled template and an export read back as
written; and each rule (temporary residence ⇔ an end date, one head per household) is stated in
the domain and obeyed alike by the aggregate, the API's validation and the import's row checks."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from openpyxl import load_workbook
from pydantic import ValidationError

from tothon_registry.api.schemas import NewUnitIn
from tothon_registry.disclosure import PersonField
from tothon_registry.domain.errors import HeadOfHouseholdError
from tothon_registry.domain.household import Household, Member, Relationship, has_one_head
from tothon_registry.domain.person import Person, PersonDetails, ResidenceError
from tothon_registry.domain.person_details import PovertyStatus, ResidenceStatus, Sex, residence_holds
from tothon_registry.domain.unit import UnitKind
from tothon_registry.exports.sheet import columns_for, rows_of, to_csv, to_xlsx
from tothon_registry.imports.columns import (
    BY_FIELD,
    COLUMNS,
    RELATIONSHIP_WORDS,
    RELATIONSHIPS,
    RESIDENCE_WORDS,
    RESIDENCES,
    SEX_WORDS,
    SEXES,
)
from tothon_registry.imports.households import Plan, plan
from tothon_registry.imports.rows import check_row
from tothon_registry.imports.sheet import read_sheet
from tothon_registry.imports.template import template
from tothon_registry.intake import MemberIn
from tothon_registry.quality.rules import household_findings
from tothon_shared.kernel.text import fold

I18N = Path(__file__).resolve().parents[3] / "frontends" / "web" / "js" / "i18n.js"
UNTIL = date(2027, 6, 30)


def test_the_values_the_api_and_the_contracts_carry_are_the_enums_values() -> None:
    # The JSON values are a published contract (the web frontend and other services read them):
    # making them enums must not change one.
    schema = MemberIn.model_json_schema()
    enums = {name: sorted(defn["enum"]) for name, defn in schema["$defs"].items() if "enum" in defn}
    assert enums["Relationship"] == sorted(
        ["head", "spouse", "child", "parent", "grandparent", "grandchild", "sibling", "other"]
    )
    assert enums["Sex"] == ["female", "male"]
    assert enums["ResidenceStatus"] == ["declared_absence", "permanent", "temporary"]
    assert enums["PovertyStatus"] == ["near_poor", "none", "poor"]
    member = MemberIn.model_validate({"full_name": "Lê Văn Tám", "relationship": "head", "sex": "male"})
    assert member.relationship is Relationship.HEAD
    assert member.model_dump(mode="json")["sex"] == "male"


def test_the_unit_kinds_the_api_takes_are_the_domain_s_enum() -> None:
    # One definition of the kinds (a Literal copy in the API used to repeat them): the schema
    # names the domain's enum, and its wire values are unchanged.
    schema = NewUnitIn.model_json_schema()
    assert schema["properties"]["kind"] == {"$ref": "#/$defs/UnitKind"}
    assert sorted(schema["$defs"]["UnitKind"]["enum"]) == sorted(
        ["province", "district", "ward", "commune", "special_zone", "residential_group", "village"]
    )
    unit = NewUnitIn.model_validate({"kind": "residential_group", "name": "Tổ dân phố 17"})
    assert unit.kind is UnitKind.RESIDENTIAL_GROUP


def _labels(table: str, language: str) -> set[str]:
    """The keys of one of i18n.js's tables in one language."""
    text = I18N.read_text(encoding="utf-8")
    start = text.index(f"\n  {language}: {{")
    body = text[text.index(f"{table}: {{", start) :]
    return set(re.findall(r'(\w+): "', body[: body.index("}")]))


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_web_frontend_names_every_value_of_the_domain(language: str) -> None:
    assert {str(r) for r in Relationship} <= _labels("relationships", language)
    values = _labels("values", language)
    for vocabulary in (Sex, ResidenceStatus, PovertyStatus):
        assert {str(v) for v in vocabulary} <= values


def test_every_domain_value_has_sheet_words_that_read_back_as_it() -> None:
    assert set(RELATIONSHIP_WORDS) == set(Relationship)
    assert set(SEX_WORDS) == set(Sex)
    assert set(RESIDENCE_WORDS) == set(ResidenceStatus)
    for relationship, words in RELATIONSHIP_WORDS.items():
        for word in words.read():
            member, findings = check_row(2, {"code": "H", "full_name": "Lê Văn Tám", "relationship": word})
            assert member is not None, word
            assert member.relationship is relationship, word
            assert findings == []


@pytest.mark.parametrize(
    ("field", "read"),
    [("relationship", RELATIONSHIPS), ("sex", SEXES), ("residence_status", RESIDENCES)],
)
def test_a_column_s_help_names_every_value_in_words_it_reads(field: str, read: dict[str, Any]) -> None:
    # "Chủ hộ, Vợ, Chồng, … hoặc Khác; mỗi hộ …": the words before the first ";" or "."
    listed = re.split(r", | hoặc ", re.split(r"[;.]", BY_FIELD[field].note_vi)[0])
    assert all(fold(word) in read for word in listed), listed
    assert {read[fold(word)] for word in listed} == set(read.values())


# --- one definition of the columns: a filled template and an export read back ---------------------


def _people() -> list[dict[str, Any]]:
    """A household for each relationship and sex (headed by a man, unless it is the head's own
    row), its members cycling through every residence status."""
    statuses = [*ResidenceStatus, None]
    people: list[dict[str, Any]] = []
    for number, (relationship, sex) in enumerate((r, s) for r in Relationship for s in Sex):
        code = f"HO-{number:02d}"
        if relationship is not Relationship.HEAD:
            people.append(_person(code, "Trần Văn Chủ", Relationship.HEAD, Sex.MALE, None))
        status = statuses[number % len(statuses)]
        people.append(_person(code, f"Người Số {number}", relationship, sex, status))
    return people


def _person(
    code: str, name: str, relationship: Relationship, sex: Sex, status: ResidenceStatus | None
) -> dict[str, Any]:
    return {
        "person_id": uuid4(),
        "code": code,
        "full_name": name,
        "relationship": str(relationship),
        "sex": str(sex),
        "birth_year": 1980,
        "phone": "+84905123456" if sex is Sex.FEMALE else None,
        "residence_status": str(status) if status else None,
        "residence_valid_until": UNTIL if status is ResidenceStatus.TEMPORARY else None,
    }


def _as_read(planned: Plan) -> list[tuple[str, str, str, str | None, date | None, str | None]]:
    assert (planned.errors, planned.notes) == ([], [])
    return sorted(
        (
            household.code,
            member.full_name,
            str(member.relationship),
            member.residence_status and str(member.residence_status),
            member.residence_valid_until,
            member.phone,
        )
        for household in planned.households
        for member in household.members
    )


def _as_written(
    people: list[dict[str, Any]],
) -> list[tuple[str, str, str, str | None, date | None, str | None]]:
    return sorted(
        (
            p["code"],
            p["full_name"],
            p["relationship"],
            p["residence_status"],
            p["residence_valid_until"],
            p["phone"],
        )
        for p in people
    )


@pytest.mark.parametrize(("writer", "filename"), [(to_csv, "export.csv"), (to_xlsx, "export.xlsx")])
def test_an_export_of_every_value_reads_back_as_written(writer: Any, filename: str) -> None:
    people = _people()
    headers = columns_for(PersonField)
    rows, incomplete = rows_of(people, headers)
    assert incomplete == 0
    planned = plan(read_sheet(writer(headers, rows), filename))
    assert _as_read(planned) == _as_written(people)
    sexes = {m.full_name: m.sex for h in planned.households for m in h.members}
    assert all(sexes[p["full_name"]] == p["sex"] for p in people)


def test_a_template_filled_in_with_the_export_s_rows_reads_back_as_them() -> None:
    people = _people()
    workbook = load_workbook(io.BytesIO(template()))
    sheet = workbook.worksheets[0]
    headers = [str(c.value) for c in sheet[1]]
    assert headers == columns_for(PersonField) == [c.header for c in COLUMNS]
    rows, _ = rows_of(people, headers)
    for row in rows:
        sheet.append(row)
    filled = io.BytesIO()
    workbook.save(filled)
    planned = plan(read_sheet(filled.getvalue(), "mau.xlsx"))
    assert planned.notes == [{**planned.notes[0], "code": "import.sheet.example_skipped"}]
    assert _as_read(Plan(planned.households, planned.errors, planned.refused)) == _as_written(people)


# --- temporary residence ⇔ an end date, one rule for the aggregate, the API and the import -------


def _residences() -> Iterator[tuple[ResidenceStatus | None, date | None]]:
    for status in (*ResidenceStatus, None):
        for until in (UNTIL, None):
            yield status, until


@pytest.mark.parametrize(("status", "until"), list(_residences()))
def test_temporary_residence_and_only_it_has_an_end_everywhere(
    status: ResidenceStatus | None, until: date | None
) -> None:
    holds = residence_holds(status, until)
    assert holds == ((status is ResidenceStatus.TEMPORARY) == (until is not None))
    fields = {"full_name": "Lê Văn Tám", "relationship": "head"}
    if status is not None:
        fields["residence_status"] = str(status)
    if until is not None:
        fields["residence_valid_until"] = until.isoformat()
    try:
        MemberIn.model_validate(fields)
        api_accepts = True
    except ValidationError:
        api_accepts = False
    assert api_accepts == holds
    if status is not None:
        person = Person.record(uuid4(), "head", PersonDetails("Lê Văn Tám"), [], date(2025, 1, 1))
        if holds:
            person.change_residence(status, until)
        else:
            with pytest.raises(ResidenceError):
                person.change_residence(status, until)
    cells = {"code": "H", "full_name": "Lê Văn Tám", "relationship": "Chủ hộ"}
    if status is not None:
        cells["residence_status"] = RESIDENCE_WORDS[status]
    if until is not None:
        cells["residence_valid_until"] = until.strftime("%d/%m/%Y")
    member, findings = check_row(2, cells)
    assert member is not None  # a broken residence is dropped with a note, the row kept
    kept = (member.residence_status, member.residence_valid_until)
    assert (kept == (status, until)) == holds
    assert residence_holds(*kept)
    assert bool(findings) != holds


# --- one head per household ---------------------------------------------------------------------


HOUSEHOLDS = [
    [],
    [Relationship.HEAD],
    [Relationship.HEAD, Relationship.SPOUSE, Relationship.CHILD],
    [Relationship.SPOUSE, Relationship.CHILD],
    [Relationship.HEAD, Relationship.HEAD],
]


@pytest.mark.parametrize("relationships", HOUSEHOLDS)
def test_one_head_per_household_everywhere(relationships: list[Relationship]) -> None:
    one = has_one_head(relationships)
    assert one == (relationships.count(Relationship.HEAD) == 1)
    members = [Member(uuid4(), str(r)) for r in relationships]
    if one:
        Household.register(uuid4(), "H", members, date(2025, 1, 1))
    else:
        with pytest.raises(HeadOfHouseholdError):
            Household.register(uuid4(), "H", members, date(2025, 1, 1))
    assert (household_findings(uuid4(), map(str, relationships)) == []) == one
    if relationships:
        people = [_person("H", f"Người Số {n}", r, Sex.MALE, None) for n, r in enumerate(relationships)]
        headers = columns_for(PersonField)
        planned = plan(read_sheet(to_csv(headers, rows_of(people, headers)[0]), "x.csv"))
        assert ("H" not in planned.refused) == one
        assert [e["code"] for e in planned.errors] == ([] if one else ["import.household.heads"])
