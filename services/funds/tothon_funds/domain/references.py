"""A household's payment reference: what its VietQR puts in the transfer note and what a bank
statement brings back, so a transfer is matched to the obligation it pays without anyone typing.

Banks keep a note's letters and digits but may drop its spaces, change its case, or add their own
words around it ("MBVCB.123.TT4KQ7ZX2M.CT tu ..."): a reference is ``TT`` and eight letters or
digits of Crockford's alphabet (no I, L, O, U), found anywhere in a line's description once that is
folded to upper-case letters and digits."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar
from uuid import UUID

K = TypeVar("K")
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "TT"
# Every place a reference could start (overlapping: "TTT4KQ…" holds one at its second T).
_CANDIDATE = re.compile(rf"(?=({PREFIX}[{_CROCKFORD}]{{8}}))")
_NOT_ALNUM = re.compile(r"[^0-9A-Z]")


def reference(obligation_id: UUID) -> str:
    """The payment reference of an obligation: stable, ten characters, fit for a transfer note."""
    digest = int.from_bytes(hashlib.sha256(obligation_id.bytes).digest()[:5], "big")
    return PREFIX + "".join(_CROCKFORD[(digest >> shift) & 31] for shift in range(35, -1, -5))


def references_in(description: str) -> list[str]:
    """The references a statement line's description may carry, in order."""
    folded = _NOT_ALNUM.sub("", description.upper())
    return list(dict.fromkeys(_CANDIDATE.findall(folded)))


@dataclass(frozen=True)
class StatementLine:
    """One credit of a bank statement: its line number, date, amount in đồng and description."""

    line: int
    booked_on: date
    amount: int
    description: str


@dataclass(frozen=True)
class Matched(Generic[K]):
    """A statement line and the obligation its reference names."""

    statement_line: StatementLine
    obligation: K


def match(
    lines: Iterable[StatementLine], open_references: Mapping[str, K]
) -> tuple[list[Matched[K]], list[StatementLine]]:
    """Each line matched to the obligation whose reference its description carries (the first
    known one), and the lines left for the leader to match by hand (no known reference, or not a
    credit). A line's amount is taken as it was paid: part or more of what was owed."""
    matched: list[Matched[K]] = []
    unmatched: list[StatementLine] = []
    for line in lines:
        key = next(
            (open_references[r] for r in references_in(line.description) if r in open_references), None
        )
        if key is None or line.amount <= 0:
            unmatched.append(line)
        else:
            matched.append(Matched(line, key))
    return matched, unmatched


def anonymous_code(fund_id: UUID, household_id: UUID) -> str:
    """How a fund's public report shows a household when the group publishes no names: stable
    for the fund, different across funds (no one links a household's payments across them), and
    shown to the household itself so it finds its own line."""
    digest = int.from_bytes(hashlib.sha256(fund_id.bytes + household_id.bytes).digest()[:4], "big")
    return "H-" + "".join(_CROCKFORD[(digest >> shift) & 31] for shift in range(25, -1, -5))
