"""The link from an identity at the city's own OpenID Connect provider to a registry account.

Its id is derived from the (issuer, subject) pair, so one identity can be linked to one account
only: linking it again is a conflict the event store refuses."""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event


class ExternalLogin(Aggregate):
    """An external identity and the account it signs in as."""

    TOPIC = "registry:ExternalLogin:v1"

    class Created(Aggregate.Created):
        """The base of the link's creation events."""

        TOPIC = "registry:ExternalLogin.Created:v1"

    class Linked(Created):
        """The identity was linked to an account."""

        TOPIC = "registry:ExternalLoginLinked:v1"
        account_id: UUID

    @staticmethod
    def id_for(issuer: str, subject: str) -> UUID:
        """The link's id for an identity."""
        return uuid5(NAMESPACE_URL, f"tothon:external-login:{issuer}:{subject}")

    @classmethod
    def link(cls, issuer: str, subject: str, account_id: UUID) -> ExternalLogin:
        """A new link of ``issuer``'s ``subject`` to an account."""
        return cls._create(cls.Linked, id=cls.id_for(issuer, subject), account_id=account_id)

    @event(Linked)
    def __init__(self, account_id: UUID) -> None:
        self.account_id = account_id
