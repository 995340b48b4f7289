"""Outbound delivery's use cases: a resident gives or removes a contact, city IT configures a
gateway, messages are queued for the consenting contacts of some households, and the dispatcher
tries one delivery (sending through the sender it is given, recording what happened)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from tothon_communication.domain.outbound import (
    LEASE,
    Contact,
    Delivery,
    Gateway,
    Means,
    OutboundError,
    check_secret,
    clean_address,
)
from tothon_communication.integration.senders import Message, SendError
from tothon_shared.eventstore.application import TrackingApplication

# Sends one message by one means, raising ``SendError`` when it was not taken.
Sender = Callable[[Means, Message], None]
# Deliveries created in one save: a ward's contacts are queued in a few saves, not thousands.
QUEUE_CHUNK = 500
Kept = TypeVar("Kept", Contact, Gateway)


class OutboundUseCases(TrackingApplication):
    """Outbound delivery on the communication service's event store."""

    def _found(self, aggregate_id: UUID, kind: type[Kept]) -> Kept | None:
        """A contact or gateway by its derived id, or None when none was ever given."""
        try:
            found: object = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        assert isinstance(found, kind)  # the ids are derived per kind of aggregate
        return found

    def give_contact(self, person_id: UUID, household_id: UUID, means: Means, address: str) -> UUID:
        """A person's address for a means (replacing the one given before)."""
        cleaned = clean_address(means, address)
        contact_id = Contact.create_id(person_id, means.value)
        found = self._found(contact_id, Contact)
        if found is None:
            found = Contact(
                person_id=person_id, household_id=household_id, means=means.value, address=cleaned
            )
        else:
            found.change(household_id, cleaned)
        self.save(found)
        return contact_id

    def remove_contact(self, person_id: UUID, means: Means) -> bool:
        """The person takes the address back; False when it was not given."""
        found = self._found(Contact.create_id(person_id, means.value), Contact)
        if found is None or not found.remove():
            return False
        self.save(found)
        return True

    def contact_address(self, contact_id: UUID) -> str | None:
        """The address of a contact still given (None: removed, unknown, or its person erased)."""
        found = self._found(contact_id, Contact)
        return None if found is None or found.removed else found.address

    def configure_gateway(self, means: Means, url: str, secret: str, by: str) -> None:
        """Where SMS or Zalo messages go, and the secret that signs them (``url`` checked by the caller)."""
        if means is Means.EMAIL:
            raise OutboundError(code="email_by_smtp")
        secret = check_secret(secret)
        found = self._found(Gateway.create_id(means.value), Gateway)
        if found is None:
            found = Gateway(means=means.value, url=url, secret=secret, by=by)
        else:
            found.reconfigure(url, secret, by)
        self.save(found)

    def gateway(self, means: Means) -> Gateway | None:
        return self._found(Gateway.create_id(means.value), Gateway)

    def queue_messages(
        self,
        source: str,
        recipients: Sequence[tuple[UUID, UUID, UUID, Means]],
        text: str,
        at: datetime,
        already: set[UUID] | None = None,
    ) -> int:
        """A message from ``source`` to each (contact, household, unit, means), once: a delivery
        of the same source to the same contact (``already`` queued, or meanwhile) is not made
        twice. How many were queued."""
        made = [
            Delivery.queue(source, contact, household, unit, means, text, at)
            for contact, household, unit, means in recipients
            if Delivery.create_id(source, contact) not in (already or set())
        ]
        queued = 0
        for start in range(0, len(made), QUEUE_CHUNK):
            chunk = made[start : start + QUEUE_CHUNK]
            try:
                self.save(*chunk)
                queued += len(chunk)
            except IntegrityError:  # some were queued meanwhile: one by one
                for delivery in chunk:
                    try:
                        self.save(delivery)
                        queued += 1
                    except IntegrityError:
                        continue
        return queued

    def attempt_delivery(
        self, delivery_id: UUID, send: Sender, allowed: Callable[[UUID], bool], at: datetime
    ) -> str:
        """Try a delivery now: dropped if its contact was removed or consent withdrawn (``allowed``
        says), else sent; recorded as delivered or failed (retried later). Its new status."""
        found: object = self.repository.get(delivery_id)
        assert isinstance(found, Delivery)
        if found.delivered_at is not None or found.due_at is None or found.due_at > at:
            return "done"  # another worker finished or holds it
        found.claim(at, LEASE)
        try:
            self.save(found)  # two workers at once: the event store lets one claim it
        except IntegrityError:
            return "busy"
        address = self.contact_address(found.contact_id) if allowed(found.contact_id) else None
        if address is None:
            found.dropped("no_consent_or_contact", at)
            self.save(found)
            return "dropped"
        try:
            send(found.means, Message(delivery_id=found.id, to=address, text=found.text))
        except SendError as error:
            found.failed(str(error), at)
            self.save(found)
            return "retrying" if found.due_at is not None else "failed"
        found.delivered(at)
        self.save(found)
        return "delivered"
