"""Turning sheet rows into households to register: every row checked, all of a row's problems
reported by row number in Vietnamese (and English), a household with a refused row left out whole
(nothing partial is stored), and what was dropped or put right in the rows kept said too."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tothon_registry.domain.household import has_one_head
from tothon_registry.imports.columns import BY_FIELD
from tothon_registry.imports.rows import NO_CONSENT, Finding, check_row
from tothon_registry.imports.sheet import Sheet
from tothon_registry.intake import MemberIn
from tothon_registry.messages import text


@dataclass
class PlannedHousehold:
    """A household the sheet describes, with its members in sheet order."""

    code: str
    rows: list[int] = field(default_factory=list)
    members: list[MemberIn] = field(default_factory=list)


@dataclass
class Plan:
    """What the sheet holds: households to register; the rows' errors (which left a household
    out) and notes (values dropped or put right in rows that were kept)."""

    households: list[PlannedHousehold]
    errors: list[dict[str, Any]]
    refused: set[str]
    notes: list[dict[str, Any]] = field(default_factory=list)


def plan(sheet: Sheet) -> Plan:
    """Check every row; group the good ones by household; refuse a household with a bad row."""
    by_code: dict[str, PlannedHousehold] = {}
    findings: list[Finding] = _sheet_notes(sheet)
    refused: set[str] = set()
    for number, cells in sheet.rows:
        code = cells.get("code", "")
        household = by_code.setdefault(code, PlannedHousehold(code))
        household.rows.append(number)
        member, found = check_row(number, cells)
        findings += found
        if member is None:
            refused.add(code)
        else:
            household.members.append(member)
    for household in by_code.values():
        one_head = has_one_head(m.relationship for m in household.members)
        if household.code not in refused and not one_head:
            refused.add(household.code)
            rows = ", ".join(map(str, household.rows))
            findings.append(Finding(household.rows[0], None, "import.household.heads", True, {"rows": rows}))
    codes = {number: cells.get("code", "") for number, cells in sheet.rows}
    # A note about a row of a household left out would only distract: it is said once it imports.
    findings = [f for f in findings if f.refuses or f.row not in codes or codes[f.row] not in refused]
    findings = _without_consent_column(sheet, findings)
    findings.sort(key=lambda f: f.row)
    errors = [describe(f, codes.get(f.row, "")) for f in findings if f.refuses]
    notes = [describe(f, codes.get(f.row, "")) for f in findings if not f.refuses]
    return Plan([h for h in by_code.values() if h.code not in refused], errors, refused, notes)


def _sheet_notes(sheet: Sheet) -> list[Finding]:
    notes = []
    if sheet.ignored:
        params = {"columns": ", ".join(sheet.ignored)}
        notes.append(Finding(sheet.header_row, None, "import.sheet.ignored_columns", False, params))
    if sheet.example_row is not None:
        notes.append(Finding(sheet.example_row, None, "import.sheet.example_skipped", False))
    return notes


def _without_consent_column(sheet: Sheet, findings: list[Finding]) -> list[Finding]:
    """A sheet without the consent column has no consent for any phone: one note says so, not
    one a row."""
    if "consent" in sheet.fields:
        return findings
    kept = [f for f in findings if f.code != NO_CONSENT]
    if len(kept) < len(findings):
        count = str(len(findings) - len(kept))
        kept.append(
            Finding(sheet.header_row, None, "import.sheet.no_consent_column", False, {"count": count})
        )
    return kept


def describe(finding: Finding, household: str) -> dict[str, Any]:
    """A finding as the import's result shows it: Vietnamese and English sentences that start with
    the row and name the column as the sheet does, never a field path or a library's words."""
    params = {**finding.params, "household": household}
    rows = params.get("rows", str(finding.row))
    vi, en = (text(finding.code, lang).format(**params) for lang in ("vi", "en"))
    column = BY_FIELD[finding.column] if finding.column else None
    where_vi = f"Dòng {rows} — {column.header}" if column else f"Dòng {rows}"
    where_en = f"Row {rows} — {column.header} ({column.english})" if column else f"Row {rows}"
    return {
        "row": finding.row,
        "column": column.header if column else None,
        "code": finding.code,
        "refused": finding.refuses,
        "message": f"{where_vi}: {vi}",
        "message_en": f"{where_en}: {en}",
    }
