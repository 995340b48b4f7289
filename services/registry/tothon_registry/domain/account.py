"""Accounts of officials and residents: credentials, sessions, lockout and role assignments.

Password hashing and token signing are infrastructure; the aggregate keeps only their results
(a hash, a refresh-token digest) and the rules: lockout after repeated failures, one current
refresh token per session, assignments recorded with who granted them and why.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any, cast
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event
from eventsourcing.domain import Snapshot as AggregateSnapshot
from eventsourcing.utils import register_topic

from tothon_registry.domain.errors import RegistryError


class AccountLockedError(RegistryError):
    """Too many failed sign-ins: the account is locked for a while."""

    def __init__(self, until: datetime) -> None:
        super().__init__(f"locked until {until.isoformat()}")
        self.until = until


class SessionEndedError(RegistryError):
    """The session was signed out, revoked or has expired."""


class AssignmentError(RegistryError):
    """The role assignment to revoke does not exist, or the one to add already does."""


@dataclass
class Session:
    """A signed-in session: the digest of its current refresh token and when it expires."""

    refresh_digest: str
    expires_at: datetime


class Account(Aggregate):
    """One person's account; residents are linked to their household."""

    TOPIC = "registry:Account:v1"

    class Created(Aggregate.Created):
        """The base of the account's creation events."""

        TOPIC = "registry:Account.Created:v1"

    class Opened(Created):
        """The account was opened."""

        TOPIC = "registry:AccountOpened:v1"
        username: str
        display_name: str
        password_hash: str
        household_id: UUID | None
        opened_by: str

    class SignInFailed(Aggregate.Event):
        """A wrong password was given; ``locked_until`` is set when it locked the account."""

        TOPIC = "registry:AccountSignInFailed:v1"
        at: datetime
        locked_until: datetime | None

    class SessionStarted(Aggregate.Event):
        """The account signed in."""

        TOPIC = "registry:AccountSessionStarted:v1"
        session_id: str
        refresh_digest: str
        expires_at: datetime
        # Absent from events recorded before sessions were pruned.
        started_at: datetime | None

    class SessionEnded(Aggregate.Event):
        """A session was signed out or revoked."""

        TOPIC = "registry:AccountSessionEnded:v1"
        session_id: str
        reason: str

    class RoleAssigned(Aggregate.Event):
        """A role over a unit's subtree was appointed."""

        TOPIC = "registry:AccountRoleAssigned:v1"
        role: str
        unit_id: UUID
        granted_by: str
        reason: str

    class RoleRevoked(Aggregate.Event):
        """A role over a unit was revoked."""

        TOPIC = "registry:AccountRoleRevoked:v1"
        role: str
        unit_id: UUID
        revoked_by: str
        reason: str

    class HouseholdBound(Aggregate.Event):
        """The account was bound to a household: its holder acts as a member of it (sees its
        records, manages its consents). ``bound_by`` is the official who bound it."""

        TOPIC = "registry:AccountHouseholdBound:v1"
        household_id: UUID
        bound_by: str

    class HouseholdUnbound(Aggregate.Event):
        """The account no longer serves a household."""

        TOPIC = "registry:AccountHouseholdUnbound:v1"
        household_id: UUID
        unbound_by: str

    class Snapshot(AggregateSnapshot):
        """The account's state every few events, so that checking a session (on every request)
        replays a handful of events, not the account's whole history. JSON keeps no tuples or
        dataclasses: they are written as lists and mappings and restored here."""

        TOPIC = "registry:Account.Snapshot:v1"

        @classmethod
        def take(cls, aggregate: Any) -> Account.Snapshot:
            snapshot = super().take(aggregate)
            snapshot.state["sessions"] = {k: asdict(v) for k, v in snapshot.state["sessions"].items()}
            return snapshot

        def mutate(self, _: None) -> Account:
            account = cast(Account, super().mutate(None))
            account.sessions = {k: Session(**v) for k, v in account.__dict__["sessions"].items()}
            account.grants = [(role, unit) for role, unit in account.grants]
            # Snapshots taken before the opener was kept: none known, so only the city manages
            # such an account while it has no role nor household.
            account.__dict__.setdefault("opened_by", "")
            if account.external_identity is not None:
                issuer, subject = account.external_identity
                account.external_identity = (issuer, subject)
            return account

    @staticmethod
    def create_id(username: str) -> UUID:
        # One account per username.
        return uuid5(NAMESPACE_URL, f"tothon:account:{username}")

    @event(Opened)
    def __init__(
        self,
        username: str,
        display_name: str,
        password_hash: str,
        household_id: UUID | None,
        opened_by: str,
    ) -> None:
        self.username = username
        self.display_name = display_name
        self.password_hash = password_hash
        # Accounts are opened unbound and bound by ``bind_household`` since bindings are
        # authorised; an ``Opened`` event recorded before carries its binding here.
        self.household_id = household_id
        self.opened_by = opened_by
        self.failures = 0
        self.locked_until: datetime | None = None
        self.sessions: dict[str, Session] = {}
        self.grants: list[tuple[str, UUID]] = []
        self.external_identity: tuple[str, str] | None = None

    def locked_at(self, now: datetime) -> bool:
        """Whether sign-in is refused at ``now`` because of earlier failures."""
        return self.locked_until is not None and now < self.locked_until

    def record_failure(self, now: datetime, max_failures: int, lock_for: timedelta) -> None:
        """Count a failed sign-in; the ``max_failures``-th in a row locks the account."""
        reached = self.failures + 1 >= max_failures
        self._failed(at=now, locked_until=now + lock_for if reached else None)

    @event(SignInFailed)
    def _failed(self, at: datetime, locked_until: datetime | None) -> None:
        self.failures = 0 if locked_until else self.failures + 1
        if locked_until:
            self.locked_until = locked_until

    def start_session(self, session_id: str, refresh_digest: str, now: datetime, lifetime: timedelta) -> None:
        """Sign in: a new session with its first refresh token."""
        if self.locked_at(now):
            assert self.locked_until is not None
            raise AccountLockedError(self.locked_until)
        self._session_started(
            session_id=session_id, refresh_digest=refresh_digest, expires_at=now + lifetime, started_at=now
        )

    @event(SessionStarted)
    def _session_started(
        self, session_id: str, refresh_digest: str, expires_at: datetime, started_at: datetime | None = None
    ) -> None:
        self.failures = 0
        self.locked_until = None
        if started_at is not None:
            # Sessions that had expired by now are forgotten, so the account (and its snapshots)
            # stays small however often its holder signs in.
            self.sessions = {k: v for k, v in self.sessions.items() if v.expires_at > started_at}
        self.sessions[session_id] = Session(refresh_digest, expires_at)

    def rotate_refresh(self, session_id: str, presented: str, replacement: str, now: datetime) -> None:
        """Exchange the session's current refresh token for a new one.

        A token that is not the current one was stolen or replayed: the session ends."""
        session = self.sessions.get(session_id)
        if session is None or now >= session.expires_at:
            raise SessionEndedError(session_id)
        if presented != session.refresh_digest:
            self.end_session(session_id, reason="refresh token reused")
            raise SessionEndedError(session_id)
        self._refreshed(session_id=session_id, refresh_digest=replacement)

    @event("SessionRefreshed", topic="registry:AccountSessionRefreshed:v1")
    def _refreshed(self, session_id: str, refresh_digest: str) -> None:
        self.sessions[session_id].refresh_digest = refresh_digest

    def end_session(self, session_id: str, reason: str) -> None:
        """Sign out or revoke one session."""
        if session_id in self.sessions:
            self._session_ended(session_id=session_id, reason=reason)

    @event(SessionEnded)
    def _session_ended(self, session_id: str, reason: str) -> None:
        self.sessions.pop(session_id, None)

    def end_all_sessions(self, reason: str) -> None:
        """Revoke every session, e.g. after a password reset or a role change."""
        for session_id in list(self.sessions):
            self.end_session(session_id, reason)

    @event("PasswordChanged", topic="registry:AccountPasswordChanged:v1")
    def change_password(self, password_hash: str, changed_by: str) -> None:
        """Replace the password hash (by the person, or reset by an administrator)."""
        self.password_hash = password_hash

    @event("ExternalIdentityLinked", topic="registry:AccountExternalIdentityLinked:v1")
    def link_external(self, issuer: str, subject: str, linked_by: str) -> None:
        """Let the person sign in at the city's identity provider as this account (replacing any
        earlier link: only the latest one signs in)."""
        self.external_identity = (issuer, subject)

    def bind_household(self, household_id: UUID | None, by: str) -> None:
        """Bind the account to a household (or to none); its sessions end, so access follows the
        new binding at once, as after a revocation."""
        if household_id == self.household_id:
            return
        if self.household_id is not None:
            self._household_unbound(household_id=self.household_id, unbound_by=by)
        if household_id is not None:
            self._household_bound(household_id=household_id, bound_by=by)
        self.end_all_sessions(reason="household binding changed")

    @event(HouseholdBound)
    def _household_bound(self, household_id: UUID, bound_by: str) -> None:
        self.household_id = household_id

    @event(HouseholdUnbound)
    def _household_unbound(self, household_id: UUID, unbound_by: str) -> None:
        self.household_id = None

    def assign(self, role: str, unit_id: UUID, granted_by: str, reason: str) -> None:
        """Add a role assignment over a unit's subtree."""
        if (role, unit_id) in self.grants:
            raise AssignmentError(f"{role} at {unit_id} is already assigned")
        self._role_assigned(role=role, unit_id=unit_id, granted_by=granted_by, reason=reason)

    @event(RoleAssigned)
    def _role_assigned(self, role: str, unit_id: UUID, granted_by: str, reason: str) -> None:
        self.grants.append((role, unit_id))

    def revoke(self, role: str, unit_id: UUID, revoked_by: str, reason: str) -> None:
        """Remove a role assignment; the account's sessions end so the change takes effect now."""
        if (role, unit_id) not in self.grants:
            raise AssignmentError(f"{role} at {unit_id} is not assigned")
        self._role_revoked(role=role, unit_id=unit_id, revoked_by=revoked_by, reason=reason)
        self.end_all_sessions(reason="role revoked")

    @event(RoleRevoked)
    def _role_revoked(self, role: str, unit_id: UUID, revoked_by: str, reason: str) -> None:
        self.grants.remove((role, unit_id))


# The aggregate registers the topics of its events, not of its snapshot class: without this a
# process that had not written a snapshot itself (another replica, a restart) could not read one,
# and every request of that account failed.
register_topic(Account.Snapshot.TOPIC, Account.Snapshot)
