"""The worker's outbound dispatch, every few seconds: urgent notices and emergencies just published
are queued for the consenting contacts of the households they reach (SMS and Zalo for households
that may not open the app in time, e-mail), then every delivery due is tried — sent through the
SMTP server or the gateway's signed webhook, recorded as delivered, or failed and retried with
back-off. Safe in several workers at once: a delivery is claimed before it is sent."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any
from uuid import UUID

import structlog
from sqlalchemy import Column, Table, Uuid, or_, select

from tothon_communication.application import CommunicationApplication
from tothon_communication.domain.outbound import Means
from tothon_communication.integration.senders import Message, SendError, send_email, send_webhook
from tothon_communication.readmodels import household_notices
from tothon_communication.readmodels import outbound as reads
from tothon_communication.readmodels.announcements import announcements, audience
from tothon_communication.readmodels.announcements import notice as notice_row
from tothon_communication.readmodels.tables import DIRECTORY, metadata
from tothon_shared.eventstore.context import acting_as
from tothon_shared.kernel.sqltypes import UtcDateTime
from tothon_shared.runtime.definition import Runtime, Schedule

log = structlog.get_logger(__name__)
EVERY_SECONDS = 5.0
# Deliveries tried a round, and the time a round may take: a gateway that is down is not waited
# on by every message behind it.
ROUND_DELIVERIES = 100
ROUND_SECONDS = 20.0
WEBHOOK_TIMEOUT_SECONDS = 10.0
TEXT_LIMIT = 900
# Contacts looked up against a notice's audience at a time.
CONTACT_CHUNK = 2000

# Which notices were queued for outbound already (not a projection: kept through rebuilds, as
# the deliveries it made are in the event store).
fanouts = Table(
    "notification_fanouts",
    metadata,
    # A notice's id, or a personal notice's.
    Column("source_id", Uuid, primary_key=True),
    Column("at", UtcDateTime, nullable=False),
)


def _text(title: str, body: str) -> str:
    text = f"{title}\n{body}"
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"


def fan_out(runtime: Runtime, app: CommunicationApplication, now: datetime) -> int:
    """Queue each urgent notice or emergency now showing, not yet queued, for the consenting
    contacts of its households; how many deliveries were queued."""
    store = runtime.store
    done = select(fanouts.c.source_id)
    urgent = select(announcements).where(
        or_(announcements.c.requires_ack, announcements.c.category == "emergency"),
        announcements.c.publish_at <= now,
        announcements.c.retracted_reason.is_(None),
        or_(announcements.c.expires_at.is_(None), announcements.c.expires_at > now),
        announcements.c.announcement_id.not_in(done),
    )
    queued = 0
    with store.engine.connect() as connection:
        notices = connection.execute(urgent.limit(20)).all()
    for notice in notices:
        source = f"notice:{notice.announcement_id}"
        found = notice_row(store, notice.announcement_id)
        assert found is not None
        recipients = _recipients(runtime, found)
        with acting_as("system", reason="outbound"):
            queued += app.queue_messages(
                source, recipients, _text(notice.title, notice.body), now, reads.queued_from(store, source)
            )
        with store.engine.begin() as connection:
            connection.execute(fanouts.insert().values(source_id=notice.announcement_id, at=now))
    return queued


def fan_out_personal(runtime: Runtime, app: CommunicationApplication, now: datetime) -> int:
    """Queue each personal notice not yet queued for its household's consenting contacts, in
    Vietnamese (the language of the register's residents); how many deliveries were queued."""
    store = runtime.store
    table = household_notices.household_notices
    waiting = select(table).where(table.c.notice_id.not_in(select(fanouts.c.source_id))).limit(200)
    with store.engine.connect() as connection:
        notices = connection.execute(waiting).all()
    queued = 0
    for notice in notices:
        recipients = [
            (r["contact_id"], notice.household_id, notice.unit_id, Means(r["means"]))
            for r in reads.reachable(store, [notice.household_id])
        ]
        source = f"personal:{notice.notice_id}"
        text = household_notices.words(notice.kind, notice.facts, "vi")
        with acting_as("system", reason="outbound"):
            queued += app.queue_messages(source, recipients, text, now, reads.queued_from(store, source))
        with store.engine.begin() as connection:
            connection.execute(fanouts.insert().values(source_id=notice.notice_id, at=now))
    return queued


def _recipients(runtime: Runtime, found: dict[str, Any]) -> list[tuple[UUID, UUID, UUID, Means]]:
    """The consenting contacts of the households a notice reaches, with their unit. Started from
    the contacts (a few households of a city give one), never from the city's households: a
    city-wide notice's audience is the whole directory."""
    households = DIRECTORY.households
    contacts, consents = reads.contacts, reads.consents
    given = (
        select(contacts.c.contact_id, contacts.c.household_id, contacts.c.means)
        .select_from(reads.STANDING_CONTACTS)
        .where(~contacts.c.removed, consents.c.given)
    )
    found_contacts: list[tuple[UUID, UUID, UUID, Means]] = []
    with runtime.store.engine.connect() as connection:
        reachable = connection.execute(given).all()
        for start in range(0, len(reachable), CONTACT_CHUNK):
            chunk = reachable[start : start + CONTACT_CHUNK]
            units = dict(
                connection.execute(
                    select(households.c.household_id, households.c.unit_id).where(
                        households.c.household_id.in_({r.household_id for r in chunk}),
                        audience(connection, found["unit_id"], found["groups"], found["bands"]),
                    )
                )
                .tuples()
                .all()
            )
            found_contacts += [
                (r.contact_id, r.household_id, units[r.household_id], Means(r.means))
                for r in chunk
                if r.household_id in units
            ]
    return found_contacts


def sender(runtime: Runtime, app: CommunicationApplication) -> Any:
    """Sends a message by its means: e-mail through the configured SMTP server, SMS and Zalo
    through their gateway's webhook."""
    settings = runtime.settings

    def send(means: Means, message: Message) -> None:
        if means is Means.EMAIL:
            if settings.smtp_host is None:
                raise SendError("no SMTP server is configured (TOTHON_SMTP_HOST)")
            send_email(
                settings.smtp_host,
                settings.smtp_port,
                settings.smtp_sender,
                message,
                settings.smtp_timeout_seconds,
            )
            return
        gateway = app.gateway(means)
        if gateway is None or gateway.secret is None:
            raise SendError(f"no {means.value} gateway is configured")
        send_webhook(gateway.url, gateway.secret, means.value, message, WEBHOOK_TIMEOUT_SECONDS)

    return send


def deliver_due(runtime: Runtime, app: CommunicationApplication, now: datetime) -> int:
    """Try the deliveries due now (at most a round's); how many were tried."""
    store = runtime.store
    send = sender(runtime, app)
    began, tried = time.monotonic(), 0
    for delivery_id in reads.due(store, now, ROUND_DELIVERIES):
        if time.monotonic() - began > ROUND_SECONDS:
            break
        with acting_as("system", reason="outbound"):
            outcome = app.attempt_delivery(delivery_id, send, lambda c: reads.may_contact(store, c), now)
        tried += 1
        if outcome in ("retrying", "failed"):
            log.warning("communication.delivery_failed", delivery_id=str(delivery_id), status=outcome)
    return tried


def dispatch(runtime: Runtime, now: datetime) -> int:
    """A round: queue what was published, then try what is due."""
    app = runtime.app
    assert isinstance(app, CommunicationApplication)  # the communication service's schedule
    return fan_out(runtime, app, now) + fan_out_personal(runtime, app, now) + deliver_due(runtime, app, now)


SCHEDULE = Schedule("dispatch_outbound", EVERY_SECONDS, dispatch)
