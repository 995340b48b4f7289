"""The citizen ID number (CCCD): 12 digits ``PPP G YY RRRRRR`` with no checksum.

PPP is where the birth was registered ("0" + one of the 63 pre-2025 province codes), G the
century and sex (1900s: 0 male, 1 female; 2000s: 2, 3; and so on), YY the birth year's last two
digits. A number that disagrees with the person's sex or birth year is a data-quality finding
for an official to resolve, never silently "fixed".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from tothon_registry.domain.person_details import Sex

# The 63 provinces before the 2025 reform, by their two-digit codes (the ID's prefix keeps them).
PROVINCE_PREFIXES = frozenset(
    (
        "001",
        "002",
        "004",
        "006",
        "008",
        "010",
        "011",
        "012",
        "014",
        "015",
        "017",
        "019",
        "020",
        "022",
        "024",
        "025",
        "026",
        "027",
        "030",
        "031",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "040",
        "042",
        "044",
        "045",
        "046",
        "048",
        "049",
        "051",
        "052",
        "054",
        "056",
        "058",
        "060",
        "062",
        "064",
        "066",
        "067",
        "068",
        "070",
        "072",
        "074",
        "075",
        "077",
        "079",
        "080",
        "082",
        "083",
        "084",
        "086",
        "087",
        "089",
        "091",
        "092",
        "093",
        "094",
        "095",
        "096",
    )
)
_TWELVE = re.compile(r"^\d{12}$")
_OLD_CARD = re.compile(r"^\d{9}$")


class IdFinding(StrEnum):
    """What is wrong with a citizen ID, as a data-quality finding."""

    MALFORMED = "citizen_id.malformed"
    OLD_CARD = "citizen_id.old_card"  # a 9-digit identity card number in the citizen ID field
    UNKNOWN_PREFIX = "citizen_id.unknown_prefix"
    SEX_MISMATCH = "citizen_id.sex_mismatch"
    CENTURY_MISMATCH = "citizen_id.century_mismatch"
    YEAR_MISMATCH = "citizen_id.year_mismatch"


@dataclass(frozen=True)
class CitizenIdParts:
    """What a well-formed number says about its holder."""

    prefix: str
    sex: Sex
    century: int
    year_in_century: int

    def birth_year(self) -> int:
        """The birth year the number encodes."""
        return self.century + self.year_in_century


def parse_citizen_id(number: str) -> CitizenIdParts | None:
    """The parts of a 12-digit number, or None if it is not one."""
    if not _TWELVE.match(number):
        return None
    digit = int(number[3])
    return CitizenIdParts(
        prefix=number[:3],
        sex=Sex.FEMALE if digit % 2 else Sex.MALE,
        century=1900 + 100 * (digit // 2),
        year_in_century=int(number[4:6]),
    )


def check_citizen_id(number: str, sex: str | None, birth_year: int | None) -> list[IdFinding]:
    """Findings about a citizen ID against the holder's sex and birth year (either may be unknown)."""
    if _OLD_CARD.match(number):
        return [IdFinding.OLD_CARD]
    parts = parse_citizen_id(number)
    if parts is None:
        return [IdFinding.MALFORMED]
    findings = []
    if parts.prefix not in PROVINCE_PREFIXES:
        findings.append(IdFinding.UNKNOWN_PREFIX)
    if sex is not None and sex != parts.sex:
        findings.append(IdFinding.SEX_MISMATCH)
    if birth_year is not None:
        if birth_year // 100 * 100 != parts.century:
            findings.append(IdFinding.CENTURY_MISMATCH)
        if birth_year % 100 != parts.year_in_century:
            findings.append(IdFinding.YEAR_MISMATCH)
    return findings
