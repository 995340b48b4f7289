"""Conversations for the API: a projection of the conversations' own events (conversations,
messages with hidden ones' text dropped, read markers), the role assignments kept from the
registry's ``RoleAssigned``/``RoleRevoked``, and the queries over them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import (
    JSON,
    Column,
    Index,
    Integer,
    String,
    Table,
    Text,
    Uuid,
    and_,
    delete,
    func,
    or_,
    select,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from tothon_communication.domain.conversation import Conversation
from tothon_communication.readmodels.tables import DIRECTORY, metadata
from tothon_shared.attachments.store import AttachmentStore
from tothon_shared.auth.lineage import below, lineage
from tothon_shared.contracts.envelope import IntegrationEvent
from tothon_shared.contracts.registry import RoleAssigned, RoleRevoked
from tothon_shared.eventstore.notification_log import LoggedEvent
from tothon_shared.kernel.sqltypes import UtcDateTime
from tothon_shared.messaging.inbox import EventHandler
from tothon_shared.readstore.store import ReadStore
from tothon_shared.runtime.definition import ProjectionSpec

conversations = Table(
    "conversations",
    metadata,
    Column("conversation_id", Uuid, primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("unit_id", Uuid, nullable=False, index=True),
    Column("household_id", Uuid, index=True),
    Column("opened_by", String(80), nullable=False),
    Column("opened_at", UtcDateTime, nullable=False),
    Column("last_seq", Integer, nullable=False),
    Column("last_at", UtcDateTime),
)
messages = Table(
    "conversation_messages",
    metadata,
    Column("message_id", Uuid, primary_key=True),
    Column("conversation_id", Uuid, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("author_account", String(80), nullable=False),
    Column("author_household", Uuid),
    # None once hidden: members see the moderator's reason; the text stays in the events.
    Column("text", Text),
    Column("attachments", JSON, nullable=False),
    Column("posted_at", UtcDateTime, nullable=False),
    Column("hidden_by", String(80)),
    Column("hidden_reason", String(500)),
    Column("hidden_at", UtcDateTime),
    Index("conversation_messages_place", "conversation_id", "seq", unique=True),
)
reads = Table(
    "conversation_reads",
    metadata,
    Column("conversation_id", Uuid, primary_key=True),
    Column("reader", String(80), primary_key=True),
    Column("up_to", Integer, nullable=False),
)
# Who holds which role at which unit, from the registry's events (tokens carry them too; this is
# what a resident's conversation is checked against: that its group has a leader, its area an
# officer, and who they are).
role_holders = Table(
    "conversation_role_holders",
    metadata,
    Column("account_id", Uuid, primary_key=True),
    Column("role", String(30), primary_key=True),
    Column("unit_id", Uuid, primary_key=True, index=True),
)
ATTACHMENTS = AttachmentStore(metadata, "conversation_attachments")

_EVENTS = (Conversation.Opened, Conversation.MessagePosted, Conversation.MessageHidden, Conversation.ReadUpTo)


def _opened(session: Session, event: Conversation.Opened) -> None:
    session.execute(
        conversations.insert().values(
            conversation_id=event.originator_id,
            kind=event.kind,
            unit_id=event.unit_id,
            household_id=event.household_id,
            opened_by=event.opened_by,
            opened_at=event.at,
            last_seq=0,
        )
    )


def _posted(session: Session, event: Conversation.MessagePosted) -> None:
    session.execute(
        messages.insert().values(
            message_id=event.message_id,
            conversation_id=event.originator_id,
            seq=event.seq,
            author_account=event.author_account,
            author_household=event.author_household,
            text=event.text,
            attachments=list(event.attachments),
            posted_at=event.at,
        )
    )
    session.execute(
        conversations.update()
        .where(conversations.c.conversation_id == event.originator_id)
        .values(last_seq=event.seq, last_at=event.at)
    )
    _read(session, event.originator_id, event.author_account, event.seq)


def _hidden(session: Session, event: Conversation.MessageHidden) -> None:
    session.execute(
        messages.update()
        .where(messages.c.message_id == event.message_id)
        .values(text=None, hidden_by=event.moderator, hidden_reason=event.reason, hidden_at=event.at)
    )


def _read(session: Session, conversation_id: UUID, reader: str, up_to: int) -> None:
    key = and_(reads.c.conversation_id == conversation_id, reads.c.reader == reader)
    if session.execute(select(reads.c.up_to).where(key)).first() is None:
        session.execute(reads.insert().values(conversation_id=conversation_id, reader=reader, up_to=up_to))
    else:
        session.execute(reads.update().where(key, reads.c.up_to < up_to).values(up_to=up_to))


def apply(session: Session, batch: Sequence[LoggedEvent]) -> None:
    """Update the conversation tables for a page of events, in order."""
    for logged in batch:
        event = logged.event
        if isinstance(event, Conversation.Opened):
            _opened(session, event)
        elif isinstance(event, Conversation.MessagePosted):
            _posted(session, event)
        elif isinstance(event, Conversation.MessageHidden):
            _hidden(session, event)
        elif isinstance(event, Conversation.ReadUpTo):
            _read(session, event.originator_id, event.reader, event.up_to)


PROJECTION = ProjectionSpec("conversations", apply, (conversations, messages, reads), events=_EVENTS)


# --- the registry's role assignments (inbound, rebuilt from the topic) ---


def _assigned(session: Session, event: IntegrationEvent) -> None:
    assert isinstance(event, RoleAssigned)  # dispatched by event type
    assert event.unit_id is not None  # a role is always over a unit
    _revoke(session, event.subject_id, event.role, event.unit_id)
    session.execute(
        role_holders.insert().values(account_id=event.subject_id, role=event.role, unit_id=event.unit_id)
    )


def _revoked(session: Session, event: IntegrationEvent) -> None:
    assert isinstance(event, RoleRevoked)  # dispatched by event type
    assert event.unit_id is not None
    _revoke(session, event.subject_id, event.role, event.unit_id)


def _revoke(session: Session, account_id: UUID, role: str, unit_id: UUID) -> None:
    session.execute(
        delete(role_holders).where(
            role_holders.c.account_id == account_id,
            role_holders.c.role == role,
            role_holders.c.unit_id == unit_id,
        )
    )


def role_handlers() -> dict[str, EventHandler]:
    """Handlers for the ``registry.accounts`` channel: who holds which role where."""
    return {"RoleAssigned": _assigned, "RoleRevoked": _revoked}


ROLE_TABLES = (role_holders,)


# --- queries ---


def household_lineage(
    store: ReadStore, household_id: UUID | None, connection: Connection | None = None
) -> list[UUID]:
    """The unit a household is in now and the units above it (empty: unknown here yet). A caller
    that holds a connection passes it (each connection given back costs a round trip)."""
    if household_id is None:
        return []
    if connection is None:
        with store.engine.connect() as own:
            return household_lineage(store, household_id, own)
    found = DIRECTORY.households.c
    unit = connection.execute(
        DIRECTORY.households.select()
        .with_only_columns(found.unit_id)
        .where(found.household_id == household_id)
    ).scalar()
    return lineage(store, DIRECTORY.units, unit, connection) if unit is not None else []


def holders(store: ReadStore, role: str, unit_id: UUID) -> list[UUID]:
    """The accounts holding ``role`` at ``unit_id`` (that unit, not above it)."""
    query = (
        select(role_holders.c.account_id)
        .where(role_holders.c.role == role, role_holders.c.unit_id == unit_id)
        .order_by(role_holders.c.account_id)
    )
    with store.engine.connect() as connection:
        return list(connection.execute(query).scalars())


def conversation_row(store: ReadStore, conversation_id: UUID) -> dict[str, Any] | None:
    """A conversation as projected, if it is."""
    query = select(conversations).where(conversations.c.conversation_id == conversation_id)
    with store.engine.connect() as connection:
        row = connection.execute(query).first()
    return dict(row._mapping) if row is not None else None


# The units households register in: a group's channel is one of these.
GROUP_KINDS = frozenset({"residential_group", "village"})


def holds_households(store: ReadStore, unit_id: UUID) -> bool:
    """Whether a unit is a residential group or a village."""
    query = select(DIRECTORY.units.c.kind).where(DIRECTORY.units.c.unit_id == unit_id)
    with store.engine.connect() as connection:
        return connection.execute(query).scalar() in GROUP_KINDS


@dataclass(frozen=True)
class Reach:
    """Where a caller's conversations are, by kind (``conversation_membership``'s rules as a
    query): their household and its group, the units where they answer households as leader or
    officer, the units over whose subtree they take part (group channels below), and the units
    their assignments lie in or under (officials' rooms above)."""

    household_id: UUID | None = None
    household_unit: UUID | None = None
    leads: tuple[UUID, ...] = ()
    polices: tuple[UUID, ...] = ()
    over: tuple[UUID, ...] = ()
    serving_in: tuple[UUID, ...] = ()


def candidates(store: ReadStore, reach: Reach, limit: int, offset: int) -> list[dict[str, Any]]:
    """A page of the conversations within a caller's reach, by latest message first; the caller's
    membership of each is still checked (``conversation_membership``)."""
    c = conversations.c
    conditions = []
    if reach.household_id is not None:
        conditions.append(c.household_id == reach.household_id)
    if reach.household_unit is not None:
        conditions.append(and_(c.kind == "group-channel", c.unit_id == reach.household_unit))
    if reach.leads:
        conditions.append(and_(c.kind == "resident-leader", c.unit_id.in_(reach.leads)))
    if reach.polices:
        conditions.append(and_(c.kind == "resident-police", c.unit_id.in_(reach.polices)))
    for unit in reach.over:  # a city-wide scope as a subquery, not thousands of ids
        conditions.append(and_(c.kind == "group-channel", c.unit_id.in_(below(DIRECTORY.units, unit))))
    if reach.serving_in:
        conditions.append(and_(c.kind == "officials", c.unit_id.in_(reach.serving_in)))
    if not conditions:
        return []
    query = (
        select(conversations)
        .where(or_(*conditions))
        .order_by(func.coalesce(c.last_at, c.opened_at).desc(), c.conversation_id)
        .limit(limit)
        .offset(offset)
    )
    with store.engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(query)]


