"""A small city for the registry's API tests: two wards with a group each, and signed-in clients."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from uuid import UUID

from fastapi.testclient import TestClient

from tothon_registry.application import RegistryApplication
from tothon_registry.domain.unit import UnitKind
from tothon_shared.auth.principal import Grant, Principal
from tothon_shared.auth.roles import Role
from tothon_shared.runtime.service import ServiceRuntime

PASSWORD = "mật-khẩu-kiểm-thử-2026"
HEAD = {
    "full_name": "Võ Thành Nam",
    "relationship": "head",
    "sex": "male",
    "birth_date": "1988-04-12",
    "citizen_id": "048 088 012345",
    "phone": "0905 123 456",
    "consents": ["notifications_phone"],
    "ethnicity": "Kinh",
    "religion": "Công giáo",
    "health_status": "Khuyết tật vận động",
    "poverty_status": "near_poor",
}
SPOUSE: dict[str, object] = {
    "full_name": "Đặng Thị Lan",
    "relationship": "spouse",
    "sex": "female",
    "birth_date": "1990-02-01",
}


class World:
    """Two groups in two wards, a household in the first, and a signed-in client per role."""

    def __init__(self, runtime: ServiceRuntime, api: TestClient) -> None:
        app = runtime.app
        assert isinstance(app, RegistryApplication)
        self.app, self.runtime, self.api = app, runtime, api
        day = date(2025, 7, 1)
        self.city = app.establish_unit(UnitKind.PROVINCE, "Thành phố Đà Nẵng", "48", "vn-2025", None, day)
        self.ward = app.establish_unit(UnitKind.WARD, "Phường Thanh Khê", "20209", "vn-2025", self.city, day)
        self.group = app.establish_unit(
            UnitKind.RESIDENTIAL_GROUP, "Tổ dân phố 51", None, None, self.ward, day
        )
        other_ward = app.establish_unit(UnitKind.WARD, "Phường Hải Châu", "20242", "vn-2025", self.city, day)
        self.other_group = app.establish_unit(
            UnitKind.RESIDENTIAL_GROUP, "Tổ dân phố 17", None, None, other_ward, day
        )
        self.clients: dict[str, dict[str, str]] = {}
        self.household = UUID(int=0)  # registered by the fixture, through the API

    def account(self, username: str, role: Role, unit: UUID, household: UUID | None = None) -> dict[str, str]:
        account = self.app.open_account(username, username, PASSWORD, household, "kiểm thử")
        # The setup appoints anywhere and, as the ward would, binds residents to their households.
        root = Principal(
            UUID(int=0),
            "setup",
            "setup",
            (Grant(Role.CITY_IT_ADMIN, self.city), Grant(Role.WARD_OFFICIAL, self.city)),
        )
        self.app.assign_role(root, account, role, unit, "kiểm thử")
        session = self.api.post("/api/v1/auth/sign-in", json={"username": username, "password": PASSWORD})
        assert session.status_code == 200, session.text
        return {"Authorization": f"Bearer {session.json()['access_token']}"}

    def catch_up(self) -> None:
        for projector in self.runtime.projectors:
            projector.catch_up()

    def register(self, code: str, members: Sequence[Mapping[str, object]]) -> UUID:
        """Register a household in the group as the ward official; it becomes ``household``."""
        created = self.api.post(
            "/api/v1/households",
            json={
                "unit_id": str(self.group),
                "code": code,
                "registered_on": "2025-08-01",
                "members": members,
            },
            headers=self.clients["ward"],
        )
        assert created.status_code == 201, created.text
        self.household = UUID(created.json()["id"])
        return self.household

    def sign_in_as(self, *names: str) -> None:
        """Sign in the named roles of the standard cast (see ``CAST``)."""
        for name in names:
            username, role, where = CAST[name]
            unit = {
                "group": self.group,
                "ward": self.ward,
                "city": self.city,
                "other_group": self.other_group,
            }[where]
            household = self.household if role is Role.RESIDENT else None
            self.clients[name] = self.account(username, role, unit, household)
        self.catch_up()


# The standard cast: client name → (username, role, where in the world).
CAST: dict[str, tuple[str, Role, str]] = {
    "ward": ("phuong", Role.WARD_OFFICIAL, "ward"),
    "leader": ("totruong", Role.GROUP_LEADER, "group"),
    "police": ("congan", Role.AREA_POLICE, "ward"),
    "city": ("thanhpho", Role.CITY_OFFICIAL, "city"),
    "other_leader": ("totruong17", Role.GROUP_LEADER, "other_group"),
    "resident": ("cudan", Role.RESIDENT, "group"),
    "admin": ("quantri", Role.CITY_IT_ADMIN, "city"),
}


def family(runtime: ServiceRuntime, api: TestClient, *cast: str) -> World:
    """The world with the ward official, the household HO-001 (HEAD and SPOUSE), and ``cast``."""
    world = World(runtime, api)
    world.sign_in_as("ward")
    world.register("HO-001", [HEAD, SPOUSE])
    world.sign_in_as(*cast)
    return world
