"""Import the official list of units into the registry as events, idempotently.

Units in force since the reform are established on 1 July 2025 under their province; units of the
list before it are established under their district and province (scheme ``vn-2004``) and
superseded on that day by the units they became, so that a pre-2025 code resolves to its
successor and its history stays reachable. Groups and villages are not in any national list:
ward officials create them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tothon_registry.admin_units.dataset import (
    LEGACY_FROM,
    REFORM,
    SCHEME_2025,
    SCHEME_LEGACY,
    current_units,
    legacy_units,
)
from tothon_registry.application import RegistryApplication
from tothon_registry.domain.unit import Change, Unit, UnitKind

BATCH = 500  # units per transaction: big enough to be quick, small enough to resume cheaply


@dataclass(frozen=True)
class Imported:
    """How many units the import recorded, and how many were there already."""

    recorded: int
    present: int


def import_admin_units(
    app: RegistryApplication, provinces: Iterable[str] | None = None, legacy: bool = True
) -> Imported:
    """Record the units of ``provinces`` (codes since the reform; all 34 if None) and, with
    ``legacy``, the units before the reform that became theirs. Units already recorded are left
    as they are, so a second run (or a run after an interrupted one) records only what is missing."""
    wanted = set(provinces) if provinces is not None else None
    units = _build(wanted, legacy)
    missing = [u for u in units if not app.recorder.select_events(u.id, limit=1)]
    for start in range(0, len(missing), BATCH):
        app.save(*missing[start : start + BATCH])
    return Imported(recorded=len(missing), present=len(units) - len(missing))


def _build(provinces: set[str] | None, legacy: bool) -> list[Unit]:
    """Every unit to record, in memory, parents before children (ids are deterministic)."""
    built: list[Unit] = []
    province: dict[str, Unit] = {}
    by_code: dict[str, Unit] = {}
    for row in current_units():
        if provinces is not None and row.province_code not in provinces:
            continue
        if row.province_code not in province:
            province[row.province_code] = Unit(
                UnitKind.PROVINCE, row.province_name, row.province_code, SCHEME_2025, None, REFORM
            )
            built.append(province[row.province_code])
        parent = province[row.province_code]
        by_code[row.code] = Unit(row.kind, row.name, row.code, SCHEME_2025, parent.id, REFORM)
        built.append(by_code[row.code])
    if not legacy:
        return built
    old_province: dict[str, Unit] = {}
    district: dict[tuple[str, str], Unit] = {}
    for old in legacy_units():
        if old.province_successor not in province:
            continue
        if old.province_code not in old_province:
            unit = Unit(
                UnitKind.PROVINCE, old.province_name, old.province_code, SCHEME_LEGACY, None, LEGACY_FROM
            )
            unit.supersede(Change.MERGED, [province[old.province_successor]], REFORM)
            old_province[old.province_code] = unit
            built.append(unit)
        key = (old.province_code, old.district_code)
        if key not in district:
            parent = old_province[old.province_code]
            unit = Unit(
                UnitKind.DISTRICT, old.district_name, old.district_code, SCHEME_LEGACY, parent.id, LEGACY_FROM
            )
            built.append(unit)
            district[key] = unit
            if not old.code:
                # An island district without communes became a special zone.
                unit.supersede(Change.MERGED, [by_code[c] for c in old.successors], REFORM)
            else:
                # Districts were abolished; their communes went on into the new wards and communes.
                unit.supersede(Change.ABOLISHED, [], REFORM)
        if old.code:
            unit = Unit(old.kind, old.name, old.code, SCHEME_LEGACY, district[key].id, LEGACY_FROM)
            change = Change.SPLIT if len(old.successors) > 1 else Change.MERGED
            unit.supersede(change, [by_code[c] for c in old.successors], REFORM)
            built.append(unit)
    return built
