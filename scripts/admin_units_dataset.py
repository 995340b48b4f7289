"""Regenerate the registry's administrative-unit data files from the `vietnamadminunits` package.

Run on demand when the dataset publishes a new release (not at set-up: the data files are
committed, so the product needs neither this package nor its geocoding dependencies):

    pip download vietnamadminunits==1.0.4 --no-deps -d /tmp/vau && unzip -o -q /tmp/vau/*.whl -d /tmp/vau
    python scripts/admin_units_dataset.py /tmp/vau/vietnamadminunits/data

It reads only the package's data files (the SQLite dataset and the 2025 converter's mapping),
never its address converter, which calls an online geocoder.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "services/registry/tothon_registry/admin_units/data"
KIND = {"Phường": "ward", "Xã": "commune", "Đặc khu": "special_zone"}


def main(data: Path) -> None:
    db = sqlite3.connect(data / "dataset.db")
    current = db.execute(
        "select provinceCode, province, provinceKey, wardCode, ward, wardType, wardKey from admin_units"
        " order by provinceCode, wardCode"
    ).fetchall()
    legacy = db.execute(
        "select provinceCode, province, provinceKey, districtCode, district, districtKey,"
        " wardCode, ward, wardKey from admin_units_legacy order by provinceCode, districtCode, wardCode"
    ).fetchall()
    converter = json.loads((data / "converter_2025.json").read_text(encoding="utf-8"))

    province_code = {key: code for code, _, key, *_ in current}
    new_ward_code = {(pk, wk): wc for _, _, pk, wc, _, _, wk in current}
    successors: dict[str, list[str]] = defaultdict(list)  # legacy ward key -> new ward codes, default first
    for new_province, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward, old_keys in wards.items():
            for old in old_keys:
                successors[old].append(new_ward_code[(new_province, new_ward)])
    for new_province, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, parts in olds.items():
            ordered = sorted(parts, key=lambda p: not p["isDefaultNewWard"])
            codes = [new_ward_code[(new_province, p["newWardKey"])] for p in ordered]
            successors[old] = list(dict.fromkeys(codes + successors.get(old, [])))
    province_successor = {
        old: province_code[new] for new, olds in converter["DICT_PROVINCE"].items() for old in olds
    }

    zones = {wc: (pc, wn) for pc, _, _, wc, wn, wt, _ in current if wt == "Đặc khu"}
    with (OUT / "units-2025.csv").open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["province_code", "province_name", "code", "name", "kind"])
        for pc, pn, _, wc, wn, wt, _ in current:
            out.writerow([pc, pn, wc, wn, KIND[wt]])
    missing = []
    with (OUT / "units-legacy.csv").open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(
            [
                "province_code",
                "province_name",
                "province_successor",
                "district_code",
                "district_name",
                "code",
                "name",
                "successors",
            ]
        )
        for pc, pn, pk, dc, dn, dk, wc, wn, wk in legacy:
            found = successors.get(f"{pk}_{dk}_{wk}", [])
            if not wc:
                # An island district without communes (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn
                # Đảo) became a special zone of the same name: the converter has no row for it.
                short = dn.split(" ", 1)[1]
                found = [
                    z for z, (p, n) in zones.items() if p == province_successor[pk] and n.endswith(short)
                ]
            if not found:
                missing.append(wc)
            out.writerow([pc, pn, province_successor[pk], dc, dn, wc, wn, " ".join(found)])
    print(f"{len(current)} units, {len(legacy)} legacy units, {len(missing)} without a successor")  # noqa: T201


if __name__ == "__main__":
    main(Path(sys.argv[1]))
