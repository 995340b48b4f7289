"""Per-person data keys, wrapped by a master key, and their shredding.

Each data subject (a person) gets a random AES-256 key. Events about the person seal their
personal fields with it (see ``sealing.py``). Erasure destroys the key: the events stay in the
append-only store, but nobody can read their personal fields again (crypto-shredding). A tombstone
row stays so that a key is never created again for an erased person.

Keys are stored wrapped (AES-GCM) by the deployment's master key, so a copy of this table alone
discloses nothing. For a real deployment the table should live apart from the event store's
backups (``TOTHON_SUBJECT_KEYS_URL``): a restored backup of the keys would undo erasures.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import (
    Column,
    DateTime,
    LargeBinary,
    MetaData,
    Table,
    Uuid,
    bindparam,
    create_engine,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.sql.selectable import TextualSelect

# The master key has a module of its own; callers keep importing it from here.
from tothon_shared.privacy.master_key import InvalidMasterKeyError as InvalidMasterKeyError
from tothon_shared.privacy.master_key import decode_master_key as decode_master_key
from tothon_shared.privacy.master_key import new_master_key as new_master_key
from tothon_shared.throughput.pg_pool import CHECKOUT_TIMEOUT, pooled_engine
from tothon_shared.throughput.sql_arrays import BinaryArray

_NONCE = 12
_metadata = MetaData()
subject_keys = Table(
    "subject_keys",
    _metadata,
    Column("subject_id", Uuid, primary_key=True),
    # NULL once shredded: the row is the tombstone.
    Column("wrapped_key", LargeBinary),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("shredded_at", DateTime(timezone=True)),
)


class SubjectShreddedError(LookupError):
    """The person's key was destroyed: nothing new may be sealed for them."""


MAX_CACHED = 20_000  # unwrapped keys kept in memory at most (about 6 MB)


class SubjectKeyStore:
    """Creates, finds and shreds per-subject keys; keeps unwrapped keys briefly in memory."""

    def __init__(
        self,
        url: str,
        master_key: bytes,
        cache_seconds: float = 60.0,
        flushed_with_events: bool = False,
        checkout_timeout: float = CHECKOUT_TIMEOUT,
    ) -> None:
        # New keys are committed without waiting for their own flush to disk when the keys share
        # the event store's PostgreSQL database (the default): the events sealed with them commit
        # after them and wait for the log to be flushed up to their commit, which flushes the
        # keys' earlier commit too. A crash can lose only keys no stored event uses. A flush of
        # their own was one more disk wait in every command that records a person (a third of a
        # registration's time at 100 a second). Shredding always waits: an erasure must persist.
        self._async_new_keys = flushed_with_events and not url.startswith("sqlite")
        if url.startswith("sqlite"):
            self._engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        else:
            self._engine = pooled_engine(url, 6, checkout_timeout)
        _metadata.create_all(self._engine)
        self._wrap = AESGCM(master_key)
        # Another replica's erasure reaches this cache within ``cache_seconds``; this process's
        # own erasures evict at once.
        self._cache_seconds = cache_seconds
        self._cache: dict[UUID, tuple[bytes, float]] = {}
        self._lock = threading.Lock()

    def key_for(self, subject_id: UUID) -> bytes | None:
        """The subject's key, or None when it was shredded (or never existed)."""
        cached = self._cached(subject_id)
        if cached is not None:
            return cached
        with self._engine.connect() as connection:
            found = self._load(connection, [subject_id])
        return found.get(subject_id)

    def ensure_keys(self, subject_ids: Iterable[UUID]) -> dict[UUID, bytes]:
        """Every subject's key, creating the missing ones in one transaction.

        Raises ``SubjectShreddedError`` for a subject whose key was destroyed."""
        wanted = set(subject_ids)
        keys = {s: k for s in wanted if (k := self._cached(s)) is not None}
        missing = wanted - keys.keys()
        if not missing:
            return keys
        created = {subject: os.urandom(32) for subject in missing}
        wrapped = {subject: self._wrapped(subject, key) for subject, key in created.items()}
        # Concurrent creators agree: the first row wins. The keys this call inserted are known
        # already; only the others (there before, or inserted by another) are read back.
        with self._key_writes() as connection:
            inserted = _insert_ignoring_duplicates(connection, wrapped, self._async_new_keys)
            self._remember({subject: created[subject] for subject in inserted})
            keys |= {subject: created[subject] for subject in inserted}
            if missing - inserted:  # a conflicting insert has committed: its row is visible
                keys |= self._load(connection, missing - inserted)
        shredded = missing - keys.keys()
        if shredded:
            raise SubjectShreddedError(sorted(shredded)[0])
        return keys

    @contextmanager
    def _key_writes(self) -> Iterator[Connection]:
        """A connection for creating keys: on PostgreSQL one in autocommit, where the insert is a
        transaction of its own in one round trip (BEGIN, SET LOCAL, the insert and COMMIT were
        four, and a profile of registrations at 100 a second found them a quarter of the API's
        CPU); elsewhere a transaction."""
        if self._engine.dialect.name == "postgresql":
            with self._engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                yield connection
        else:
            with self._engine.begin() as connection:
                yield connection

    def _wrapped(self, subject: UUID, key: bytes) -> bytes:
        nonce = os.urandom(_NONCE)
        return nonce + self._wrap.encrypt(nonce, key, subject.bytes)

    def shred(self, subject_id: UUID) -> None:
        """Destroy the subject's key for good (idempotent)."""
        with self._lock:
            self._cache.pop(subject_id, None)
        now = datetime.now(UTC)
        with self._engine.begin() as connection:
            updated = connection.execute(
                subject_keys.update()
                .where(subject_keys.c.subject_id == subject_id)
                .values(wrapped_key=None, shredded_at=now)
            )
            if updated.rowcount == 0:
                connection.execute(
                    _insert_statement(connection).values(
                        subject_id=subject_id, wrapped_key=None, created_at=now, shredded_at=now
                    )
                )
        with self._lock:
            self._cache.pop(subject_id, None)

    def is_shredded(self, subject_id: UUID) -> bool:
        """Whether the subject's key was destroyed."""
        with self._engine.connect() as connection:
            row = connection.execute(
                select(subject_keys.c.shredded_at).where(subject_keys.c.subject_id == subject_id)
            ).first()
        return row is not None and row.shredded_at is not None

    def dispose(self) -> None:
        """Close pooled connections and forget cached keys."""
        with self._lock:
            self._cache.clear()
        self._engine.dispose()

    def _cached(self, subject_id: UUID) -> bytes | None:
        with self._lock:
            entry = self._cache.get(subject_id)
        if entry is None or entry[1] < time.monotonic():
            return None
        return entry[0]

    def _load(self, connection: Connection, subject_ids: Iterable[UUID]) -> dict[UUID, bytes]:
        rows = connection.execute(
            select(subject_keys.c.subject_id, subject_keys.c.wrapped_key).where(
                subject_keys.c.subject_id.in_(list(subject_ids)), subject_keys.c.wrapped_key.is_not(None)
            )
        )
        found = {
            row.subject_id: self._wrap.decrypt(
                row.wrapped_key[:_NONCE], row.wrapped_key[_NONCE:], row.subject_id.bytes
            )
            for row in rows
        }
        self._remember(found)
        return found

    def prefetch(self, subject_ids: Iterable[UUID]) -> None:
        """Load the keys of many subjects in one query (a page of events about to be decoded)."""
        wanted = [s for s in set(subject_ids) if self._cached(s) is None]
        if wanted:
            with self._engine.connect() as connection:
                self._load(connection, wanted)

    def _remember(self, found: dict[UUID, bytes]) -> None:
        now = time.monotonic()
        with self._lock:
            for subject, key in found.items():
                self._cache.pop(subject, None)  # re-inserted last: the dict stays in expiry order
                self._cache[subject] = (key, now + self._cache_seconds)
            self._evict(now)

    def _evict(self, now: float) -> None:
        """Forget expired keys, and the oldest beyond ``MAX_CACHED``: a bulk import or a projection
        touches every person once, and must not keep a million keys in memory."""
        while self._cache:
            oldest = next(iter(self._cache))
            if self._cache[oldest][1] >= now and len(self._cache) <= MAX_CACHED:
                break
            del self._cache[oldest]


