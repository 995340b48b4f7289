"""The registry's account use cases: opening accounts, signing in and out, refresh tokens,
passwords, role assignments and household bindings.

Who administers an account (appoints or revokes its roles, resets its password, links its
external identity, binds it to a household) is decided by the account as it stands:
- each role it holds, where it holds it, must be one the actor may appoint there;
- the household it is bound to must lie where the actor may register households (the right a
  binding needs: a binding shows the household's records in full);
- an account with neither, just opened, is administered by whoever opened it, and by an
  administrator of the whole tree (who may appoint every role at a unit above all others).
So a Thanh Khê official cannot make an account serving Hải Châu one of theirs, and the city's IT
administrator, who sees no personal field, administers no account bound to a household.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from functools import cached_property
from uuid import UUID

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from eventsourcing.application import AggregateNotFoundError

from tothon_registry.account_sessions import CheckedAccounts, SignInPolicy, digest, session_open, still_holds
from tothon_registry.account_sessions import SignedIn as SignedIn  # imported from here by the API
from tothon_registry.domain.account import Account, AccountLockedError, SessionEndedError
from tothon_registry.domain.errors import RegistryError
from tothon_registry.domain.external_login import ExternalLogin
from tothon_registry.permissions import RegistryPermission
from tothon_shared.auth.principal import Grant, Principal, covers
from tothon_shared.auth.roles import Role

MIN_PASSWORD_LENGTH = 10


class SignInRefusedError(RegistryError):
    """Unknown username or wrong password (deliberately not told apart)."""


class WeakPasswordError(RegistryError):
    """The password is too short."""


class NotAllowedError(RegistryError):
    """The acting principal may not do this here."""


class AccountNotFoundError(LookupError):
    """No account with that id."""


class AccountUseCases:
    """Mixed into the registry's application, which provides ``repository``, ``save`` and units."""

    passwords = PasswordHasher()  # argon2id with the library's recommended parameters
    policy = SignInPolicy()
    # Verified against when the username is unknown, so both failures take the same time.
    _dummy_hash = PasswordHasher().hash("tothon-dummy-password")

    def open_account(
        self,
        username: str,
        display_name: str,
        password: str,
        household_id: UUID | None,
        opened_by: str,
    ) -> UUID:
        """Open an account with an initial password, unchecked: for the installation itself (the
        bootstrap command, the demo's seed). Officials open accounts with ``open_account_as``."""
        account = Account(username.lower(), display_name, self._hash(password), None, opened_by)
        if household_id is not None:
            account.bind_household(household_id, by=opened_by)
        self.save(account)  # type: ignore[attr-defined]
        return account.id

    def open_account_as(
        self, actor: Principal, username: str, display_name: str, password: str, household_id: UUID | None
    ) -> UUID:
        """An official opens an account; binding it to a household is authorised against the
        household's unit like any write there (``HouseholdNotFoundError`` for no such household)."""
        if household_id is not None:
            self._require_binding(actor, household_id)
        return self.open_account(username, display_name, password, household_id, str(actor.account_id))

    def bind_household(self, actor: Principal, account_id: UUID, household_id: UUID | None) -> None:
        """Bind an account you administer to a household where you register households, or to
        none; its sessions end so that access follows the new binding at once."""
        account = self.get_account(account_id)
        self._require_authority_over(actor, account)
        if household_id is not None:
            self._require_binding(actor, household_id)
        account.bind_household(household_id, by=str(actor.account_id))
        self.save(account)  # type: ignore[attr-defined]

    def get_account(self, account_id: UUID) -> Account:
        """The account, or ``AccountNotFoundError``."""
        try:
            account: Account = self.repository.get(account_id)  # type: ignore[attr-defined]
        except AggregateNotFoundError:
            raise AccountNotFoundError(account_id) from None
        return account

    def sign_in(self, username: str, password: str, now: datetime | None = None) -> SignedIn:
        """Check the password and start a session; count failures towards the lockout."""
        now = now or datetime.now(UTC)
        try:
            account = self.get_account(Account.create_id(username.lower()))
        except AccountNotFoundError:
            self._verify(self._dummy_hash, password)
            raise SignInRefusedError(username) from None
        if account.locked_at(now):
            assert account.locked_until is not None  # locked_at says so
            raise AccountLockedError(account.locked_until)
        if not self._verify(account.password_hash, password):
            account.record_failure(now, self.policy.max_failures, self.policy.lock_for)
            self.save(account)  # type: ignore[attr-defined]
            raise SignInRefusedError(username)
        return self._start_session(account, now)

    def link_external_identity(self, actor: Principal, account_id: UUID, issuer: str, subject: str) -> None:
        """Let an identity of the city's provider sign in as this account (an administrator links it)."""
        account = self.get_account(account_id)
        self._require_authority_over(actor, account)
        account.link_external(issuer, subject, linked_by=str(actor.account_id))
        # One transaction: the account's record and the identity's unique link.
        self.save(account, ExternalLogin.link(issuer, subject, account_id))  # type: ignore[attr-defined]

    def sign_in_external(self, issuer: str, subject: str, now: datetime | None = None) -> SignedIn:
        """Start a session for the account linked to a provider identity the caller has verified.

        The provider checked the password; the roles are the registry's own assignments."""
        try:
            login: ExternalLogin = self.repository.get(ExternalLogin.id_for(issuer, subject))  # type: ignore[attr-defined]
            account = self.get_account(login.account_id)
        except (AggregateNotFoundError, AccountNotFoundError):
            raise SignInRefusedError(subject) from None
        if account.external_identity != (issuer, subject):
            raise SignInRefusedError(subject)  # the account was linked to another identity since
        return self._start_session(account, now or datetime.now(UTC))

    def _start_session(self, account: Account, now: datetime) -> SignedIn:
        session_id = secrets.token_urlsafe(12)
        secret = secrets.token_urlsafe(32)
        account.start_session(session_id, digest(secret), now, self.policy.session_lifetime)
        self.save(account)  # type: ignore[attr-defined]
        return SignedIn(self.principal_of(account, session_id), f"{account.id}.{session_id}.{secret}")

    def refresh(self, refresh_token: str, now: datetime | None = None) -> SignedIn:
        """Exchange a refresh token for a new one (and a fresh principal for a new access token)."""
        try:
            account_id, session_id, secret = refresh_token.split(".", 2)
            account = self.get_account(UUID(account_id))
        except (ValueError, AccountNotFoundError):
            raise SessionEndedError("unknown refresh token") from None
        replacement = secrets.token_urlsafe(32)
        try:
            account.rotate_refresh(session_id, digest(secret), digest(replacement), now or datetime.now(UTC))
        finally:
            self.save(account)  # type: ignore[attr-defined]  # a reuse ends the session: keep that
        return SignedIn(self.principal_of(account, session_id), f"{account.id}.{session_id}.{replacement}")

    def sign_out(self, account_id: UUID, session_id: str) -> None:
        """End one session at once."""
        account = self.get_account(account_id)
        account.end_session(session_id, reason="signed out")
        self.save(account)  # type: ignore[attr-defined]

    def session_active(self, account_id: UUID, session_id: str, now: datetime | None = None) -> bool:
        """Whether a session is still open (sign-out and revocation take effect at once)."""
        try:
            return session_open(self._accounts_checked.current(self, account_id), session_id, now)
        except AccountNotFoundError:
            return False

    def principal_current(self, principal: Principal, now: datetime | None = None) -> bool:
        """Whether a token's principal still holds: its session is open and the household it names
        is the one the account is bound to now (the check every request makes)."""
        try:
            return still_holds(self._accounts_checked.current(self, principal.account_id), principal, now)
        except AccountNotFoundError:
            return False

    def checked_account(self, account_id: UUID) -> Account | None:
        """The account as a session check of this process last found it, if one did."""
        return self._accounts_checked.kept(account_id)

    @cached_property
    def _accounts_checked(self) -> CheckedAccounts:
        return CheckedAccounts()

    def change_password(self, account_id: UUID, current: str, new: str) -> None:
        """The account holder changes their password; other sessions end."""
        account = self.get_account(account_id)
        if not self._verify(account.password_hash, current):
            raise SignInRefusedError(account.username)
        account.change_password(self._hash(new), changed_by=str(account_id))
        account.end_all_sessions(reason="password changed")
        self.save(account)  # type: ignore[attr-defined]

    def reset_password(self, actor: Principal, account_id: UUID, new: str) -> None:
        """An administrator sets a new password; every session of the account ends."""
        account = self.get_account(account_id)
        self._require_authority_over(actor, account)
        account.change_password(self._hash(new), changed_by=str(actor.account_id))
        account.end_all_sessions(reason="password reset")
        self.save(account)  # type: ignore[attr-defined]

    def assign_role(self, actor: Principal, account_id: UUID, role: Role, unit_id: UUID, reason: str) -> None:
        """Appoint ``role`` over ``unit_id``'s subtree, if the actor may appoint it there and
        administers the account."""
        if not covers(actor.may_appoint_at(role), self.lineage(unit_id)):
            raise NotAllowedError(f"{actor.account_id} may not appoint {role} at {unit_id}")
        account = self.get_account(account_id)
        self._require_authority_over(actor, account)
        account.assign(str(role), unit_id, granted_by=str(actor.account_id), reason=reason)
        self.save(account)  # type: ignore[attr-defined]

    def revoke_role(self, actor: Principal, account_id: UUID, role: Role, unit_id: UUID, reason: str) -> None:
        """Remove an assignment; the account's sessions end so the change takes effect at once."""
        if not covers(actor.may_appoint_at(role), self.lineage(unit_id)):
            raise NotAllowedError(f"{actor.account_id} may not revoke {role} at {unit_id}")
        account = self.get_account(account_id)
        self._require_authority_over(actor, account)
        account.revoke(str(role), unit_id, revoked_by=str(actor.account_id), reason=reason)
        self.save(account)  # type: ignore[attr-defined]

    def principal_of(self, account: Account, session_id: str) -> Principal:
        """The principal an access token for this session carries."""
        return Principal(
            account_id=account.id,
            session_id=session_id,
            name=account.display_name,
            grants=tuple(Grant(Role(role), unit) for role, unit in account.grants),
            household_id=account.household_id,
        )

    def lineage(self, unit_id: UUID) -> list[UUID]:
        """The unit and its ancestors, nearest first (provided by the application)."""
        raise NotImplementedError

    def household_unit(self, household_id: UUID) -> UUID:
        """The unit of a household, or ``HouseholdNotFoundError`` (provided by the application)."""
        raise NotImplementedError

    def _require_binding(self, actor: Principal, household_id: UUID) -> None:
        # A binding shows the household's records in full and lets its holder act for the
        # household: the right to write there, not merely to administer accounts.
        unit = self.household_unit(household_id)
        if not covers(actor.units_with(RegistryPermission.HOUSEHOLDS_REGISTER), self.lineage(unit)):
            raise NotAllowedError(f"{actor.account_id} may not bind accounts to {household_id}")

    def _require_authority_over(self, actor: Principal, account: Account) -> None:
        # The rule in this module's docstring: every role and the binding the account holds lie
        # within the actor's reach; a bare account is its opener's (or the whole tree's admin's).
        refused = NotAllowedError(f"{actor.account_id} has no authority over {account.id}")
        for role, unit in account.grants:
            if not covers(actor.may_appoint_at(Role(role)), self.lineage(unit)):
                raise refused
        if account.household_id is not None:
            try:
                self._require_binding(actor, account.household_id)
            except NotAllowedError:
                raise refused from None
        bare = not account.grants and account.household_id is None
        if bare and account.opened_by != str(actor.account_id) and not self._administers_everything(actor):
            raise refused

    def _administers_everything(self, actor: Principal) -> bool:
        everywhere = set.intersection(*(actor.may_appoint_at(role) for role in Role))
        return any(self.lineage(unit) == [unit] for unit in everywhere)

    def _hash(self, password: str) -> str:
        if len(password) < MIN_PASSWORD_LENGTH:
            raise WeakPasswordError(f"at least {MIN_PASSWORD_LENGTH} characters")
        return self.passwords.hash(password)

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self.passwords.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
