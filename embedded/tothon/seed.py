"""Demo data: Đà Nẵng's units from the official list (before and since the 2025 reform) and the four
2024 pilot groups and villages, with a few households.

Each pilot unit is recorded under its ward of early 2025 (scheme ``vn-2004``) and handed to the
ward it belongs to since 1 July 2025 (scheme ``vn-2025``), as DOMAIN facts say; the groups and
villages themselves have no official code. Names of people are invented but typical.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from tothon_registry.admin_units.dataset import LEGACY_FROM, SCHEME_LEGACY, legacy_units
from tothon_registry.admin_units.importer import import_admin_units
from tothon_registry.application import NewMember, RegistryApplication
from tothon_registry.domain.household import Relationship
from tothon_registry.domain.person import ConsentPurpose, PersonDetails
from tothon_registry.domain.person_details import PovertyStatus, ResidenceStatus, Sex
from tothon_registry.domain.unit import Unit, UnitKind
from tothon_shared.auth.principal import Grant, Principal
from tothon_shared.auth.roles import Role
from tothon_shared.eventstore.context import acting_as

REFORM = date(2025, 7, 1)
SCHEME = "vn-2025"
CITY_CODE = "48"  # Đà Nẵng (merged with Quảng Nam on 1 July 2025, keeping the code)

# (full name, relationship, sex, birth year); the rest of each person's details is derived below.
SeedMember = tuple[str, Relationship, Sex, int]

# (ward, ward code, ward code before the reform, community unit kind and name, households)
PILOTS: list[tuple[str, str, str, UnitKind, str, list[list[SeedMember]]]] = [
    (
        "Phường Hải Châu",
        "20242",
        "20236",
        UnitKind.RESIDENTIAL_GROUP,
        "Tổ dân phố 17",
        [
            [
                ("Nguyễn Văn Hùng", Relationship.HEAD, Sex.MALE, 1972),
                ("Trần Thị Mai", Relationship.SPOUSE, Sex.FEMALE, 1975),
                ("Nguyễn Minh Khôi", Relationship.CHILD, Sex.MALE, 2004),
            ],
            [
                ("Lê Thị Hoa", Relationship.HEAD, Sex.FEMALE, 1968),
                ("Lê Quốc Bảo", Relationship.CHILD, Sex.MALE, 1995),
            ],
            [
                ("Huỳnh Văn Tâm", Relationship.HEAD, Sex.MALE, 1980),
                ("Phạm Thị Thu", Relationship.SPOUSE, Sex.FEMALE, 1983),
                ("Huỳnh Gia Hân", Relationship.CHILD, Sex.FEMALE, 2010),
                ("Huỳnh Văn Lộc", Relationship.PARENT, Sex.MALE, 1952),
            ],
        ],
    ),
    (
        "Phường Thanh Khê",
        "20209",
        "20218",
        UnitKind.RESIDENTIAL_GROUP,
        "Tổ dân phố 51",
        [
            [
                ("Võ Thành Nam", Relationship.HEAD, Sex.MALE, 1988),
                ("Đặng Thị Lan", Relationship.SPOUSE, Sex.FEMALE, 1990),
            ],
            [("Phan Thị Bê", Relationship.HEAD, Sex.FEMALE, 1949)],
            [
                ("Trần Đức Anh", Relationship.HEAD, Sex.MALE, 1985),
                ("Ngô Thị Hạnh", Relationship.SPOUSE, Sex.FEMALE, 1987),
                ("Trần Ngọc Hà", Relationship.CHILD, Sex.FEMALE, 2015),
            ],
        ],
    ),
    (
        "Phường Hòa Xuân",
        "20314",
        "20329",
        UnitKind.VILLAGE,
        "Thôn Trà Kiểm",
        [
            [
                ("Nguyễn Văn Tư", Relationship.HEAD, Sex.MALE, 1960),
                ("Nguyễn Thị Sáu", Relationship.SPOUSE, Sex.FEMALE, 1962),
                ("Nguyễn Văn Tài", Relationship.CHILD, Sex.MALE, 1986),
                ("Nguyễn Thị Thủy", Relationship.GRANDCHILD, Sex.FEMALE, 2012),
            ],
            [
                ("Bùi Văn Lợi", Relationship.HEAD, Sex.MALE, 1977),
                ("Hồ Thị Nga", Relationship.SPOUSE, Sex.FEMALE, 1979),
            ],
        ],
    ),
    (
        "Phường Hải Vân",
        "20194",
        "20293",
        UnitKind.VILLAGE,
        "Thôn Lộc Mỹ",
        [
            [
                ("Đỗ Văn Sơn", Relationship.HEAD, Sex.MALE, 1970),
                ("Lê Thị Hòa", Relationship.SPOUSE, Sex.FEMALE, 1973),
                ("Đỗ Thị Hiền", Relationship.CHILD, Sex.FEMALE, 2001),
            ],
            [
                ("Hồ Văn Chín", Relationship.HEAD, Sex.MALE, 1958),
                ("Hồ Thị Bích", Relationship.SIBLING, Sex.FEMALE, 1961),
            ],
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
    with acting_as("seed", reason="Danh mục đơn vị hành chính và dữ liệu mẫu của bốn đơn vị thí điểm"):
        import_admin_units(app, [CITY_CODE])
        city = Unit.create_id(UnitKind.PROVINCE, SCHEME, CITY_CODE, "Thành phố Đà Nẵng", None)
        unit_ids = {"Thành phố Đà Nẵng": city}
        first_households: dict[str, UUID] = {}
        serial = 1
        for ward_name, ward_code, old_code, kind, unit_name, households in PILOTS:
            ward = Unit.create_id(UnitKind.WARD, SCHEME, ward_code, ward_name, city)
            old_ward = _legacy_unit(app, old_code)
            unit = app.establish_unit(kind, unit_name, None, None, old_ward, LEGACY_FROM)
            app.move_unit(unit, ward, REFORM)
            unit_ids |= {ward_name: ward, unit_name: unit}
            for number, members in enumerate(households, start=1):
                household = app.register_household(
                    unit, f"HO-{number:03d}", [_member(m, serial) for m in members], date(2025, 8, 1)
                )
                serial += len(members)
                first_households.setdefault(unit_name, household)
        _seed_accounts(app, unit_ids, first_households)
    return True


def _legacy_unit(app: RegistryApplication, code: str) -> UUID:
    """The id of a commune-level unit of the list before the reform, found through the dataset."""
    row = next(r for r in legacy_units() if r.code == code)
    province = Unit.create_id(UnitKind.PROVINCE, SCHEME_LEGACY, row.province_code, row.province_name, None)
    district = Unit.create_id(
        UnitKind.DISTRICT, SCHEME_LEGACY, row.district_code, row.district_name, province
    )
    return Unit.create_id(row.kind, SCHEME_LEGACY, row.code, row.name, district)


def _member(member: SeedMember, serial: int) -> NewMember:
    """Plausible details: a citizen ID with Đà Nẵng's prefix (048), the century-and-sex digit and
    the birth year; a phone (with consent) for adults; near-poor status for the eldest living alone;
    permanent residence for most, temporary for a few, and a few not yet recorded (the data-quality
    worklist then has something to show)."""
    name, relationship, sex, year = member
    century_sex = (0 if year < 2000 else 2) + (1 if sex is Sex.FEMALE else 0)
    citizen_id = f"048{century_sex}{year % 100:02d}{serial:06d}" if year <= 2012 else None
    adult = year <= 2007
    phone = (
        f"+8490{serial:07d}" if adult and relationship in (Relationship.HEAD, Relationship.SPOUSE) else None
    )
    residence = {3: ResidenceStatus.TEMPORARY, 6: None}.get(serial % 8, ResidenceStatus.PERMANENT)
    details = PersonDetails(
        full_name=name,
        sex=sex,
        birth_date=date(year, 1 + serial % 12, 1 + serial % 28),
        citizen_id=citizen_id,
        phone=phone,
        ethnicity="Kinh",
        religion="Phật giáo" if serial % 3 == 0 else "Không",
        poverty_status=PovertyStatus.NEAR_POOR if year < 1950 else PovertyStatus.NONE,
        residence_status=residence,
        residence_valid_until=date(2027, 6, 30) if residence is ResidenceStatus.TEMPORARY else None,
    )
    consents = [ConsentPurpose.NOTIFICATIONS_PHONE] if phone else []
    return NewMember(relationship, details, consents)


def _seed_accounts(app: RegistryApplication, unit_ids: dict[str, UUID], households: dict[str, UUID]) -> None:
    # The seed appoints every demo role and, as each ward would, binds the demo resident to a
    # household: it holds both rights over the whole city.
    city = unit_ids["Thành phố Đà Nẵng"]
    installer = Principal(
        UUID(int=0), "seed", "seed", (Grant(Role.CITY_IT_ADMIN, city), Grant(Role.WARD_OFFICIAL, city))
    )
    for username, name, role, unit_name in DEMO_ACCOUNTS:
        household = households.get(unit_name) if role is Role.RESIDENT else None
        account = app.open_account(username, name, DEMO_PASSWORD, household, "seed")
        app.assign_role(installer, account, role, unit_ids[unit_name], "Tài khoản mẫu")
