"""The case's states and which step each allows: the workflow as one table.

```
submitted → accepted → in progress → resolved → closed (confirmed and rated)
                                        └→ reopened: submitted again, one level up
escalated (one level up) / returned (down) → submitted at the new unit
rejected, merged: ends
```
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from tothon_feedback.domain.errors import CaseStateError, EvidenceRequiredError, RatingError, TextError


class CaseStatus(StrEnum):
    """Where a case stands. ``SUBMITTED`` waits for its (current) handling unit to accept it:
    after submission, and again after an escalation, a return or a reopening."""

    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REJECTED = "rejected"
    MERGED = "merged"

    @property
    def is_open(self) -> bool:
        """Waiting for a unit's work (so for its deadline)."""
        return self in _OPEN


class Step(StrEnum):
    """The steps of the workflow (the names a refused step is reported by)."""

    ACCEPT = "accept"
    START = "start"
    RESOLVE = "resolve"
    CLOSE = "close"
    REOPEN = "reopen"
    ESCALATE = "escalate"
    RETURN = "return"
    REJECT = "reject"
    MERGE = "merge"
    ASSIGN = "assign"
    REPLY = "reply"


# The actor of what the service does by itself (escalation when a deadline passes).
SYSTEM = "system"
# The reason of an escalation by deadline: a code, shown translated.
DEADLINE_PASSED = "deadline_passed"

_OPEN = frozenset({CaseStatus.SUBMITTED, CaseStatus.ACCEPTED, CaseStatus.IN_PROGRESS})

# From which states each step may be taken. Closed, rejected and merged cases take none.
ALLOWED: dict[Step, frozenset[CaseStatus]] = {
    Step.ACCEPT: frozenset({CaseStatus.SUBMITTED}),
    Step.START: frozenset({CaseStatus.ACCEPTED}),
    Step.RESOLVE: frozenset({CaseStatus.ACCEPTED, CaseStatus.IN_PROGRESS}),
    # "Closed" stays apart from "resolved": only the resident's confirmation closes a case.
    Step.CLOSE: frozenset({CaseStatus.RESOLVED}),
    Step.REOPEN: frozenset({CaseStatus.RESOLVED}),
    Step.ESCALATE: _OPEN,
    Step.RETURN: _OPEN,
    Step.REJECT: _OPEN,
    Step.MERGE: _OPEN,
    Step.ASSIGN: _OPEN,
    Step.REPLY: _OPEN,
}


def require(step: Step, status: CaseStatus) -> None:
    """Refuse ``step`` unless the case's ``status`` allows it."""
    if status not in ALLOWED[step]:
        raise CaseStateError(
            f"cannot {step} a case that is {status}", code="state", step=step.value, status=status.value
        )


def check_answer(answer: str, evidence: Sequence[str]) -> None:
    """A resolution is a public answer with at least one piece of evidence."""
    if not answer.strip():
        raise EvidenceRequiredError(code="answer_required")
    if not evidence or any(not ref.strip() for ref in evidence):
        raise EvidenceRequiredError(code="evidence_required")


def written(text: str, limit: int = 4000) -> str:
    """A note's or reply's text: not blank, at most ``limit`` characters."""
    if not text.strip():
        raise TextError(code="text_required")
    if len(text) > limit:
        raise TextError(code="text_too_long")
    return text


def check_rating(rating: int) -> None:
    """A rating is 1 to 5 whole stars."""
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise RatingError
