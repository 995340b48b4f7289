"""Demo data: the four 2024 pilot units under their wards since 1 July 2025, with a few households.

Codes are the official commune-level codes after the 2025 reform (scheme ``vn-2025``); the
groups and villages themselves have no official code. Names are invented but typical.
"""

from __future__ import annotations

from datetime import date

from tothon_registry.application import RegistryApplication
from tothon_registry.domain.household import Member
from tothon_registry.domain.unit import UnitKind
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


def seed_pilot_units(app: RegistryApplication) -> bool:
    """Record the pilot units and households once; returns False if the registry had data."""
    if app.recorder.max_notification_id():
        return False
    with acting_as("seed", reason="Dữ liệu mẫu của bốn đơn vị thí điểm"):
        city = app.establish_unit(UnitKind.PROVINCE, "Thành phố Đà Nẵng", "48", SCHEME, None, REFORM)
        for ward_name, ward_code, kind, unit_name, households in PILOTS:
            ward = app.establish_unit(UnitKind.WARD, ward_name, ward_code, SCHEME, city, REFORM)
            unit = app.establish_unit(kind, unit_name, None, None, ward, REFORM)
            for number, members in enumerate(households, start=1):
                app.register_household(
                    unit, f"HO-{number:03d}", [Member(n, r) for n, r in members], date(2025, 8, 1)
                )
    return True
