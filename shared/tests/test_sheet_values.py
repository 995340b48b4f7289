"""Amounts in whole dong and days as bank statements write them: every way a bank formats an
amount reads back to the same integer, a fraction of a dong or a negative amount is refused with
its key; days in Vietnamese, ISO and Excel forms read alike, and an impossible one says why."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tothon_shared.sheet_values import AmountError, DayError, parse_amount, parse_day


def grouped(amount: int, separator: str) -> str:
    return f"{amount:,}".replace(",", separator)


FORMS = [
    lambda a: str(a),
    lambda a: grouped(a, "."),
    lambda a: grouped(a, ","),
    lambda a: grouped(a, " "),
    lambda a: grouped(a, "\u00a0"),
    lambda a: grouped(a, ".") + " VND",
    lambda a: grouped(a, ".") + "đ",
    lambda a: grouped(a, ".") + " ₫",
    lambda a: "+" + grouped(a, ",") + ".00",
    lambda a: grouped(a, ".") + ",00",
    lambda a: f" {a}.0 ",
]


@given(st.integers(min_value=0, max_value=10**15), st.sampled_from(FORMS))
def test_a_formatted_amount_reads_back_to_its_integer(amount: int, form: object) -> None:
    assert callable(form)
    assert parse_amount(form(amount)) == amount


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1.500.000", 1_500_000),
        ("1,500,000", 1_500_000),
        ("1 500 000", 1_500_000),
        ("1500000", 1_500_000),
        ("1.500.000 VND", 1_500_000),
        ("1.500.000 VNĐ", 1_500_000),
        ("+1,500,000.00", 1_500_000),
        ("1.500", 1_500),  # a dot before three digits groups thousands: dong have no decimals
        ("0", 0),
    ],
)
def test_amounts_as_banks_write_them(text: str, amount: int) -> None:
    assert parse_amount(text) == amount


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("1500.5", "sheet.amount_fraction"),
        ("1.500.000,50", "sheet.amount_fraction"),
        ("1,5", "sheet.amount_fraction"),
        ("-1.500.000", "sheet.amount_negative"),
        ("1.500.000-", "sheet.amount_negative"),
        ("(1.500.000)", "sheet.amount_negative"),
        ("", "sheet.amount_format"),
        ("VND", "sheet.amount_format"),
        ("1.50.000", "sheet.amount_format"),
        ("1.500,000", "sheet.amount_format"),
        ("một triệu", "sheet.amount_format"),
        ("١٢٣", "sheet.amount_format"),  # digits of another script
        ("1e6", "sheet.amount_format"),
    ],
)
def test_an_amount_that_is_not_whole_positive_dong_is_refused_with_its_key(text: str, key: str) -> None:
    with pytest.raises(AmountError) as refused:
        parse_amount(text)
    assert refused.value.key == key
    assert isinstance(refused.value, ValueError)


@given(st.integers(min_value=1, max_value=10**12), st.integers(min_value=1, max_value=99))
def test_a_fraction_of_a_dong_is_never_rounded(amount: int, cents: int) -> None:
    with pytest.raises(AmountError):
        parse_amount(f"{amount}.{cents:02d}" if cents % 10 else f"{amount}.{cents // 10}")


@pytest.mark.parametrize(
    "value",
    [
        "05/03/2026",
        "5/3/2026",
        "05-03-2026",
        "05.03.2026",
        "2026-03-05",
        "05/03/2026 14:22:01",
        "05/03/2026 14:22",
        "2026-03-05T14:22:01",
        " 05/03/2026 ",
        "46086",  # Excel's day number, as a number cell's text
        46086,
        46086.6,  # with a time of day
        datetime(2026, 3, 5, 14, 22),
        date(2026, 3, 5),
    ],
)
def test_a_day_in_any_form_a_statement_writes_it(value: object) -> None:
    assert parse_day(value) == date(2026, 3, 5)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_every_day_reads_back_from_its_vietnamese_iso_and_excel_forms(day: date) -> None:
    serial = (day - date(1899, 12, 30)).days
    for form in (day.strftime("%d/%m/%Y"), day.isoformat(), str(serial), serial):
        assert parse_day(form) == day


@pytest.mark.parametrize(
    ("value", "key", "params"),
    [
        ("31/02/2026", "sheet.date_impossible", {}),
        ("03/13/2026", "sheet.date_swapped", {"month": "13"}),
        ("05/03/26", "sheet.date_short_year", {}),
        ("5 tháng 3", "sheet.date_format", {}),
        ("", "sheet.date_format", {}),
        ("2026-13-05", "sheet.date_swapped", {"month": "13"}),  # yyyy-dd-mm
        (0, "sheet.date_impossible", {}),
        (True, "sheet.date_format", {}),
    ],
)
def test_a_day_that_cannot_be_says_why(value: object, key: str, params: dict[str, str]) -> None:
    with pytest.raises(DayError) as refused:
        parse_day(value)
    assert (refused.value.key, refused.value.params) == (key, params)
