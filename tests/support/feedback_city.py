"""The feedback service's API on SQLite, with a city of two wards fed as registry events: what
the feedback API tests, the access matrix and the benchmarks build on."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from photos import phone_jpeg
from service_harness import ServiceHarness

from tothon_feedback.bootstrap import DEFINITION
from tothon_shared.auth.principal import Principal
from tothon_shared.auth.roles import Role


class Feedback(ServiceHarness):
    """The feedback service, its worker's inbox and projection run by hand."""

    def __init__(self, tmp_path: Path) -> None:
        super().__init__(DEFINITION, tmp_path)

    def post(self, path: str, body: dict[str, Any]) -> Any:
        response = self.client.post(path, json=body)
        self.project()
        return response

    def file(self, body: dict[str, Any]) -> dict[str, Any]:
        response = self.post("/api/v1/feedback/cases", body)
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result

    def upload(self, data: bytes, share_location: bool = False) -> dict[str, Any]:
        """Upload a photo or file as the current caller; its reference."""
        response = self.client.post(
            "/api/v1/feedback/attachments",
            content=data,
            params={"share_location": str(share_location).lower()},
            headers={"Content-Type": "image/jpeg"},
        )
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result

    def evidence(self) -> str:
        """A photo of the work done, uploaded as the current caller: its hash."""
        return str(self.upload(phone_jpeg())["sha256"])

    def step(self, case_id: str, step: str, body: dict[str, Any] | None = None) -> Any:
        return self.post(f"/api/v1/feedback/cases/{case_id}/{step}", body or {})


@dataclass
class City:
    """Đà Nẵng with two wards, a group in each and a household in each group; its officials."""

    feedback: Feedback
    city: uuid.UUID
    hai_chau: uuid.UUID
    thanh_khe: uuid.UUID
    group: uuid.UUID
    other_group: uuid.UUID
    household: uuid.UUID
    other_household: uuid.UUID
    resident: Principal
    leader: Principal
    ward_official: Principal
    city_official: Principal

    def as_(self, principal: Principal) -> None:
        self.feedback.as_principal(principal)


def city_of(feedback: Feedback) -> City:
    """Đà Nẵng's two wards, a group and a household in each, and their officials."""
    root = feedback.unit("province", "Thành phố Đà Nẵng", None)
    hai_chau = feedback.unit("ward", "Phường Hải Châu", root)
    thanh_khe = feedback.unit("ward", "Phường Thanh Khê", root)
    group = feedback.unit("residential_group", "Tổ dân phố 17", hai_chau)
    other_group = feedback.unit("residential_group", "Tổ dân phố 3", thanh_khe)
    household = feedback.household(group, "HO-017-001")
    other_household = feedback.household(other_group, "HO-003-001")
    return City(
        feedback=feedback,
        city=root,
        hai_chau=hai_chau,
        thanh_khe=thanh_khe,
        group=group,
        other_group=other_group,
        household=household,
        other_household=other_household,
        resident=feedback.principal(Role.RESIDENT, group, household),
        leader=feedback.principal(Role.GROUP_LEADER, group),
        ward_official=feedback.principal(Role.WARD_OFFICIAL, hai_chau),
        city_official=feedback.principal(Role.CITY_OFFICIAL, root),
    )
