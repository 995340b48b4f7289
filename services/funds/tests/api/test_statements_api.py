"""Bank statements through the funds API: a Vietcombank export with its title rows is matched by
the payment references in the transfer notes, the rest is listed and matched by hand; a second
import pays nothing twice; an unknown column is refused by name; a bank of its own is mapped once;
XLSX reads as CSV does."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from service_harness import ServiceHarness

from tothon_shared.auth.roles import Role

FUNDS = "/api/v1/funds"
BANK = {"bank_bin": "970436", "account": "0071000123456", "holder": "TO DAN PHO 17"}
TITLE = [
    "NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM",
    "SAO KÊ TÀI KHOẢN",
    "Số tài khoản: 0071000123456",
    "Từ ngày 01/03/2026 đến ngày 31/03/2026",
    "",
]
HEADER = ["STT", "Ngày giao dịch", "Số tham chiếu", "Số tiền ghi nợ", "Số tiền ghi có", "Số dư", "Mô tả"]


def _setup(funds: ServiceHarness) -> tuple[str, str, list[dict[str, Any]]]:
    city = funds.unit("province", "Thành phố Đà Nẵng", None)
    group = funds.unit("residential_group", "Tổ dân phố 17", city)
    for n in range(1, 4):
        funds.household(group, f"HO-00{n}")
    funds.as_(Role.GROUP_LEADER, group)
    body = {
        "unit_id": group,
        "name": "Quỹ vệ sinh",
        "kind": "community",
        "resolution": "Biên bản",
        "bank": BANK,
    }
    fund = funds.client.post(FUNDS, json={**body, "unit_id": str(group)}).json()["fund_id"]
    levy = funds.client.post(
        f"{FUNDS}/{fund}/levies",
        json={
            "basis": "household",
            "amount": 120_000,
            "period_from": "2026-01-01",
            "period_to": "2026-12-31",
        },
    ).json()["levy_id"]
    funds.project()
    return fund, levy, funds.client.get(f"{FUNDS}/{fund}/levies/{levy}/collection").json()


def _csv(rows: list[list[str]], header: list[str] = HEADER) -> bytes:
    lines = [*TITLE, ";".join(header), *(";".join(r) for r in rows)]
    return "\r\n".join(lines).encode("utf-8-sig")


def _import(
    funds: ServiceHarness, fund: str, content: bytes, bank: str = "vietcombank", name: str = "sao-ke.csv"
) -> Any:
    return funds.client.post(
        f"{FUNDS}/{fund}/statements",
        params={"bank": bank, "filename": name},
        content=content,
        headers={"Content-Type": "application/octet-stream"},
    )


def test_a_statement_is_matched_by_references_and_the_rest_by_hand(funds: ServiceHarness) -> None:
    fund, levy, owed = _setup(funds)
    first, second, third = owed
    rows = [
        [
            "1",
            "03/03/2026",
            "FT26062001",
            "",
            "120.000",
            "1.120.000",
            f"MBVCB.1234.{first['reference']}.CT tu NGUYEN VAN A",
        ],
        [
            "2",
            "04/03/2026",
            "FT26063002",
            "",
            "120,000",
            "1.240.000",
            f"IBFT {second['reference'].lower()} ho 2",
        ],
        ["3", "05/03/2026", "FT26064003", "", "120.000", "1.360.000", "ung ho quy ve sinh ho so 3"],
        ["4", "06/03/2026", "FT26065004", "20.000", "", "1.340.000", "Phi quan ly tai khoan"],
    ]
    made = _import(funds, fund, _csv(rows))
    assert made.status_code == 201, made.text
    result = made.json()
    assert [p["household_id"] for p in result["paid"]] == [first["household_id"], second["household_id"]]
    assert [u["row"] for u in result["unmatched"]] == [9]  # the third transfer; the fee is no credit
    assert result["already_paid"] == 0
    funds.project()
    listed = funds.client.get(f"{FUNDS}/{fund}/levies/{levy}/collection").json()
    assert [r["paid"] for r in listed] == [120_000, 120_000, 0]
    # The same statement again: nothing is paid twice, the third line stays to match once.
    again = _import(funds, fund, _csv(rows)).json()
    assert (again["paid"], again["already_paid"]) == ([], 2)
    funds.project()
    open_lines = funds.client.get(f"{FUNDS}/{fund}/statement-lines").json()
    assert {line["description"] for line in open_lines} == {"ung ho quy ve sinh ho so 3"}
    line = open_lines[0]
    match = {"key": line["key"], "household_id": third["household_id"], "levy_id": levy}
    matched = funds.client.post(f"{FUNDS}/{fund}/statements/{line['statement_id']}/matches", json=match)
    assert matched.status_code == 201, matched.text
    twice = funds.client.post(f"{FUNDS}/{fund}/statements/{line['statement_id']}/matches", json=match)
    assert twice.status_code == 409, twice.text
    funds.project()
    listed = funds.client.get(f"{FUNDS}/{fund}/levies/{levy}/collection").json()
    assert [r["paid"] for r in listed] == [120_000, 120_000, 120_000]
    assert funds.client.get(f"{FUNDS}/{fund}").json()["balance"] == 360_000


def test_an_unknown_column_or_a_bad_amount_is_refused_by_name_and_row(funds: ServiceHarness) -> None:
    fund, _levy, owed = _setup(funds)
    header = [*HEADER, "Kênh giao dịch"]
    refused = _import(
        funds, fund, _csv([["1", "03/03/2026", "FT1", "", "120.000", "0", "x", "Internet"]], header)
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["columns"] == ["Kênh giao dịch"]
    bad = _import(
        funds, fund, _csv([["1", "03/03/2026", "FT1", "", "120.000,50", "0", owed[0]["reference"]]])
    )
    assert bad.status_code == 422, bad.text
    assert bad.json()["errors"][0]["row"] == 7
    assert _import(funds, fund, b"").status_code == 422
    assert _import(funds, fund, _csv([]), bank="nobank").status_code == 422
    funds.project()
    assert funds.client.get(f"{FUNDS}/{fund}").json()["balance"] == 0  # nothing partial


def test_a_bank_of_its_own_is_mapped_once_and_xlsx_reads_as_csv(funds: ServiceHarness) -> None:
    fund, _levy, owed = _setup(funds)
    mapping = {
        "columns": {
            "booked_on": "Ngày",
            "credit": "Tiền vào",
            "description": "Diễn giải",
            "transaction": "Mã GD",
        },
        "skipped": ["Tiền ra", "Số dư cuối"],
    }
    put = funds.client.put(f"{FUNDS}/{fund}/statement-formats/quy-tin-dung", json=mapping)
    assert put.status_code == 204, put.text
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["QUỸ TÍN DỤNG NHÂN DÂN HẢI CHÂU"])
    sheet.append([])
    sheet.append(["Ngày", "Mã GD", "Tiền vào", "Tiền ra", "Số dư cuối", "Diễn giải"])
    sheet.append(["10/03/2026", "QT-1", 120000, None, 120000, f"chuyen tien {owed[2]['reference']}"])
    out = io.BytesIO()
    book.save(out)
    made = _import(funds, fund, out.getvalue(), bank="quy-tin-dung", name="sao-ke.xlsx")
    assert made.status_code == 201, made.text
    assert [p["household_id"] for p in made.json()["paid"]] == [owed[2]["household_id"]]


def test_an_export_with_english_under_its_headers_and_a_totals_line_is_read(funds: ServiceHarness) -> None:
    # As internet banking often exports: each header in Vietnamese with its English under it or
    # after a slash, a time with the day, and the totals under the lines (not a transfer).
    fund, _levy, owed = _setup(funds)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM"])
    sheet.append([])
    sheet.append(
        [
            "STT\n(No.)",
            "Ngày giao dịch\n(Transaction Date)",
            "Số tham chiếu / Reference No.",
            "Số tiền ghi nợ (Debit)",
            "Số tiền ghi có (Credit)",
            "Số dư (Balance)",
            "Mô tả / Description",
        ]
    )
    sheet.append([1, "10/03/2026 08:15:22", "FT1", None, 120000, 1120000, f"CT {owed[0]['reference']}"])
    sheet.append([2, "11/03/2026 09:00:00", "FT2", None, "120,000", 1240000, "CONG TY ABC ung ho"])
    sheet.append([None, "Tổng cộng / Total", None, 0, 240000, None, None])
    out = io.BytesIO()
    book.save(out)
    made = _import(funds, fund, out.getvalue(), name="sao-ke.xlsx")
    assert made.status_code == 201, made.text
    assert [p["household_id"] for p in made.json()["paid"]] == [owed[0]["household_id"]]
    assert [u["description"] for u in made.json()["unmatched"]] == ["CONG TY ABC ung ho"]
    # A transfer whose day is missing is no total: refused, with its row.
    dateless = _import(funds, fund, _csv([["1", "", "", "", "120.000", "0", "CONG TY ABC ung ho"]]))
    assert dateless.status_code == 422, dateless.text
    assert (dateless.json()["code"], dateless.json()["errors"][0]["row"]) == ("funds.statement.bad_date", 7)
