"""A resident sending the same case again (the light is still out, the first submission not yet
answered) is caught: the new submission is the open case, not a second one to route and count.
Sameness is read loosely, as people retype: the same category, within a window, and nearly the
same words once marks, case and punctuation are set aside."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from tothon_shared.kernel.text import fold

# How alike two texts' words must be (shared words over all words of either): retyped with a
# word or two changed is the same case; a different street or a different fault is not.
SAME_WORDS = 0.7
WITHIN = timedelta(days=30)
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class EarlierCase:
    """One of the resident's cases still open: its category, text and time of submission."""

    case_id: UUID
    category: str
    text: str
    submitted_at: datetime


def words(text: str) -> frozenset[str]:
    """The words of a text, folded (no marks, lower case), without punctuation."""
    return frozenset(_WORD.findall(fold(text)))


def repeated_case(
    category: str, text: str, at: datetime, open_cases: Iterable[EarlierCase], within: timedelta = WITHIN
) -> UUID | None:
    """The open case of the same resident that this submission repeats, the most alike first."""
    new = words(text)
    best: tuple[float, UUID] | None = None
    for case in open_cases:
        if case.category != category or not timedelta(0) <= at - case.submitted_at <= within:
            continue
        old = words(case.text)
        alike = len(new & old) / len(new | old) if new | old else 1.0
        if alike >= SAME_WORDS and (best is None or alike > best[0]):
            best = (alike, case.case_id)
    return best[1] if best is not None else None
