"""A realistic city register, generated: households of 1–8 people (mean about 3.5) in residential
groups of 60–150 households, Vietnamese names with the family names' real frequencies, birth
years, consistent citizen IDs, phones for adults. Deterministic for a seed, produced one group at
a time (as the spreadsheet a group leader would upload), so a million people never sit in memory.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

# Family names and their approximate shares of the population (the rest spread over "other").
FAMILY = [
    ("Nguyễn", 38.4),
    ("Trần", 11.0),
    ("Lê", 9.5),
    ("Phạm", 7.0),
    ("Huỳnh", 5.1),
    ("Hoàng", 3.0),
    ("Phan", 4.5),
    ("Vũ", 2.0),
    ("Võ", 3.9),
    ("Đặng", 2.1),
    ("Bùi", 2.0),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1.0),
    ("Lý", 0.5),
    ("Đoàn", 0.6),
    ("Trương", 0.8),
    ("Đinh", 0.5),
    ("Lương", 0.4),
    ("Mai", 0.4),
    ("Cao", 0.4),
    ("Tôn Nữ", 0.1),
    ("Âu Dương", 0.05),
]
MIDDLE_MALE = ["Văn", "Minh", "Đức", "Hữu", "Quốc", "Thanh", "Công", "Ngọc", "Xuân", "Gia"]
MIDDLE_FEMALE = ["Thị", "Ngọc", "Thanh", "Thu", "Minh", "Kim", "Bảo", "Mỹ", "Hoài", "Phương"]
GIVEN_MALE = [
    "Hùng",
    "Dũng",
    "Nam",
    "Tuấn",
    "Minh",
    "Khôi",
    "Bảo",
    "Phúc",
    "Long",
    "Tài",
    "Sơn",
    "Lợi",
    "Tâm",
    "Tư",
    "Hải",
    "Quang",
    "Trung",
    "Thành",
    "Đạt",
    "Huy",
    "An",
    "Anh",
    "Vinh",
    "Lộc",
    "Phong",
]
GIVEN_FEMALE = [
    "Mai",
    "Lan",
    "Hoa",
    "Hương",
    "Thủy",
    "Hà",
    "Linh",
    "Trang",
    "Ngân",
    "Nga",
    "Hân",
    "Thu",
    "Hạnh",
    "Bích",
    "Hòa",
    "Bê",
    "Sáu",
    "Hiền",
    "Yến",
    "Nhung",
    "Vy",
    "Anh",
    "Chi",
    "Loan",
    "Tuyết",
]
SIZES = [(1, 10), (2, 17), (3, 24), (4, 26), (5, 12), (6, 7), (7, 3), (8, 1)]  # mean about 3.5
HEADER = (
    "Mã hộ,Họ và tên,Quan hệ với chủ hộ,Giới tính,Ngày sinh,Số định danh,Số điện thoại,"
    "Đồng ý nhận thông báo,Dân tộc,Tôn giáo,Nghề nghiệp,Cư trú"
)
OCCUPATIONS = ["Buôn bán", "Công nhân", "Nông dân", "Giáo viên", "Học sinh", "Hưu trí", "Lao động tự do"]


@dataclass(frozen=True)
class Group:
    """One residential group's spreadsheet: its number, its rows (people) and households."""

    number: int
    sheet: bytes
    people: int
    households: int


def _weighted(rng: random.Random, table: list[tuple[str, float]] | list[tuple[int, int]]) -> object:
    values, weights = zip(*table, strict=True)
    return rng.choices(values, weights)[0]


class City:
    """Groups of households until ``residents`` people are generated."""

    def __init__(self, residents: int, seed: int = 2026) -> None:
        self.residents = residents
        self.rng = random.Random(seed)
        self.serial = 0  # citizen ID and phone serials: unique across the city

    def groups(self) -> Iterator[Group]:
        """The groups' spreadsheets, one at a time."""
        made = number = 0
        while made < self.residents:
            number += 1
            lines, people = [HEADER], 0
            households = self.rng.randint(60, 150)
            for h in range(households):
                size = min(int(_weighted(self.rng, SIZES)), self.residents - made - people)  # type: ignore[call-overload]
                if size <= 0:
                    households = h
                    break
                lines += self._household(f"HO-{h + 1:03d}", size)
                people += size
            made += people
            yield Group(number, ("\n".join(lines) + "\n").encode("utf-8"), people, households)

    def _household(self, code: str, size: int) -> list[str]:
        rng = self.rng
        family = str(_weighted(rng, FAMILY))
        head_year = rng.randint(1945, 1995)
        head_sex = rng.choice(("male", "female"))
        rows = [self._person(code, family, "Chủ hộ", head_sex, head_year)]
        if size > 1:
            spouse_sex = "female" if head_sex == "male" else "male"
            spouse = "Vợ" if spouse_sex == "female" else "Chồng"
            year = head_year + rng.randint(-4, 6)
            rows.append(self._person(code, str(_weighted(rng, FAMILY)), spouse, spouse_sex, year))
        for _ in range(size - 2):
            year = min(head_year + rng.randint(20, 35), 2025)
            rows.append(self._person(code, family, "Con", rng.choice(("male", "female")), year))
        return rows

    def _person(self, code: str, family: str, relationship: str, sex: str, year: int) -> str:
        rng = self.rng
        self.serial += 1
        male = sex == "male"
        middle = rng.choice(MIDDLE_MALE if male else MIDDLE_FEMALE)
        name = f"{family} {middle} {rng.choice(GIVEN_MALE if male else GIVEN_FEMALE)}"
        century_sex = (0 if year < 2000 else 2) + (0 if male else 1)
        citizen_id = f"048{century_sex}{year % 100:02d}{self.serial % 1_000_000:06d}" if year <= 2011 else ""
        adult = year <= 2007
        phone = f"09{self.serial % 100_000_000:08d}" if adult and relationship == "Chủ hộ" else ""
        birth = (
            f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{year}" if rng.random() < 0.9 else str(year)
        )
        occupation = rng.choice(OCCUPATIONS) if adult else "Học sinh"
        return ",".join(
            [
                code,
                name,
                relationship,
                "Nam" if male else "Nữ",
                birth,
                citizen_id,
                phone,
                "Có" if phone else "",
                "Kinh",
                "Không",
                occupation,
                "Thường trú",
            ]
        )
