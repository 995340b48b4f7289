"""Turning sheet rows into households to register: every row checked, errors by row number in
Vietnamese, and a household with any bad row left out whole (nothing partial is stored)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError

from tothon_registry.api.schemas import MemberIn
from tothon_registry.domain.names import fold
from tothon_registry.imports.sheet import Row
from tothon_shared.messages import field_message

RELATIONSHIPS = {
    "chu ho": "head",
    "vo": "spouse",
    "chong": "spouse",
    "con": "child",
    "con trai": "child",
    "con gai": "child",
    "cha": "parent",
    "me": "parent",
    "bo": "parent",
    "ong": "grandparent",
    "ba": "grandparent",
    "chau": "grandchild",
    "anh": "sibling",
    "chi": "sibling",
    "em": "sibling",
}
SEXES = {"nam": "male", "nu": "female"}
RESIDENCE = {"thuong tru": "permanent", "tam tru": "temporary", "tam vang": "declared_absence"}
YES = {"co", "x", "yes", "dong y"}
LABELS = {
    "code": "Mã hộ",
    "full_name": "Họ và tên",
    "relationship": "Quan hệ với chủ hộ",
    "sex": "Giới tính",
    "birth_date": "Ngày sinh",
    "birth_year": "Ngày sinh",
    "citizen_id": "Số định danh",
    "phone": "Số điện thoại",
    "ethnicity": "Dân tộc",
    "religion": "Tôn giáo",
    "occupation": "Nghề nghiệp",
    "residence_status": "Cư trú",
    "residence_valid_until": "Tạm trú đến",
}
_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


@dataclass
class PlannedHousehold:
    """A household the sheet describes, with its members in sheet order."""

    code: str
    rows: list[int] = field(default_factory=list)
    members: list[MemberIn] = field(default_factory=list)


@dataclass
class Plan:
    """What the sheet holds: households to register, and the rows' errors."""

    households: list[PlannedHousehold]
    errors: list[dict[str, Any]]
    refused: set[str]


def plan(rows: list[Row]) -> Plan:
    """Check every row; group the good ones by household; refuse a household with a bad row."""
    by_code: dict[str, PlannedHousehold] = {}
    errors: list[dict[str, Any]] = []
    refused: set[str] = set()
    for number, cells in rows:
        code = cells.get("code", "")
        household = by_code.setdefault(code, PlannedHousehold(code))
        household.rows.append(number)
        problems: list[str] = []
        member = _member(cells, problems)
        if not code:
            problems.append("thiếu Mã hộ")
        if problems or member is None:
            refused.add(code)
            errors += [{"row": number, "message": f"Dòng {number}: {p}"} for p in problems]
            continue
        household.members.append(member)
    for household in by_code.values():
        heads = sum(1 for m in household.members if m.relationship == "head")
        if household.code not in refused and heads != 1:
            refused.add(household.code)
            numbers = ", ".join(map(str, household.rows))
            message = f"Dòng {numbers}: hộ {household.code} phải có đúng một chủ hộ"
            errors.append({"row": household.rows[0], "message": message})
    errors.sort(key=lambda e: e["row"])
    return Plan([h for h in by_code.values() if h.code not in refused], errors, refused)


def _member(cells: dict[str, str], problems: list[str]) -> MemberIn | None:
    data: dict[str, Any] = {"full_name": cells.get("full_name", "")}
    relationship = fold(cells.get("relationship", ""))
    data["relationship"] = RELATIONSHIPS.get(relationship, "other" if relationship else "")
    if "sex" in cells:
        data["sex"] = SEXES.get(fold(cells["sex"]), cells["sex"])
    if "birth" in cells:
        _birth(cells["birth"], data, problems)
    for name in ("citizen_id", "ethnicity", "religion", "occupation"):
        if name in cells:
            data[name] = cells[name]
    if "phone" in cells:
        if fold(cells.get("consent", "")) not in YES:
            problems.append(
                "chỉ ghi Số điện thoại khi người dân đồng ý nhận thông báo (cột Đồng ý nhận thông báo: Có)"
            )
        data["phone"] = cells["phone"]
        data["consents"] = ["notifications_phone"]
    if "residence_status" in cells:
        data["residence_status"] = RESIDENCE.get(fold(cells["residence_status"]), cells["residence_status"])
    if "residence_valid_until" in cells:
        parsed = _date(cells["residence_valid_until"], problems, "Tạm trú đến")
        if parsed is not None:
            data["residence_valid_until"] = parsed
    if problems:
        return None
    try:
        return MemberIn.model_validate(data)
    except ValidationError as error:
        for detail in error.errors():
            where = LABELS.get(str(detail["loc"][0]), "") if detail["loc"] else ""
            problems.append(f"{where}: {_vietnamese(detail)}" if where else _vietnamese(detail))
        return None


def _birth(text: str, data: dict[str, Any], problems: list[str]) -> None:
    if re.fullmatch(r"\d{4}", text):
        data["birth_year"] = int(text)
        return
    parsed = _date(text, problems, "Ngày sinh")
    if parsed is not None:
        data["birth_date"] = parsed


def _date(text: str, problems: list[str], label: str) -> date | None:
    match = _DATE.match(text)
    if match is None:
        problems.append(f"{label} phải viết ngày/tháng/năm (vd. 05/03/1985) hoặc chỉ năm")
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        if month > 12 and day <= 12:
            problems.append(f"{label} {text}: tháng {month} không có — ngày và tháng bị đảo chăng?")
        else:
            problems.append(f"{label} {text}: ngày không có thật")
        return None


def _vietnamese(detail: Any) -> str:
    known = field_message(detail, "vi")  # the shared text rules' own words (unsafe text, no letter…)
    if known is not None:
        return known
    message = str(detail.get("msg", ""))
    if "12-digit" in message or "12 digits" in message:
        return "số định danh phải có 12 chữ số (số CMND 9 số cũ không dùng được)"
    if "phone" in message:
        return "số điện thoại Việt Nam không hợp lệ"
    if detail.get("type") == "literal_error":
        return "giá trị không nằm trong danh sách cho phép"
    if "future" in message:
        return "không được ở tương lai"
    if detail.get("type") in ("missing", "string_too_short") or "blank" in message:
        return "bắt buộc, không được để trống"
    if "disagree" in message:
        return "ngày sinh và năm sinh không khớp"
    if "temporary residence" in message:
        return "tạm trú phải có ngày hết hạn (và chỉ tạm trú)"
    return message
