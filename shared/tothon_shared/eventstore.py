"""Event-store wiring for ``eventsourcing``: SQLite per service (embedded) or PostgreSQL (distributed).

Every stored event carries the command's metadata (actor, correlation id, reason, trace carrier)
under the ``__meta__`` key, added by :class:`ContextMapper`, so history and tracing need nothing
from the domain model.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import get_topic

from tothon_shared.context import CommandContext, current_context
from tothon_shared.settings import Mode, Settings

META_KEY = "__meta__"


class ContextMapper(Mapper[UUID]):
    """Stores the current command context with each event and drops it when decoding."""

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        event_state = dict(vars(domain_event))
        originator_id = event_state.pop("originator_id")
        originator_version = event_state.pop("originator_version")
        class_version = getattr(type(domain_event), "class_version", 1)
        if class_version > 1:
            event_state["class_version"] = class_version
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
        meta = event.__dict__.pop(META_KEY, None)
        return event, CommandContext.from_meta(meta)

    def _seal(self, state: bytes) -> bytes:
        if self.compressor:
            state = self.compressor.compress(state)
        if self.cipher:
            state = self.cipher.encrypt(state)
        return state


def event_store_env(settings: Settings, service: str) -> dict[str, str]:
    """The ``eventsourcing`` environment for one service's event store."""
    env = {"MAPPER_TOPIC": get_topic(ContextMapper)}
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
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": settings.database_name(service),
            "POSTGRES_HOST": settings.pg_host,
            "POSTGRES_PORT": str(settings.pg_port),
            "POSTGRES_USER": settings.pg_user,
            "POSTGRES_PASSWORD": settings.pg_password,
            "POSTGRES_POOL_SIZE": str(settings.pg_pool_size),
            "POSTGRES_SCHEMA": "public",
        }
    return env


def read_store_url(settings: Settings, service: str) -> str:
    """SQLAlchemy URL of one service's read models (the event store's database when distributed)."""
    if settings.mode is Mode.EMBEDDED:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{settings.data_dir / f'{service}-read.sqlite'}"
    return (
        f"postgresql+psycopg://{settings.pg_user}:{settings.pg_password}"
        f"@{settings.pg_host}:{settings.pg_port}/{settings.database_name(service)}"
    )
