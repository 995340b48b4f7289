"""The official list of units as shipped in ``data/`` (source and licence: ``data/SOURCE.md``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from importlib import resources

from tothon_registry.domain.unit import UnitKind

# Codes of Decision 19/2025/QĐ-TTg, in force from the two-level reform of 1 July 2025.
SCHEME_2025 = "vn-2025"
# Codes of the list before the reform (Decision 124/2004/QĐ-TTg as amended), until 30 June 2025.
SCHEME_LEGACY = "vn-2004"
REFORM = date(2025, 7, 1)
# The dataset lists the units in force just before the reform, not when each was established:
# legacy history is recorded from the start of 2025 (earlier reorganisations are not in it).
LEGACY_FROM = date(2025, 1, 1)

_KIND_2025 = {"ward": UnitKind.WARD, "commune": UnitKind.COMMUNE, "special_zone": UnitKind.SPECIAL_ZONE}


@dataclass(frozen=True)
class CurrentUnit:
    """A commune-level unit since the reform, with its province."""

    province_code: str
    province_name: str
    code: str
    name: str
    kind: UnitKind


@dataclass(frozen=True)
class LegacyUnit:
    """A commune-level unit before the reform, its district and province, and the codes of the
    units it became (the default first). An island district without communes has no code of its
    own here: it became the special zone in ``successors``."""

    province_code: str
    province_name: str
    province_successor: str
    district_code: str
    district_name: str
    code: str
    name: str
    successors: tuple[str, ...]

    @property
    def kind(self) -> UnitKind:
        """Phường are wards; xã and thị trấn (townships) are communes."""
        return UnitKind.WARD if self.name.startswith("Phường") else UnitKind.COMMUNE


def _rows(name: str) -> Iterator[dict[str, str]]:
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    yield from csv.DictReader(io.StringIO(text, newline=""))


def current_units() -> list[CurrentUnit]:
    """The 3,321 commune-level units of the 34 provinces, by province and code."""
    return [
        CurrentUnit(r["province_code"], r["province_name"], r["code"], r["name"], _KIND_2025[r["kind"]])
        for r in _rows("units-2025.csv")
    ]


def legacy_units() -> list[LegacyUnit]:
    """The commune-level units before the reform, by province, district and code."""
    return [
        LegacyUnit(
            r["province_code"],
            r["province_name"],
            r["province_successor"],
            r["district_code"],
            r["district_name"],
            r["code"],
            r["name"],
            tuple(r["successors"].split()),
        )
        for r in _rows("units-legacy.csv")
    ]
