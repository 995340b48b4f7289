"""The lookup tables of cases: proposed corrections and presence flags, and their decisions."""

from __future__ import annotations

import json
from typing import Any

from tothon_registry.domain.correction import Correction
from tothon_registry.domain.presence import PresenceFlag
from tothon_registry.readmodels.page_writes import Writes
from tothon_registry.readmodels.tables import corrections, presence_flags


def apply_case_event(writes: Writes, event: Any) -> bool:
    """Apply a correction's or a presence flag's event; whether ``event`` was one."""
    if isinstance(event, Correction.Proposed):
        writes.insert(
            corrections,
            {
                "correction_id": event.originator_id,
                "person_id": event.person_id,
                "household_id": event.household_id,
                "changes": json.dumps(event.changes, default=str, ensure_ascii=False)
                if event.changes
                else None,
                "reason": event.reason,
                "proposer_role": event.proposer_role,
                "proposed_at": event.timestamp,
                "decision": None,
                "decision_reason": None,
                "decided_at": None,
            },
        )
    elif isinstance(event, Correction.Decided):
        writes.execute(
            corrections.update()
            .where(corrections.c.correction_id == event.originator_id)
            .values(
                decision="approved" if event.approved else "rejected",
                decision_reason=event.reason,
                decided_at=event.timestamp,
            )
        )
    elif isinstance(event, Correction.Closed):
        # Closed undecided: the reason is a code (e.g. person_erased), never personal.
        writes.execute(
            corrections.update()
            .where(corrections.c.correction_id == event.originator_id)
            .values(decision="closed", decision_reason=event.because, decided_at=event.timestamp)
        )
    elif isinstance(event, PresenceFlag.Raised):
        writes.insert(
            presence_flags,
            {
                "flag_id": event.originator_id,
                "unit_id": event.unit_id,
                "household_id": event.household_id,
                "person_id": event.person_id,
                "kind": event.kind,
                "observed_on": event.observed_on,
                "note": event.note,
                "raised_at": event.timestamp,
                "decision": None,
                "review_note": None,
                "reviewer_role": None,
                "reviewed_at": None,
            },
        )
    elif isinstance(event, PresenceFlag.Reviewed):
        writes.execute(
            presence_flags.update()
            .where(presence_flags.c.flag_id == event.originator_id)
            .values(
                decision=event.decision,
                review_note=event.note,
                reviewer_role=event.reviewer_role,
                reviewed_at=event.timestamp,
            )
        )
    elif isinstance(event, PresenceFlag.Closed):
        writes.execute(
            presence_flags.update()
            .where(presence_flags.c.flag_id == event.originator_id)
            .values(decision="closed", review_note=event.because, reviewed_at=event.timestamp)
        )
    else:
        return False
    return True
