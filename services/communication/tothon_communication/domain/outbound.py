"""Outbound delivery: messages that leave the platform — e-mail, and SMS or Zalo through a gateway
reached by a signed webhook — to residents who gave a contact and consented to be notified.

- ``Contact``: a person's address for one means (their e-mail, or the phone an SMS or Zalo
  message goes to), given by the resident for their household; sealed with the person's key.
- ``Gateway``: where messages of one means go (an SMS or Zalo gateway's webhook and its signing
  secret, the secret sealed), configured by city IT.
- ``Delivery``: one message to one contact, queued, tried, retried with back-off after a failure,
  delivered once, or given up; each attempt is an event, so the delivery log is the history.

The address is looked up when a delivery is tried, not when it is queued: a contact removed, or a
consent withdrawn, meanwhile stops the message."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from enum import StrEnum
from typing import ClassVar
from urllib.parse import urlsplit
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from tothon_communication.domain.announcement import clean_text
from tothon_shared.kernel.errors import CodedError

MAX_TEXT = 1000
# Tries before a delivery is given up: back-off doubles from a minute to an hour (about 9 hours in all).
MAX_ATTEMPTS = 12
FIRST_WAIT = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=1)
# How long a worker holds a delivery it is trying (a send times out well before).
LEASE = timedelta(minutes=2)


class OutboundError(CodedError):
    """A contact, a gateway or a delivery refused: ``address_invalid``, ``url_invalid``,
    ``url_not_https``, ``secret_too_short``, ``delivered_already``, ``not_found``."""


class Means(StrEnum):
    """How a message leaves: e-mail over SMTP, or a gateway's webhook for SMS or Zalo."""

    EMAIL = "email"
    SMS = "sms"
    ZALO = "zalo"


_EMAIL = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24}$")
# A Vietnamese mobile number as the registry keeps it (+84 and nine digits).
_PHONE = re.compile(r"^\+84[35789]\d{8}$")


def clean_address(means: Means, address: str) -> str:
    """An address as kept: an e-mail address, or a mobile number in +84 form."""
    text = address.strip()
    if means is Means.EMAIL:
        if not _EMAIL.match(text):
            raise OutboundError(code="address_invalid")
        return text
    digits = re.sub(r"[\s.()-]", "", text)
    if digits.startswith("0"):
        digits = "+84" + digits[1:]
    elif digits.startswith("84"):
        digits = "+" + digits
    if not _PHONE.match(digits):
        raise OutboundError(code="address_invalid")
    return digits


class Contact(Aggregate):
    """One person's address for one means, while given."""

    TOPIC = "communication:Contact:v1"

    @staticmethod
    def create_id(person_id: UUID, means: str) -> UUID:
        # One per person and means: giving it again replaces it.
        return uuid5(NAMESPACE_URL, f"tothon:contact:{person_id}:{means}")

    class Created(Aggregate.Created):
        TOPIC = "communication:Contact.Created:v1"

    class Given(Created):
        TOPIC = "communication:Contact.Given:v1"
        PERSONAL_FIELDS: ClassVar[tuple[str, ...]] = ("address",)
        SUBJECT_FIELD: ClassVar[str] = "person_id"
        person_id: UUID
        household_id: UUID
        means: str
        address: str | None

    @event(Given)
    def __init__(self, person_id: UUID, household_id: UUID, means: str, address: str | None) -> None:
        self.person_id = person_id
        self.household_id = household_id
        self.means = Means(means)
        self.address = address
        self.removed = False

    def change(self, household_id: UUID, address: str) -> None:
        """A new address (or the same one given again, after a removal)."""
        self._changed(self.person_id, household_id, address)

    class Changed(Aggregate.Event):
        TOPIC = "communication:Contact.Changed:v1"
        PERSONAL_FIELDS: ClassVar[tuple[str, ...]] = ("address",)
        SUBJECT_FIELD: ClassVar[str] = "person_id"
        person_id: UUID
        household_id: UUID
        address: str | None

    @event(Changed)
    def _changed(self, person_id: UUID, household_id: UUID, address: str | None) -> None:
        self.household_id, self.address, self.removed = household_id, address, False

    def remove(self) -> bool:
        """The resident takes the address back; False when it was not given."""
        if self.removed:
            return False
        self._removed()
        return True

    class Removed(Aggregate.Event):
        TOPIC = "communication:Contact.Removed:v1"

    @event(Removed)
    def _removed(self) -> None:
        self.removed = True


