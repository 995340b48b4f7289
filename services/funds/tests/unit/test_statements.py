"""Reading bank statements: amounts in whole đồng however banks write them (fractions refused),
Vietnamese dates, a key per credit that pays it once, and bank formats that know every column."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tothon_funds.domain.statements import (
    BANKS,
    StatementError,
    StatementFormat,
    credits,
    parse_amount,
    parse_day,
)


@given(st.integers(1, 10**12), st.sampled_from([".", ",", " ", ""]), st.booleans(), st.booleans())
def test_a_whole_amount_reads_back_however_it_is_grouped(
    amount: int, separator: str, cents: bool, unit: bool
) -> None:
    grouped = f"{amount:,}".replace(",", separator) if separator else str(amount)
    decimal = "," if separator == "." else "."
    text = grouped + (f"{decimal}00" if cents else "") + (" VND" if unit else "")
    assert parse_amount(text, 1) == amount


@pytest.mark.parametrize("text", ["1500.5", "12,5", "-5000", "abc", "1.50", "1.5e6", "1..000"])
def test_a_fraction_a_negative_or_not_a_number_is_refused(text: str) -> None:
    with pytest.raises(StatementError) as refused:
        parse_amount(text, 7)
    assert (refused.value.code, refused.value.row) == ("bad_amount", 7)


def test_an_empty_credit_is_no_credit() -> None:
    assert [parse_amount(t, 1) for t in ("", " ", "-", "0")] == [None] * 4


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("05/03/2026", date(2026, 3, 5)),
        ("5-3-2026 14:02:11", date(2026, 3, 5)),
        ("2026-03-05", date(2026, 3, 5)),
    ],
)
def test_days_as_banks_write_them(text: str, day: date) -> None:
    assert parse_day(text, 1) == day


def test_an_impossible_day_is_refused() -> None:
    with pytest.raises(StatementError, match="bad_date"):
        parse_day("31/02/2026", 3)


def test_a_credit_is_keyed_by_its_transaction_or_by_what_it_is_and_how_often() -> None:
    rows = [
        (
            5,
            {
                "booked_on": "01/03/2026",
                "credit": "120.000",
                "description": "TT4KQ7ZX2M",
                "transaction": "FT1",
            },
        ),
        (6, {"booked_on": "01/03/2026", "credit": "50.000", "description": "ung ho"}),
        (7, {"booked_on": "01/03/2026", "credit": "50.000", "description": "ung ho"}),
        (8, {"booked_on": "01/03/2026", "credit": "", "debit": "10.000", "description": "phi"}),
    ]
    read = credits("vietcombank", rows)
    assert [r.line.line for r in read] == [5, 6, 7]  # the debit is no credit
    assert read[0].key == "vietcombank:FT1"
    assert read[1].key != read[2].key  # two equal transfers are two
    assert credits("vietcombank", rows)[2].key == read[2].key  # and the same on a second reading


def test_a_format_knows_each_column_or_says_it_does_not() -> None:
    vcb = BANKS["vietcombank"]
    assert vcb.field_of("NGÀY GIAO DỊCH") == "booked_on"
    assert vcb.field_of("Số dư") == ""  # known, skipped
    assert vcb.field_of("Ghi chú khác") is None
    with pytest.raises(StatementError, match="mapping"):
        StatementFormat("x", {"booked_on": ("Ngày",), "credit": ("Ngày",), "description": ("Nội dung",)})
    with pytest.raises(StatementError, match="mapping"):
        StatementFormat("x", {"booked_on": ("Ngày",), "credit": ("Có",)})


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Số tiền ghi có\n(Credit)", "credit"),
        ("Ngày giao dịch / Transaction Date", "booked_on"),
        ("Mô tả (Description)", "description"),
        ("Số dư\nBalance", ""),
        ("Kênh / Channel", None),  # still unknown: named in the refusal
    ],
)
def test_a_header_with_english_beside_it_is_known_by_its_vietnamese(header: str, field: str | None) -> None:
    assert BANKS["vietcombank"].field_of(header) == field


@pytest.mark.parametrize("label", ["Tổng cộng", "TỔNG CỘNG / TOTAL", "Cộng phát sinh", "Total", "Cộng"])
@pytest.mark.parametrize("where", ["booked_on", "description"])
def test_the_totals_under_the_lines_are_no_transfer(label: str, where: str) -> None:
    rows = [
        (5, {"booked_on": "01/03/2026", "credit": "50.000", "description": "ung ho"}),
        (6, {"booked_on": "", "credit": "50.000", "description": ""} | {where: label}),
    ]
    assert [r.line.line for r in credits("vietcombank", rows)] == [5]


@pytest.mark.parametrize(
    "cells",
    [
        {"booked_on": "", "credit": "50.000", "description": "CÔNG TY ABC ủng hộ"},  # a company's transfer
        {"booked_on": "", "credit": "50.000", "description": "Tổng cộng", "transaction": "FT9"},  # numbered
    ],
)
def test_a_dateless_line_that_is_no_total_is_refused_with_its_row(cells: dict[str, str]) -> None:
    with pytest.raises(StatementError, match="bad_date") as refused:
        credits("vietcombank", [(6, cells)])
    assert refused.value.row == 6
