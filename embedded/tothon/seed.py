"""Demo data: the four 2024 pilot units under their wards since 1 July 2025, with a few households.

Codes are the official commune-level codes after the 2025 reform (scheme ``vn-2025``); the
groups and villages themselves have no official code. Names are invented but typical.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from tothon_registry.application import RegistryApplication
from tothon_registry.domain.household import Member
from tothon_registry.domain.unit import UnitKind
from tothon_shared.auth.principal import Grant, Principal
from tothon_shared.auth.roles import Role
from tothon_shared.context import acting_as

REFORM = date(2025, 7, 1)
SCHEME = "vn-2025"

# (ward, ward code, community unit kind, community unit name, households)
PILOTS: list[tuple[str, str, UnitKind, str, list[list[tuple[str, str]]]]] = [
    (
        "Phường Hải Châu",
        "20242",
        UnitKind.RESIDENTIAL_GROUP,
        "Tổ dân phố 17",
        [
            [("Nguyễn Văn Hùng", "head"), ("Trần Thị Mai", "spouse"), ("Nguyễn Minh Khôi", "child")],
            [("Lê Thị Hoa", "head"), ("Lê Quốc Bảo", "child")],
            [
                ("Huỳnh Văn Tâm", "head"),
                ("Phạm Thị Thu", "spouse"),
                ("Huỳnh Gia Hân", "child"),
                ("Huỳnh Văn Lộc", "parent"),
            ],
        ],
    ),
    (
        "Phường Thanh Khê",
        "20209",
        UnitKind.RESIDENTIAL_GROUP,
        "Tổ dân phố 51",
        [
            [("Võ Thành Nam", "head"), ("Đặng Thị Lan", "spouse")],
            [("Phan Thị Bê", "head")],
            [("Trần Đức Anh", "head"), ("Ngô Thị Hạnh", "spouse"), ("Trần Ngọc Hà", "child")],
        ],
    ),
    (
        "Phường Hòa Xuân",
        "20314",
        UnitKind.VILLAGE,
        "Thôn Trà Kiểm",
        [
            [
                ("Nguyễn Văn Tư", "head"),
                ("Nguyễn Thị Sáu", "spouse"),
                ("Nguyễn Văn Tài", "child"),
                ("Nguyễn Thị Thủy", "grandchild"),
            ],
            [("Bùi Văn Lợi", "head"), ("Hồ Thị Nga", "spouse")],
        ],
    ),
    (
        "Phường Hải Vân",
        "20194",
        UnitKind.VILLAGE,
        "Thôn Lộc Mỹ",
        [
            [("Đỗ Văn Sơn", "head"), ("Lê Thị Hòa", "spouse"), ("Đỗ Thị Hiền", "child")],
            [("Hồ Văn Chín", "head"), ("Hồ Thị Bích", "sibling")],
        ],
    ),
]


# The demo's password, printed by `tothon dev`; the embedded mode is for pilots and laptops only.
DEMO_PASSWORD = "tothon-demo-2026"  # noqa: S105

# (username, display name, role, the unit's name) — one account per role for the pilot units.
DEMO_ACCOUNTS: list[tuple[str, str, Role, str]] = [
    ("admin", "Quản trị hệ thống", Role.CITY_IT_ADMIN, "Thành phố Đà Nẵng"),
    ("thanhpho", "Cán bộ thành phố", Role.CITY_OFFICIAL, "Thành phố Đà Nẵng"),
    ("phuong.haichau", "Cán bộ phường Hải Châu", Role.WARD_OFFICIAL, "Phường Hải Châu"),
    ("congan.haichau", "Công an khu vực Hải Châu", Role.AREA_POLICE, "Phường Hải Châu"),
    ("totruong.to17", "Tổ trưởng TDP 17", Role.GROUP_LEADER, "Tổ dân phố 17"),
    ("truongthon.trakiem", "Trưởng thôn Trà Kiểm", Role.GROUP_LEADER, "Thôn Trà Kiểm"),
    ("cudan.to17", "Nguyễn Văn Hùng", Role.RESIDENT, "Tổ dân phố 17"),
]


def seed_pilot_units(app: RegistryApplication) -> bool:
    """Record the pilot units, households and demo accounts once; False if the registry had data."""
    if app.recorder.max_notification_id():
        return False
    with acting_as("seed", reason="Dữ liệu mẫu của bốn đơn vị thí điểm"):
        city = app.establish_unit(UnitKind.PROVINCE, "Thành phố Đà Nẵng", "48", SCHEME, None, REFORM)
        unit_ids = {"Thành phố Đà Nẵng": city}
        first_households: dict[str, UUID] = {}
        for ward_name, ward_code, kind, unit_name, households in PILOTS:
            ward = app.establish_unit(UnitKind.WARD, ward_name, ward_code, SCHEME, city, REFORM)
            unit = app.establish_unit(kind, unit_name, None, None, ward, REFORM)
            unit_ids |= {ward_name: ward, unit_name: unit}
            for number, members in enumerate(households, start=1):
                household = app.register_household(
                    unit, f"HO-{number:03d}", [Member(n, r) for n, r in members], date(2025, 8, 1)
                )
                first_households.setdefault(unit_name, household)
        _seed_accounts(app, unit_ids, first_households)
    return True


def _seed_accounts(app: RegistryApplication, unit_ids: dict[str, UUID], households: dict[str, UUID]) -> None:
    installer = Principal(
        UUID(int=0), "seed", "seed", (Grant(Role.CITY_IT_ADMIN, unit_ids["Thành phố Đà Nẵng"]),)
    )
    for username, name, role, unit_name in DEMO_ACCOUNTS:
        household = households.get(unit_name) if role is Role.RESIDENT else None
        account = app.open_account(username, name, DEMO_PASSWORD, household, "seed")
        app.assign_role(installer, account, role, unit_ids[unit_name], "Tài khoản mẫu")
