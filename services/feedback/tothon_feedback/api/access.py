"""Who may see and act on a case: its resident (their account, or their household for a case an
official filed for it), the officials whose units cover where the case is or where it came from,
and, for the workflow's steps, the role that handles the case's level at its unit."""

from __future__ import annotations

from uuid import UUID

from tothon_feedback.application import Guard
from tothon_feedback.domain.case import FeedbackCase
from tothon_feedback.domain.levels import Level
from tothon_feedback.permissions import HANDLERS, FeedbackPermission
from tothon_feedback.readmodels.tables import DIRECTORY
from tothon_shared.auth.lineage import lineage
from tothon_shared.auth.principal import Principal, covers
from tothon_shared.http.problems import ProblemError
from tothon_shared.readstore.store import ReadStore

# A case outside the caller's reach is refused as any other unit's data is (403), not hidden:
# case ids are random, so the refusal tells nothing a guess could use.
FORBIDDEN = "auth.forbidden"


def resident_of(principal: Principal) -> str:
    """How a case names the resident who filed it online: their account."""
    return str(principal.account_id)


def for_household(household_id: UUID) -> str:
    """How a case names the resident an official filed it for: their household."""
    return f"household:{household_id}"


def owns(principal: Principal, resident: str) -> bool:
    """Whether the case of ``resident`` is the caller's own (or their household's)."""
    household = principal.household_id
    return resident == resident_of(principal) or (
        household is not None and resident == for_household(household)
    )


def reads(principal: Principal, store: ReadStore, unit_id: UUID, origin_unit_id: UUID) -> bool:
    """Whether an official's units cover the case's unit or the unit it came from."""
    scopes = principal.units_with(FeedbackPermission.CASES_READ)
    if not scopes:
        return False
    return covers(scopes, lineage(store, DIRECTORY.units, unit_id)) or covers(
        scopes, lineage(store, DIRECTORY.units, origin_unit_id)
    )


def handles(principal: Principal, store: ReadStore, unit_id: UUID, level: Level) -> bool:
    """Whether the caller holds the role that handles ``level`` over ``unit_id``."""
    role = HANDLERS[level]
    units = set(lineage(store, DIRECTORY.units, unit_id))
    return any(g.role is role and g.unit_id in units for g in principal.grants)


def may_see(principal: Principal, store: ReadStore, case: FeedbackCase) -> bool:
    """The resident's own case, or one an official's units cover."""
    return owns(principal, case.resident) or reads(principal, store, case.unit_id, case.origin_unit_id)


def handler_guard(principal: Principal, store: ReadStore) -> Guard:
    """A step of the handling unit: refused for a case the caller may not see, and, with its own
    reason, for one they see but whose level is not theirs to handle."""

    def guard(case: FeedbackCase) -> None:
        if not reads(principal, store, case.unit_id, case.origin_unit_id):
            raise ProblemError(403, FORBIDDEN)
        if not handles(principal, store, case.unit_id, case.level):
            raise ProblemError(403, "feedback.case.not_your_level")

    return guard


def resident_guard(principal: Principal) -> Guard:
    """A step of the resident (closing, reopening): their own case only."""

    def guard(case: FeedbackCase) -> None:
        if not owns(principal, case.resident):
            raise ProblemError(403, FORBIDDEN)

    return guard


def reader_guard(principal: Principal, store: ReadStore) -> Guard:
    """Reading a case: refused for one the caller may not see."""

    def guard(case: FeedbackCase) -> None:
        if not may_see(principal, store, case):
            raise ProblemError(403, FORBIDDEN)

    return guard
