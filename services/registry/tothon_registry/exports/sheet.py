"""Writing the household spreadsheet in the columns the import reads, so that an exported file can
be uploaded again: one row a person, Vietnamese headers and words, dates as day/month/year."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook

from tothon_registry.imports.columns import COLUMNS as IMPORT_COLUMNS
from tothon_shared.auth.disclosure import PersonField

# The person field each of the import's columns shows (None: a household column), in the import's
# order and with its headers (imports/columns.py), so that an exported file reads back.
_SHOWS: dict[str, PersonField | None] = {
    "code": None,
    "full_name": PersonField.FULL_NAME,
    "relationship": None,
    "sex": PersonField.SEX,
    "birth": PersonField.BIRTH_DATE,
    "citizen_id": PersonField.CITIZEN_ID,
    "phone": PersonField.PHONE,
    "consent": PersonField.PHONE,
    "ethnicity": PersonField.ETHNICITY,
    "religion": PersonField.RELIGION,
    "occupation": PersonField.OCCUPATION,
    "residence_status": PersonField.RESIDENCE_STATUS,
    "residence_valid_until": PersonField.RESIDENCE_STATUS,
}
COLUMNS: list[tuple[str, PersonField | None]] = [(c.header, _SHOWS[c.field]) for c in IMPORT_COLUMNS]
SEX = {"male": "Nam", "female": "Nữ"}
RESIDENCE = {"permanent": "Thường trú", "temporary": "Tạm trú", "declared_absence": "Tạm vắng"}
# Relationships in the words the import reads back; some depend on the person's sex.
RELATIONSHIP = {
    "head": ("Chủ hộ", "Chủ hộ"),
    "spouse": ("Chồng", "Vợ"),
    "child": ("Con", "Con"),
    "parent": ("Cha", "Mẹ"),
    "grandparent": ("Ông", "Bà"),
    "grandchild": ("Cháu", "Cháu"),
    "sibling": ("Anh", "Chị"),
    "other": ("Khác", "Khác"),
}


def columns_for(shown: Iterable[PersonField]) -> list[str]:
    """The headers of an export that shows the fields ``shown`` (the others are left out whole:
    a masked value in a spreadsheet would only be mistaken for data)."""
    allowed = set(shown)
    return [header for header, field in COLUMNS if field is None or field in allowed]


def cells(person: Mapping[str, Any], headers: Sequence[str]) -> list[str]:
    """One person's row under ``headers``."""
    female = person.get("sex") == "female"
    birth = person.get("birth_date")
    until = person.get("residence_valid_until")
    values = {
        "Mã hộ": person["code"],
        "Họ và tên": person.get("full_name") or "",
        "Quan hệ với chủ hộ": RELATIONSHIP.get(person["relationship"], ("Khác", "Khác"))[female],
        "Giới tính": SEX.get(person.get("sex") or "", ""),
        "Ngày sinh": _day(birth) if birth else str(person.get("birth_year") or ""),
        "Số định danh": person.get("citizen_id") or "",
        "Số điện thoại": person.get("phone") or "",
        "Đồng ý nhận thông báo": "Có" if person.get("phone") else "",
        "Dân tộc": person.get("ethnicity") or "",
        "Tôn giáo": person.get("religion") or "",
        "Nghề nghiệp": person.get("occupation") or "",
        "Cư trú": RESIDENCE.get(person.get("residence_status") or "", ""),
        "Tạm trú đến": _day(until) if until else "",
    }
    return [values[h] for h in headers]


def _day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def to_csv(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """UTF-8 with a byte-order mark, which spreadsheet programs need to show Vietnamese letters."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """One sheet; every cell text, so that ID numbers keep their leading zeros."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Hộ gia đình")
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
