"""The official list of units: imported once and completely, codes kept with their scheme, units of
before the 2025 reform resolving to the units they became."""

from __future__ import annotations

from collections import Counter
from datetime import date

from fastapi.testclient import TestClient

from tothon_registry.admin_units.dataset import SCHEME_2025, SCHEME_LEGACY, current_units, legacy_units
from tothon_registry.admin_units.importer import import_admin_units
from tothon_registry.application import RegistryApplication
from tothon_registry.domain.unit import Unit, UnitKind
from tothon_shared.runtime.service import ServiceRuntime

# DOMAIN facts: the 2024 pilot units' wards, before and since the reform.
PILOT_WARDS = {"20236": "20242", "20218": "20209", "20329": "20314", "20293": "20194"}


def test_the_shipped_list_has_every_province_and_commune_level_unit() -> None:
    units = current_units()
    assert len({u.province_code for u in units}) == 34
    assert Counter(u.kind for u in units) == {
        UnitKind.COMMUNE: 2621,
        UnitKind.WARD: 687,
        UnitKind.SPECIAL_ZONE: 13,
    }
    assert sum(1 for u in units if u.province_code == "48") == 94
    legacy = {u.code: u for u in legacy_units() if u.code}
    assert len(legacy) == 10_035  # and five island districts without communes
    assert {code: legacy[code].successors[0] for code in PILOT_WARDS} == PILOT_WARDS
    assert all(u.successors for u in legacy_units())


def test_the_whole_country_imports_once(registry: RegistryApplication) -> None:
    first = import_admin_units(registry)
    assert first.present == 0
    assert first.recorded == 34 + 3321 + 63 + 696 + 10_035
    again = import_admin_units(registry)
    assert (again.recorded, again.present) == (0, first.recorded)


def _resolve(registry: RegistryApplication, code: str) -> Unit:
    row = next(r for r in legacy_units() if r.code == code)
    province = Unit.create_id(UnitKind.PROVINCE, SCHEME_LEGACY, row.province_code, row.province_name, None)
    district = Unit.create_id(
        UnitKind.DISTRICT, SCHEME_LEGACY, row.district_code, row.district_name, province
    )
    unit: Unit = registry.get_unit(Unit.create_id(row.kind, SCHEME_LEGACY, code, row.name, district))
    return unit


def test_a_pilot_ward_of_2024_answers_to_its_ward_of_today(registry: RegistryApplication) -> None:
    import_admin_units(registry, ["48"])
    hai_chau_i = _resolve(registry, "20236")
    assert hai_chau_i.effective_to == date(2025, 7, 1)
    successor = registry.get_unit(hai_chau_i.successor_id)  # type: ignore[arg-type]
    assert (successor.code, successor.code_scheme, successor.name) == (
        "20242",
        SCHEME_2025,
        "Phường Hải Châu",
    )
    city = registry.get_unit(registry.lineage(hai_chau_i.id)[-1])
    assert (city.name, city.code, city.code_scheme) == ("Thành phố Đà Nẵng", "48", SCHEME_2025)
    # Quảng Nam merged into Đà Nẵng: its communes came along.
    quang_nam = [u for u in legacy_units() if u.province_code == "49"]
    assert quang_nam
    assert all(u.province_successor == "48" for u in quang_nam)


def test_a_reused_code_is_told_apart_by_scheme_and_date(
    runtime: ServiceRuntime, official_api: TestClient
) -> None:
    app = runtime.app
    assert isinstance(app, RegistryApplication)
    import_admin_units(app, ["48"])
    for projector in runtime.projectors:
        projector.catch_up()
    both = official_api.get("/api/v1/units/by-code", params={"code": "20242"}).json()
    assert [(u["name"], u["code_scheme"], u["current_name"]) for u in both] == [
        ("Phường Phước Ninh", SCHEME_LEGACY, "Phường Hải Châu"),
        ("Phường Hải Châu", SCHEME_2025, "Phường Hải Châu"),
    ]
    early = official_api.get("/api/v1/units/by-code", params={"code": "20242", "as_of": "2025-03-01"}).json()
    assert [u["name"] for u in early] == ["Phường Phước Ninh"]
    assert official_api.get("/api/v1/units/by-code", params={"code": "99999"}).status_code == 404

    # Units as they were: early 2025 had districts; today the city's wards sit under the city.
    hai_chau_district = next(u for u in legacy_units() if u.code == "20242")
    then = official_api.get("/api/v1/units", params={"as_of": "2025-03-01"}).json()
    assert any(u["kind"] == "district" and u["name"] == hai_chau_district.district_name for u in then)
    # Before the register's history begins (early 2025), the oldest units known are shown, each
    # saying since when it is known; not nothing at all.
    older = official_api.get("/api/v1/units", params={"as_of": "2024-06-01"}).json()
    assert any(u["kind"] == "district" and u["name"] == hai_chau_district.district_name for u in older)
    assert not any(u["code_scheme"] == "vn-2025" for u in older)
    assert {u["effective_from"] for u in older} == {"2025-01-01"}
    now = official_api.get("/api/v1/units").json()
    assert not any(u["kind"] == "district" for u in now)
    assert sum(1 for u in now if u["kind"] in ("ward", "commune", "special_zone")) == 94