def check_webhook_url(url: str, plain_http_allowed: bool) -> str:
    """A gateway's webhook: https (plain http only in the embedded demo, on this machine)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname or len(url) > 500:
        raise OutboundError(code="url_invalid")
    if parts.scheme == "http" and not plain_http_allowed:
        raise OutboundError(code="url_not_https")
    return url.strip()


class Gateway(Aggregate):
    """Where the messages of one means go: a webhook and the secret that signs each request."""

    TOPIC = "communication:Gateway:v1"

    @staticmethod
    def create_id(means: str) -> UUID:
        # One gateway per means: configuring it again replaces it.
        return uuid5(NAMESPACE_URL, f"tothon:gateway:{means}")

    class Created(Aggregate.Created):
        TOPIC = "communication:Gateway.Created:v1"

    class Configured(Created):
        TOPIC = "communication:Gateway.Configured:v1"
        PERSONAL_FIELDS: ClassVar[tuple[str, ...]] = ("secret",)  # sealed like personal data
        means: str
        url: str
        secret: str | None
        by: str

    @event(Configured)
    def __init__(self, means: str, url: str, secret: str | None, by: str) -> None:
        self.means = Means(means)
        self.url = url
        self.secret = secret

    def reconfigure(self, url: str, secret: str, by: str) -> None:
        self._reconfigured(self.means.value, url, secret, by)

    class Reconfigured(Aggregate.Event):
        TOPIC = "communication:Gateway.Reconfigured:v1"
        PERSONAL_FIELDS: ClassVar[tuple[str, ...]] = ("secret",)
        means: str
        url: str
        secret: str | None
        by: str

    @event(Reconfigured)
    def _reconfigured(self, means: str, url: str, secret: str | None, by: str) -> None:
        self.url, self.secret = url, secret


def check_secret(secret: str) -> str:
    """A signing secret long enough not to be guessed."""
    if len(secret) < 24 or len(secret) > 200:
        raise OutboundError(code="secret_too_short")
    return secret


def wait_after(attempts: int) -> timedelta:
    """How long to wait before the next try after ``attempts`` failed ones: doubling, capped."""
    return min(FIRST_WAIT * (1 << max(0, attempts - 1)), LONGEST_WAIT)


class Delivery(Aggregate):
    """One message to one contact, and every attempt to deliver it."""

    TOPIC = "communication:Delivery:v1"

    @staticmethod
    def create_id(source: str, contact_id: UUID) -> UUID:
        # One per source (a notice, a case's step, a receipt) and contact: queued twice, one message.
        return uuid5(NAMESPACE_URL, f"tothon:delivery:{source}:{contact_id}")

    class Created(Aggregate.Created):
        TOPIC = "communication:Delivery.Created:v1"

    class Queued(Created):
        TOPIC = "communication:Delivery.Queued:v1"
        source: str
        contact_id: UUID
        household_id: UUID
        unit_id: UUID
        means: str
        text: str
        at: datetime

    @classmethod
    def queue(
        cls,
        source: str,
        contact_id: UUID,
        household_id: UUID,
        unit_id: UUID,
        means: Means,
        text: str,
        at: datetime,
    ) -> Delivery:
        """A message to send now."""
        return cls(
            source=source,
            contact_id=contact_id,
            household_id=household_id,
            unit_id=unit_id,
            means=means.value,
            text=clean_text(text, MAX_TEXT, "text"),
            at=at,
        )

    @event(Queued)
    def __init__(
        self,
        source: str,
        contact_id: UUID,
        household_id: UUID,
        unit_id: UUID,
        means: str,
        text: str,
        at: datetime,
    ) -> None:
        self.source = source
        self.contact_id = contact_id
        self.household_id = household_id
        self.unit_id = unit_id
        self.means = Means(means)
        self.text = text
        self.attempts = 0
        self.due_at: datetime | None = at
        self.delivered_at: datetime | None = None

    def claim(self, at: datetime, lease: timedelta) -> None:
        """A worker takes the delivery to try it now; due again after ``lease`` if the worker
        stops before it says how it went (then sent again: a receiver tells by its id)."""
        if self.delivered_at is not None or self.due_at is None:
            raise OutboundError(code="delivered_already")
        self._claimed(at, at + lease)

    class Claimed(Aggregate.Event):
        TOPIC = "communication:Delivery.Claimed:v1"
        at: datetime
        due_at: datetime

    @event(Claimed)
    def _claimed(self, at: datetime, due_at: datetime) -> None:
        self.due_at = due_at

    def failed(self, error: str, at: datetime) -> None:
        """An attempt failed: tried again after the back-off, or given up after ``MAX_ATTEMPTS``."""
        if self.delivered_at is not None:
            raise OutboundError(code="delivered_already")
        attempt = self.attempts + 1
        due = at + wait_after(attempt) if attempt < MAX_ATTEMPTS else None
        self._failed(error[:500], at, attempt, due)

    class Failed(Aggregate.Event):
        """An attempt failed; ``due_at`` the next one (none: given up)."""

        TOPIC = "communication:Delivery.Failed:v1"
        error: str
        at: datetime
        attempt: int
        due_at: datetime | None

    @event(Failed)
    def _failed(self, error: str, at: datetime, attempt: int, due_at: datetime | None) -> None:
        self.attempts, self.due_at = attempt, due_at

    def delivered(self, at: datetime) -> None:
        """The receiving server took it: never sent again."""
        if self.delivered_at is not None:
            raise OutboundError(code="delivered_already")
        self._delivered(at, self.attempts + 1)

    class Delivered(Aggregate.Event):
        TOPIC = "communication:Delivery.Delivered:v1"
        at: datetime
        attempt: int

    @event(Delivered)
    def _delivered(self, at: datetime, attempt: int) -> None:
        self.attempts, self.delivered_at, self.due_at = attempt, at, None

    def dropped(self, reason: str, at: datetime) -> None:
        """Not sent, and never will be: the contact was removed or consent withdrawn meanwhile."""
        self._dropped(reason, at)

    class Dropped(Aggregate.Event):
        TOPIC = "communication:Delivery.Dropped:v1"
        reason: str
        at: datetime

    @event(Dropped)
    def _dropped(self, reason: str, at: datetime) -> None:
        self.due_at = None
