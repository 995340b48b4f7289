"""Money is a whole number of đồng: Vietnam's currency has no subunit in use, and a float would
lose đồng in sums a ledger must balance exactly."""

from __future__ import annotations

from tothon_funds.domain.errors import MoneyError


def vnd(amount: object) -> int:
    """``amount`` as đồng, refused unless a whole number above zero (never a float, even 5.0)."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise MoneyError(code="not_integer")
    if amount <= 0:
        raise MoneyError(code="not_positive")
    return amount


def format_vnd(amount: int) -> str:
    """``1.250.000 ₫``: thousands grouped with dots, as Vietnamese write them."""
    return f"{amount:,}".replace(",", ".") + " ₫"
