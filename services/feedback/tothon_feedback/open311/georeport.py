"""Our cases and categories in GeoReport v2's terms (and FixMyStreet's updates extension).

Without a key the public learns what the public outcomes show: the request type, its status and
public answer, the unit handling it and the dates; a system presenting a key also gets the
description, the address and the position the case was filed with. Statuses map to open/closed;
the updates use FixMyStreet's finer vocabulary."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from tothon_feedback.domain.categories import Category

OPEN_STATUSES = frozenset({"submitted", "accepted", "in_progress"})
# A step of the timeline → FixMyStreet's update status.
UPDATE_STATUS = {
    "submitted": "OPEN",
    "accepted": "INVESTIGATING",
    "started": "IN_PROGRESS",
    "replied": "ACTION_SCHEDULED",
    "resolved": "FIXED",
    "closed": "CLOSED",
    "reopened": "OPEN",
    "escalated": "INTERNAL_REFERRAL",
    "returned": "INTERNAL_REFERRAL",
    "rejected": "NOT_COUNCILS_RESPONSIBILITY",
    "merged": "DUPLICATE",
}
# What each step says publicly when its own text is not for the public.
STEP_TEXT = {
    "submitted": "Đã tiếp nhận phản ánh.",
    "accepted": "Đơn vị xử lý đã nhận phản ánh.",
    "started": "Đang xử lý.",
    "replied": "Đơn vị xử lý đã trả lời người phản ánh.",
    "resolved": "Đã có kết quả xử lý.",
    "closed": "Người phản ánh đã xác nhận kết quả.",
    "reopened": "Người phản ánh chưa hài lòng; phản ánh được chuyển lên cấp trên.",
    "escalated": "Phản ánh được chuyển lên cấp trên.",
    "returned": "Phản ánh được chuyển về cấp dưới có thẩm quyền.",
    "rejected": "Phản ánh không được tiếp nhận xử lý.",
    "merged": "Phản ánh trùng với một phản ánh khác đang được xử lý.",
}
LEVEL_NAMES = {"group": "Tổ dân phố / thôn", "ward": "UBND phường / xã", "city": "UBND thành phố / sở, ngành"}
FORMAL = "Khiếu nại, tố cáo được giải quyết theo Luật Khiếu nại và Luật Tố cáo, không nhận qua kênh này."


def _iso(at: datetime | None) -> str | None:
    return at.isoformat().replace("+00:00", "Z") if at is not None else None


def service(category: Category) -> dict[str, Any]:
    """A category as a GeoReport service."""
    return {
        "service_code": category.code,
        "service_name": category.name_vi,
        "description": FORMAL if category.formal_procedure else f"{category.name_vi} ({category.name_en})",
        "metadata": False,
        "type": "realtime",
        "keywords": category.name_en,
        "group": LEVEL_NAMES[category.level.value],
    }


def definition(category: Category) -> dict[str, Any]:
    """A category's definition: no attributes beyond the standard fields."""
    return {"service_code": category.code, "attributes": []}


def evidence_url(base: str, sha: str) -> str:
    """Where anyone sees a resolved case's evidence."""
    return f"{base}/api/v1/feedback/public/evidence/{sha}"


def _status_notes(case: Mapping[str, Any]) -> str | None:
    status = case["status"]
    if status in ("resolved", "closed"):
        return str(case["answer"])
    if status == "merged":
        return f"Trùng với phản ánh {case['merged_into']}."
    if status == "rejected":
        return STEP_TEXT["rejected"]
    if case["level"] != "group" and (case["escalations"] or case["reopenings"]):
        return f"Đang xử lý ở cấp {LEVEL_NAMES[case['level']]}."
    return None


def request(
    case: Mapping[str, Any], names: Mapping[str, str], units: Mapping[Any, str], base: str, trusted: bool
) -> dict[str, Any]:
    """A case as a GeoReport service request; ``trusted`` for a system presenting a key."""
    status = case["status"]
    evidence = case["evidence"] or []
    return {
        "service_request_id": str(case["case_id"]),
        "status": "open" if status in OPEN_STATUSES else "closed",
        "status_notes": _status_notes(case),
        "service_name": names.get(case["category"]),
        "service_code": case["category"],
        "description": case["text"] if trusted else None,
        "agency_responsible": units.get(case["unit_id"]) or LEVEL_NAMES[case["level"]],
        "service_notice": None,
        "requested_datetime": _iso(case["submitted_at"]),
        "updated_datetime": _iso(case["updated_at"]),
        "expected_datetime": _iso(case["resolve_by"]) if status in OPEN_STATUSES else None,
        "address": (case["address"] or None) if trusted else None,
        "address_id": str(case["origin_unit_id"]),
        "zipcode": None,
        "lat": case["latitude"] if trusted else None,
        "long": case["longitude"] if trusted else None,
        "media_url": evidence_url(base, evidence[0])
        if evidence and status in ("resolved", "closed")
        else None,
    }


def update(step: Mapping[str, Any], base: str, trusted: bool) -> dict[str, Any]:
    """A public step of a case as a FixMyStreet request update."""
    name = step["step"]
    evidence = (step["detail"] or {}).get("evidence") or []
    text = step["text"] if name in ("resolved",) or (trusted and step["text"]) else None
    return {
        "update_id": f"{step['case_id']}-{step['version']}",
        "service_request_id": str(step["case_id"]),
        "status": UPDATE_STATUS[name],
        "updated_datetime": _iso(step["at"]),
        "description": text or STEP_TEXT[name],
        "media_url": evidence_url(base, evidence[0]) if evidence else None,
    }