def _insert_ignoring_duplicates(
    connection: Connection, wrapped: dict[UUID, bytes], no_flush_wait: bool
) -> set[UUID]:
    """Insert the keys of the subjects that have none yet; the subjects inserted."""
    now = datetime.now(UTC)
    if connection.dialect.name == "postgresql":
        # One statement with arrays: an import creates a few hundred keys a transaction, and a
        # statement of that many VALUES was built, sent and parsed anew each time.
        found = connection.execute(
            _INSERT_ARRAYS_NO_FLUSH_WAIT if no_flush_wait else _INSERT_ARRAYS,
            {"subject_id": list(wrapped), "wrapped_key": list(wrapped.values()), "created_at": now},
        )
    else:
        rows = [{"subject_id": s, "wrapped_key": w, "created_at": now} for s, w in wrapped.items()]
        found = connection.execute(_insert_statement(connection).returning(subject_keys.c.subject_id), rows)
    return {row.subject_id for row in found}


def _insert_statement(connection: Connection) -> postgresql.Insert | sqlite.Insert:
    """An insert that leaves a subject's existing row as it is."""
    if connection.dialect.name == "postgresql":
        return postgresql.insert(subject_keys).on_conflict_do_nothing(index_elements=["subject_id"])
    return sqlite.insert(subject_keys).on_conflict_do_nothing(index_elements=["subject_id"])


def _insert_arrays(no_flush_wait: bool) -> TextualSelect:
    # SQL text, not SQLAlchemy's PostgreSQL insert construct: that construct is never cached
    # (SQLAlchemy 2.0 compiled it anew for every registration).
    # ``set_config(..., true)`` in a one-row CTE joined to the rows sets ``synchronous_commit``
    # for this statement's own transaction only, without a round trip of its own.
    setting = (
        "WITH no_flush_wait AS MATERIALIZED (SELECT set_config('synchronous_commit', 'off', true)) "
        if no_flush_wait
        else ""
    )
    return (
        text(
            f"{setting}INSERT INTO subject_keys (subject_id, wrapped_key, created_at) "
            "SELECT new_keys.subject_id, new_keys.wrapped_key, :created_at "
            f"FROM unnest(:subject_id, :wrapped_key) AS new_keys (subject_id, wrapped_key)"
            f"{', no_flush_wait' if no_flush_wait else ''} "
            "ON CONFLICT (subject_id) DO NOTHING RETURNING subject_id"
        )
        .bindparams(
            bindparam("subject_id", type_=BinaryArray(Uuid())),
            bindparam("wrapped_key", type_=BinaryArray(LargeBinary())),
            bindparam("created_at", type_=subject_keys.c.created_at.type),
        )
        .columns(subject_id=Uuid())
    )


_INSERT_ARRAYS = _insert_arrays(no_flush_wait=False)
_INSERT_ARRAYS_NO_FLUSH_WAIT = _insert_arrays(no_flush_wait=True)


if __name__ == "__main__":
    print(new_master_key())  # noqa: T201 - the command's output
