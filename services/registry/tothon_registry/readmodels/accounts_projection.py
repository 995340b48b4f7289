"""Projects accounts and their role assignments for administrators (never password hashes)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy.orm import Session

from tothon_registry.domain.account import Account
from tothon_registry.readmodels.tables import accounts, role_assignments
from tothon_shared.eventstore.notification_log import LoggedEvent
from tothon_shared.runtime.definition import ProjectionSpec


def apply(session: Session, batch: Sequence[LoggedEvent]) -> None:
    """Update the account tables for a page of events, in order."""
    for logged in batch:
        event = logged.event
        if isinstance(event, Account.Opened):
            session.execute(
                accounts.insert().values(
                    account_id=event.originator_id,
                    username=event.username,
                    display_name=event.display_name,
                    household_id=event.household_id,
                )
            )
        elif isinstance(event, Account.RoleAssigned):
            session.execute(
                role_assignments.insert().values(
                    account_id=event.originator_id,
                    role=event.role,
                    unit_id=event.unit_id,
                    granted_by=event.granted_by,
                    reason=event.reason,
                    granted_at=event.timestamp,
                )
            )
        elif isinstance(event, Account.RoleRevoked):
            session.execute(
                role_assignments.delete().where(
                    role_assignments.c.account_id == event.originator_id,
                    role_assignments.c.role == event.role,
                    role_assignments.c.unit_id == event.unit_id,
                )
            )
        elif isinstance(event, Account.HouseholdBound | Account.HouseholdUnbound):
            bound = event.household_id if isinstance(event, Account.HouseholdBound) else None
            session.execute(
                accounts.update()
                .where(accounts.c.account_id == event.originator_id)
                .values(household_id=bound)
            )
        elif isinstance(event, Account.SignInFailed) and event.locked_until is not None:
            _set_lock(session, event.originator_id, event.locked_until)
        elif isinstance(event, Account.SessionStarted):
            _set_lock(session, event.originator_id, None)


def _set_lock(session: Session, account_id: UUID, locked_until: datetime | None) -> None:
    session.execute(
        accounts.update().where(accounts.c.account_id == account_id).values(locked_until=locked_until)
    )


ACCOUNTS = ProjectionSpec(
    "registry-accounts",
    apply,
    (accounts, role_assignments),
    events=(
        Account.Opened,
        Account.RoleAssigned,
        Account.RoleRevoked,
        Account.HouseholdBound,
        Account.HouseholdUnbound,
        Account.SignInFailed,
        Account.SessionStarted,
    ),
)
