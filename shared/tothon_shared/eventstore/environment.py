"""Event-store wiring for ``eventsourcing``: SQLite per service (embedded) or PostgreSQL (distributed).

Every stored event carries the command's metadata (actor, correlation id, reason, trace carrier)
under the ``__meta__`` key, added by :class:`ContextMapper`, so history and tracing need nothing
from the domain model.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import get_topic, resolve_topic
from sqlalchemy.engine import URL

from tothon_shared.eventstore.context import CommandContext, current_context
from tothon_shared.privacy.keys import SubjectKeyStore, decode_master_key
from tothon_shared.privacy.sealing import personal_fields, seal, subject_of, unseal
from tothon_shared.runtime.pgsetup import timeouts
from tothon_shared.runtime.settings import DEMO_PERSONAL_DATA_KEY, DefaultSecretError, Mode, Settings
from tothon_shared.throughput.pg_recorder import (
    LIBPQ_TIMEOUTS,
    POOL_TIMEOUT,
    BinaryInsertProcessRecorder,
    BinaryInsertRecorder,
    TimedPostgresFactory,
)

META_KEY = "__meta__"
# Entries of an application's environment besides eventsourcing's own.
SUBJECT_KEYS_URL = "SUBJECT_KEYS_URL"
PERSONAL_DATA_KEY = "PERSONAL_DATA_KEY"
DEMO_KEY_ALLOWED = "PERSONAL_DATA_DEMO_KEY_ALLOWED"
# "yes" when the keys live in the event store's own PostgreSQL database (see SubjectKeyStore).
SUBJECT_KEYS_WITH_EVENTS = "SUBJECT_KEYS_WITH_EVENTS"


def _carries_personal(event: DomainEventProtocol[UUID]) -> bool:
    """Whether an event has a personal value to seal: an event whose personal fields are all empty
    (a payment with no payer named) is stored as it is, and needs no key for anyone (decoding
    leaves an event without a sealed box as stored)."""
    state = vars(event)
    return any(state.get(f) is not None for f in personal_fields(type(event)))


class ContextMapper(Mapper[UUID]):
    """Stores the current command context with each event and drops it when decoding."""

    # Set by applications that store personal data (see tothon_shared.privacy).
    subject_keys: SubjectKeyStore | None = None

    def to_stored_events(self, domain_events: Sequence[DomainEventProtocol[UUID]]) -> list[StoredEvent]:
        """Map a save's events, creating the keys of all their data subjects in one transaction."""
        subjects = {
            subject_of(type(e), vars(e), e.originator_id) for e in domain_events if _carries_personal(e)
        }
        if subjects and self.subject_keys is not None:
            self.subject_keys.ensure_keys(subjects)
        return [self.to_stored_event(e) for e in domain_events]

    def prefetch_keys(self, stored: Sequence[StoredEvent]) -> None:
        """Load in one query the keys of the persons whose events are about to be decoded (one
        query an event made projecting a city's register crawl)."""
        if self.subject_keys is None:
            return
        subjects = [
            s.originator_id
            for s in stored
            if isinstance(s.originator_id, UUID) and personal_fields(resolve_topic(s.topic))
        ]
        self.subject_keys.prefetch(subjects)

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        event_state = dict(vars(domain_event))
        originator_id = event_state.pop("originator_id")
        originator_version = event_state.pop("originator_version")
        class_version = getattr(type(domain_event), "class_version", 1)
        if class_version > 1:
            event_state["class_version"] = class_version
        fields = personal_fields(type(domain_event))
        if fields and _carries_personal(domain_event):
            subject = subject_of(type(domain_event), event_state, originator_id)
            seal(
                event_state,
                fields,
                self.subject_keys,
                self.transcoder.encode,
                subject,
                originator_id,
                originator_version,
            )
        event_state[META_KEY] = current_context().as_meta()
        return StoredEvent(
            originator_id=originator_id,
            originator_version=originator_version,
            topic=get_topic(domain_event.__class__),
            state=self._seal(self.transcoder.encode(event_state)),
        )

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        return self.to_event_and_context(stored_event)[0]

    def to_event_and_context(
        self, stored_event: StoredEvent
    ) -> tuple[DomainEventProtocol[UUID], CommandContext]:
        """The domain event and the command context stored with it, decoding the state once."""
        event = super().to_domain_event(stored_event)
        fields = personal_fields(type(event))
        if fields:
            unseal(
                event.__dict__,
                fields,
                self.subject_keys,
                self.transcoder.decode,
                subject_of(type(event), event.__dict__, event.originator_id),
                event.originator_id,
                event.originator_version,
            )
        meta = event.__dict__.pop(META_KEY, None)
        return event, CommandContext.from_meta(meta)

    def _seal(self, state: bytes) -> bytes:
        if self.compressor:
            state = self.compressor.compress(state)
        if self.cipher:
            state = self.cipher.encrypt(state)
        return state