def read_up_to(store: ReadStore, conversation_ids: Sequence[UUID], reader: str) -> dict[UUID, int]:
    """The reader's marker in each conversation (absent: nothing read)."""
    if not conversation_ids:
        return {}
    query = select(reads.c.conversation_id, reads.c.up_to).where(
        reads.c.reader == reader, reads.c.conversation_id.in_(list(conversation_ids))
    )
    with store.engine.connect() as connection:
        return {row.conversation_id: row.up_to for row in connection.execute(query)}


def unread(store: ReadStore, conversation_id: UUID, reader: str, after: int) -> int:
    """How many messages after place ``after`` others wrote (one's own are read)."""
    query = select(func.count()).where(
        messages.c.conversation_id == conversation_id,
        messages.c.seq > after,
        messages.c.author_account != reader,
    )
    with store.engine.connect() as connection:
        return int(connection.execute(query).scalar_one())


def messages_of(
    store: ReadStore, conversation_id: UUID, after: int | None, before: int | None, limit: int
) -> list[dict[str, Any]]:
    """A page of a conversation's messages in order: those after place ``after`` (the oldest
    first, for a page that polls for new ones), else the latest ``limit`` before place ``before``."""
    query = select(messages).where(messages.c.conversation_id == conversation_id)
    if after is not None:
        query = query.where(messages.c.seq > after).order_by(messages.c.seq).limit(limit)
        with store.engine.connect() as connection:
            return [dict(r._mapping) for r in connection.execute(query)]
    if before is not None:
        query = query.where(messages.c.seq < before)
    query = query.order_by(messages.c.seq.desc()).limit(limit)
    with store.engine.connect() as connection:
        return [dict(r._mapping) for r in reversed(connection.execute(query).all())]


def message_row(store: ReadStore, conversation_id: UUID, message_id: UUID) -> dict[str, Any] | None:
    """One message of a conversation, if it is there."""
    query = select(messages).where(
        messages.c.conversation_id == conversation_id, messages.c.message_id == message_id
    )
    with store.engine.connect() as connection:
        row = connection.execute(query).first()
    return dict(row._mapping) if row is not None else None


def cites(store: ReadStore, conversation_id: UUID, attachment_id: UUID) -> bool:
    """Whether a message of the conversation still shown (not hidden) cites the attachment."""
    query = select(messages.c.attachments).where(
        messages.c.conversation_id == conversation_id, messages.c.hidden_at.is_(None)
    )
    wanted = str(attachment_id)
    with store.engine.connect() as connection:
        return any(wanted in (row.attachments or []) for row in connection.execute(query))
