"""Outbound delivery for the API and the dispatcher: who consented to be notified (the registry's
``NotificationConsentChanged``, kept from the topic), the contacts given (never their address: it
stays sealed in the events), the gateways configured (never their secret), each delivery's state
and every attempt (the delivery log)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Boolean, Column, Integer, String, Table, Text, Uuid, select
from sqlalchemy.orm import Session

from tothon_communication.domain.outbound import Contact, Delivery, Gateway
from tothon_communication.readmodels.tables import metadata
from tothon_shared.contracts.envelope import IntegrationEvent
from tothon_shared.contracts.registry import NotificationConsentChanged
from tothon_shared.eventstore.notification_log import LoggedEvent
from tothon_shared.kernel.sqltypes import UtcDateTime
from tothon_shared.messaging.inbox import EventHandler
from tothon_shared.readstore.store import ReadStore
from tothon_shared.runtime.definition import ProjectionSpec

# --- the registry's consents (inbound, rebuilt from the topic) ---
consents = Table(
    "notification_consents",
    metadata,
    Column("person_id", Uuid, primary_key=True),
    Column("household_id", Uuid, nullable=False, index=True),
    Column("given", Boolean, nullable=False),
)


def _consent_changed(session: Session, event: IntegrationEvent) -> None:
    assert isinstance(event, NotificationConsentChanged)  # dispatched by event type
    found = session.execute(
        select(consents.c.person_id).where(consents.c.person_id == event.subject_id)
    ).first()
    values = {"household_id": event.household_id, "given": event.given}
    if found is None:
        session.execute(consents.insert().values(person_id=event.subject_id, **values))
    else:
        session.execute(consents.update().where(consents.c.person_id == event.subject_id).values(**values))


def consent_handlers() -> dict[str, EventHandler]:
    """Handlers for the ``registry.households`` channel: who may be notified."""
    return {"NotificationConsentChanged": _consent_changed}


CONSENT_TABLES = (consents,)

# --- the service's own events ---
contacts = Table(
    "notification_contacts",
    metadata,
    Column("contact_id", Uuid, primary_key=True),
    Column("person_id", Uuid, nullable=False, index=True),
    Column("household_id", Uuid, nullable=False, index=True),
    Column("means", String(10), nullable=False),
    Column("removed", Boolean, nullable=False),
)
gateways = Table(
    "notification_gateways",
    metadata,
    Column("means", String(10), primary_key=True),
    Column("url", String(500), nullable=False),
    Column("configured_by", String(80), nullable=False),
)
deliveries = Table(
    "notification_deliveries",
    metadata,
    Column("delivery_id", Uuid, primary_key=True),
    Column("source", String(120), nullable=False, index=True),
    Column("contact_id", Uuid, nullable=False),
    Column("household_id", Uuid, nullable=False, index=True),
    Column("unit_id", Uuid, nullable=False, index=True),
    Column("means", String(10), nullable=False),
    # queued, retrying, delivered, failed (given up), dropped (contact or consent gone)
    Column("status", String(10), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("due_at", UtcDateTime, index=True),
    Column("queued_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime),
    Column("last_error", Text),
)
attempts = Table(
    "notification_attempts",
    metadata,
    Column("delivery_id", Uuid, primary_key=True),
    Column("attempt", Integer, primary_key=True),
    Column("at", UtcDateTime, nullable=False),
    Column("outcome", String(10), nullable=False),
    Column("error", Text),
)
_EVENTS = (
    Contact.Given,
    Contact.Changed,
    Contact.Removed,
    Gateway.Configured,
    Gateway.Reconfigured,
    Delivery.Queued,
    Delivery.Claimed,
    Delivery.Failed,
    Delivery.Delivered,
    Delivery.Dropped,
)


def _delivery(session: Session, delivery_id: UUID, **values: Any) -> None:
    session.execute(deliveries.update().where(deliveries.c.delivery_id == delivery_id).values(**values))


def apply(session: Session, batch: Sequence[LoggedEvent]) -> None:
    """Update the outbound tables for a page of events, in order."""
    for logged in batch:
        event = logged.event
        if isinstance(event, Contact.Given):
            session.execute(
                contacts.insert().values(
                    contact_id=event.originator_id,
                    person_id=event.person_id,
                    household_id=event.household_id,
                    means=event.means,
                    removed=False,
                )
            )
        elif isinstance(event, Contact.Changed):
            session.execute(
                contacts.update()
                .where(contacts.c.contact_id == event.originator_id)
                .values(household_id=event.household_id, removed=False)
            )
        elif isinstance(event, Contact.Removed):
            session.execute(
                contacts.update().where(contacts.c.contact_id == event.originator_id).values(removed=True)
            )
        elif isinstance(event, Gateway.Configured):
            session.execute(
                gateways.insert().values(means=event.means, url=event.url, configured_by=event.by)
            )
        elif isinstance(event, Gateway.Reconfigured):
            session.execute(
                gateways.update()
                .where(gateways.c.means == event.means)
                .values(url=event.url, configured_by=event.by)
            )
        elif isinstance(event, Delivery.Queued):
            session.execute(
                deliveries.insert().values(
                    delivery_id=event.originator_id,
                    source=event.source,
                    contact_id=event.contact_id,
                    household_id=event.household_id,
                    unit_id=event.unit_id,
                    means=event.means,
                    status="queued",
                    attempts=0,
                    due_at=event.at,
                    queued_at=event.at,
                )
            )
        elif isinstance(event, Delivery.Claimed):
            _delivery(session, event.originator_id, due_at=event.due_at)
        elif isinstance(event, Delivery.Failed):
            status = "retrying" if event.due_at is not None else "failed"
            _delivery(
                session,
                event.originator_id,
                status=status,
                attempts=event.attempt,
                due_at=event.due_at,
                last_error=event.error,
                finished_at=None if event.due_at is not None else event.at,
            )
            session.execute(
                attempts.insert().values(
                    delivery_id=event.originator_id,
                    attempt=event.attempt,
                    at=event.at,
                    outcome="failed",
                    error=event.error,
                )
            )
        elif isinstance(event, Delivery.Delivered):
            _delivery(
                session,
                event.originator_id,
                status="delivered",
                attempts=event.attempt,
                due_at=None,
                finished_at=event.at,
            )
            session.execute(
                attempts.insert().values(
                    delivery_id=event.originator_id, attempt=event.attempt, at=event.at, outcome="delivered"
                )
            )
        elif isinstance(event, Delivery.Dropped):
            _delivery(
                session,
                event.originator_id,
                status="dropped",
                due_at=None,
                finished_at=event.at,
                last_error=event.reason,
            )


PROJECTION = ProjectionSpec("outbound", apply, (contacts, gateways, deliveries, attempts), events=_EVENTS)


# --- queries ---


# A contact is used only while its person's consent stands and the registry places the person in
# the household that gave it: one who left or moved to another household is not sent this one's
# news (their dues, their feedback cases) any more.
STANDING_CONTACTS = contacts.join(
    consents,
    (consents.c.person_id == contacts.c.person_id) & (consents.c.household_id == contacts.c.household_id),
)


def reachable(store: ReadStore, households: Sequence[UUID]) -> list[dict[str, Any]]:
    """The contacts of these households that may be used now: given, not removed, their person's
    consent standing in the registry, and the person still of the household."""
    query = (
        select(contacts.c.contact_id, contacts.c.household_id, contacts.c.means)
        .select_from(STANDING_CONTACTS)
        .where(contacts.c.household_id.in_(households), ~contacts.c.removed, consents.c.given)
    )
    with store.engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(query)]


def may_contact(store: ReadStore, contact_id: UUID) -> bool:
    """Whether the contact is still given, its person's consent stands and they are still of the
    household."""
    query = (
        select(contacts.c.contact_id)
        .select_from(STANDING_CONTACTS)
        .where(contacts.c.contact_id == contact_id, ~contacts.c.removed, consents.c.given)
    )
    with store.engine.connect() as connection:
        return connection.execute(query).first() is not None


def consenting(store: ReadStore, household_id: UUID) -> dict[UUID, bool]:
    """Each person of the household the registry told about, and whether their consent stands."""
    query = select(consents.c.person_id, consents.c.given).where(consents.c.household_id == household_id)
    with store.engine.connect() as connection:
        return {r.person_id: r.given for r in connection.execute(query)}


def household_contacts(store: ReadStore, household_id: UUID) -> list[dict[str, Any]]:
    """The contacts given for the household (removed ones too, marked)."""
    query = select(contacts).where(contacts.c.household_id == household_id).order_by(contacts.c.means)
    with store.engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(query)]


def due(store: ReadStore, now: datetime, limit: int) -> list[UUID]:
    """Deliveries to try now, the longest waiting first."""
    query = (
        select(deliveries.c.delivery_id)
        .where(deliveries.c.status.in_(("queued", "retrying")), deliveries.c.due_at <= now)
        .order_by(deliveries.c.due_at)
        .limit(limit)
    )
    with store.engine.connect() as connection:
        return list(connection.execute(query).scalars())


def queued_from(store: ReadStore, source: str) -> set[UUID]:
    """The deliveries queued from a source (a notice, a case's step)."""
    query = select(deliveries.c.delivery_id).where(deliveries.c.source == source)
    with store.engine.connect() as connection:
        return set(connection.execute(query).scalars())


def log(
    store: ReadStore, units: Sequence[UUID] | None, status: str | None, limit: int, offset: int
) -> list[dict[str, Any]]:
    """Deliveries newest first (of these units, or all), with their attempts."""
    query = (
        select(deliveries)
        .order_by(deliveries.c.queued_at.desc(), deliveries.c.delivery_id)
        .limit(limit)
        .offset(offset)
    )
    if units is not None:
        query = query.where(deliveries.c.unit_id.in_(units))
    if status is not None:
        query = query.where(deliveries.c.status == status)
    with store.engine.connect() as connection:
        rows = [dict(r._mapping) for r in connection.execute(query)]
        tried = connection.execute(
            select(attempts)
            .where(attempts.c.delivery_id.in_([r["delivery_id"] for r in rows]))
            .order_by(attempts.c.delivery_id, attempts.c.attempt)
        ).all()
    by_delivery: dict[UUID, list[dict[str, Any]]] = {}
    for a in tried:
        by_delivery.setdefault(a.delivery_id, []).append(
            {"attempt": a.attempt, "at": a.at, "outcome": a.outcome, "error": a.error}
        )
    return [r | {"tries": by_delivery.get(r["delivery_id"], [])} for r in rows]


def gateway_list(store: ReadStore) -> list[dict[str, Any]]:
    with store.engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(select(gateways).order_by(gateways.c.means))]
