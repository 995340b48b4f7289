"""The keys other city systems file cases with through Open311: issued by a city IT administrator
to a named system, with a reason, and revoked with one. The secret itself is never stored, only its
SHA-256, and the key's id is derived from that hash, so a request's key is found in one read."""

from __future__ import annotations

import hashlib
import secrets
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from tothon_feedback.domain.errors import FeedbackError, given


class ApiKeyError(FeedbackError):
    """A key that cannot be issued (no system name) or revoked (``revoked`` already)."""


def fingerprint(secret: str) -> str:
    """The SHA-256 of a secret, as stored."""
    return hashlib.sha256(secret.encode()).hexdigest()


class Open311Key(Aggregate):
    """One system's key."""

    TOPIC = "feedback:Open311Key:v1"

    class Created(Aggregate.Created):
        """The base of the aggregate's creation events (required once TOPIC is declared)."""

        TOPIC = "feedback:Open311Key.Created:v1"

    @staticmethod
    def create_id(fingerprint: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"tothon:feedback:open311-key:{fingerprint}")

    @classmethod
    def issue(cls, system: str, actor: str, reason: str) -> tuple[Open311Key, str]:
        """A new key for ``system`` and its secret, shown once."""
        if not system.strip():
            raise ApiKeyError(code="system_required")
        secret = secrets.token_urlsafe(32)
        return cls(
            fingerprint=fingerprint(secret), system=system.strip(), actor=actor, reason=given(reason)
        ), secret

    class Issued(Created):
        """A key was issued to ``system``."""

        TOPIC = "feedback:Open311Key.Issued:v1"
        fingerprint: str
        system: str
        actor: str
        reason: str

    @event(Issued)
    def __init__(self, fingerprint: str, system: str, actor: str, reason: str) -> None:
        self.fingerprint, self.system = fingerprint, system
        self.revoked = False

    class Revoked(Aggregate.Event):
        """The key no longer files cases."""

        TOPIC = "feedback:Open311Key.Revoked:v1"
        actor: str
        reason: str

    def revoke(self, actor: str, reason: str) -> None:
        """Stop the key, with the reason."""
        if self.revoked:
            raise ApiKeyError(code="revoked")
        self._revoke(actor, given(reason))

    @event(Revoked)
    def _revoke(self, actor: str, reason: str) -> None:
        self.revoked = True