def event_store_env(settings: Settings, service: str) -> dict[str, str]:
    """The ``eventsourcing`` environment for one service's event store (and its subject keys)."""
    env = {
        "MAPPER_TOPIC": get_topic(ContextMapper),
        SUBJECT_KEYS_URL: settings.subject_keys_url or _subject_keys_default(settings, service),
        PERSONAL_DATA_KEY: settings.personal_data_key,
        DEMO_KEY_ALLOWED: "yes" if settings.mode is Mode.EMBEDDED else "no",
        SUBJECT_KEYS_WITH_EVENTS: "yes"
        if settings.mode is Mode.DISTRIBUTED and settings.subject_keys_url is None
        else "no",
    }
    if settings.mode is Mode.EMBEDDED:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        env |= {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            # A file, never ":memory:", which breaks with threads.
            "SQLITE_DBNAME": str(settings.data_dir / f"{service}-events.sqlite"),
            "SQLITE_LOCK_TIMEOUT": "10",
        }
    else:
        env |= {
            "PERSISTENCE_MODULE": get_topic(TimedPostgresFactory),
            "APPLICATION_RECORDER_TOPIC": get_topic(BinaryInsertRecorder),
            # Applications that run use cases from inbound events (``TrackingApplication``).
            "PROCESS_RECORDER_TOPIC": get_topic(BinaryInsertProcessRecorder),
            LIBPQ_TIMEOUTS: json.dumps(timeouts(settings)),
            POOL_TIMEOUT: str(settings.pg_pool_timeout_seconds),
            "POSTGRES_DBNAME": settings.database_name(service),
            "POSTGRES_HOST": settings.pg_host,
            "POSTGRES_PORT": str(settings.pg_port),
            "POSTGRES_USER": settings.pg_user,
            "POSTGRES_PASSWORD": settings.pg_password,
            "POSTGRES_POOL_SIZE": str(settings.pg_pool_size),
            "POSTGRES_SCHEMA": "public",
        }
    return env


def _subject_keys_default(settings: Settings, service: str) -> str:
    if settings.mode is Mode.EMBEDDED:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{settings.data_dir / f'{service}-keys.sqlite'}"
    return read_store_url(settings, service)


def subject_key_store(env: Mapping[str, str]) -> SubjectKeyStore:
    """The key store an application's environment names; the demo master key only when embedded."""
    secret = env[PERSONAL_DATA_KEY]
    if secret == DEMO_PERSONAL_DATA_KEY and env.get(DEMO_KEY_ALLOWED) != "yes":
        raise DefaultSecretError(
            "set TOTHON_PERSONAL_DATA_KEY: the demo key is refused outside the embedded mode"
        )
    return SubjectKeyStore(
        env[SUBJECT_KEYS_URL],
        decode_master_key(secret),
        flushed_with_events=env.get(SUBJECT_KEYS_WITH_EVENTS) == "yes",
        checkout_timeout=float(env.get(POOL_TIMEOUT, 5)),
    )


def read_store_url(settings: Settings, service: str) -> str:
    """SQLAlchemy URL of one service's read models (the event store's database when distributed)."""
    if settings.mode is Mode.EMBEDDED:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{settings.data_dir / f'{service}-read.sqlite'}"
    url = URL.create(
        "postgresql+psycopg",
        username=settings.pg_user,
        password=settings.pg_password,
        host=settings.pg_host,
        port=settings.pg_port,
        database=settings.database_name(service),
        query=timeouts(settings),  # psycopg passes them on to libpq
    )
    return url.render_as_string(hide_password=False)
