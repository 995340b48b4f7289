"""Sessions of registry accounts: their lifetimes, the refresh tokens' digests, and the check
every request makes that its session is still open (with the accounts that check keeps)."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from tothon_registry.domain.account import Account
from tothon_shared.auth.principal import Principal

if TYPE_CHECKING:  # the use cases hand themselves in; only their type is needed here
    from tothon_registry.accounts import AccountUseCases


@dataclass(frozen=True)
class SignInPolicy:
    """Lockout and session lifetimes (from settings)."""

    max_failures: int = 5
    lock_for: timedelta = timedelta(minutes=15)
    session_lifetime: timedelta = timedelta(days=7)


@dataclass(frozen=True)
class SignedIn:
    """A started or refreshed session: who, and the refresh token to present next time."""

    principal: Principal
    refresh_token: str


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def session_open(account: Account, session_id: str, now: datetime | None = None) -> bool:
    """Whether the account has this session open and unexpired."""
    session = account.sessions.get(session_id)
    return session is not None and (now or datetime.now(UTC)) < session.expires_at


def still_holds(account: Account, principal: Principal, now: datetime | None = None) -> bool:
    """Whether the principal a token carries still holds for the account as it is: the session
    is open and the token's household is the account's current binding (a resident's access to
    a household comes from that binding, never from the token alone)."""
    return session_open(account, principal.session_id, now) and account.household_id == principal.household_id


class CheckedAccounts:
    """The accounts whose sessions this process checks, kept in memory. Every check asks the
    event store for the account's events stored since (one small query; no snapshot to read and
    decode), so a sign-out or revocation stored by any process is seen by the next check.

    The query runs outside the lock: every request checks its session, and a lock held over a
    database round trip made each request of the process wait for the others' checks (and for
    any thread preempted while holding it). Kept accounts are never changed in place; an account
    with new events is loaded again and replaces the kept one (a sign-in or a sign-out, rare
    beside the checks)."""

    MAX_KEPT = 10_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: dict[UUID, Account] = {}

    def kept(self, account_id: UUID) -> Account | None:
        """The account as last loaded here, without asking whether it changed since."""
        with self._lock:
            return self._kept.get(account_id)

    def current(self, app: AccountUseCases, account_id: UUID) -> Account:
        """The account as of its latest stored event, or ``AccountNotFoundError``."""
        kept = self.kept(account_id)
        if kept is not None:
            newer = app.repository.event_store.get(  # type: ignore[attr-defined]
                originator_id=account_id, gt=kept.version, limit=1
            )
            if not list(newer):
                return kept
        account = app.get_account(account_id)
        with self._lock:
            kept = self._kept.get(account_id)
            if kept is not None and kept.version > account.version:
                return kept  # another thread loaded it later still
            if len(self._kept) >= self.MAX_KEPT:
                self._kept.clear()
            self._kept[account_id] = account
        return account
