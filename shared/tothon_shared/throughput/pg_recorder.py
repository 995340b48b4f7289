"""The PostgreSQL event recorder, with a save's events sent to the server in binary, and its
persistence factory, with every wait for the server bounded.

``eventsourcing`` inserts a save's events as one array of a composite type through a ``%s``
placeholder, which psycopg fills in text: every event's state is escaped byte by byte in Python
(about 30 µs an event, a tenth of a bulk import's CPU). A ``%b`` placeholder sends the same array
in PostgreSQL's binary format (about 5 µs an event). The statement is otherwise the library's.
"""

from __future__ import annotations

import functools
import json
import time
from typing import Any

from eventsourcing import persistence
from eventsourcing.postgres import (
    PostgresAggregateRecorder,
    PostgresApplicationRecorder,
    PostgresDatastore,
    PostgresFactory,
    PostgresProcessRecorder,
)
from eventsourcing.utils import Environment, EnvType
from psycopg.sql import SQL, Composed, Identifier
from psycopg_pool import PoolTimeout

RETRY_WAIT = 0.2


def _within_the_pool_timeout(method: Any) -> Any:
    """The library's method without its retries (ten tries, 0.2 s apart, each of which may wait
    the pool's whole timeout: a save waited 22 s for a server that was down). A quick failure,
    such as a pooled connection the server closed, is still tried again, but only within the
    pool's timeout, and a wait for the pool that timed out is not."""
    once = method.__wrapped__  # functools.wraps of the library's ``retry`` keeps it

    @functools.wraps(once)
    def bounded(self: PostgresAggregateRecorder, *args: Any, **kwargs: Any) -> Any:
        deadline = time.monotonic() + self.datastore.pool.timeout
        while True:
            try:
                return once(self, *args, **kwargs)
            except (persistence.InterfaceError, persistence.OperationalError) as error:
                if isinstance(error.__cause__, PoolTimeout) or time.monotonic() + RETRY_WAIT >= deadline:
                    raise
                time.sleep(RETRY_WAIT)

    return bounded


class TimedAggregateRecorder(PostgresAggregateRecorder):
    """The snapshots' recorder (every load of an aggregate asks it first), giving up in time."""

    insert_events = _within_the_pool_timeout(PostgresAggregateRecorder.insert_events)
    select_events = _within_the_pool_timeout(PostgresAggregateRecorder.select_events)


class BinaryInsertRecorder(PostgresApplicationRecorder):
    """``PostgresApplicationRecorder`` whose insert sends its events' array in binary, and whose
    reads and writes of a request's path give up within the pool's timeout."""

    insert_events = _within_the_pool_timeout(PostgresApplicationRecorder.insert_events)
    select_events = _within_the_pool_timeout(PostgresApplicationRecorder.select_events)
    select_notifications = _within_the_pool_timeout(PostgresApplicationRecorder.select_notifications)
    max_notification_id = _within_the_pool_timeout(PostgresApplicationRecorder.max_notification_id)

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self.insert_events_statement = _binary_insert(self)


def _binary_insert(recorder: PostgresApplicationRecorder) -> Composed:
    """The library's insert of a save's events, their array sent in binary (``%b``)."""
    return SQL(
        "INSERT INTO {schema}.{table} AS t (originator_id, originator_version, topic, state)"
        " SELECT originator_id, originator_version, topic, state"
        " FROM unnest(%b::{schema}.{stored_event_type}[])"
        " RETURNING notification_id"
    ).format(
        schema=Identifier(recorder.datastore.schema),
        table=Identifier(recorder.events_table_name),
        stored_event_type=Identifier(recorder.stored_event_type_name),
    )


class BinaryInsertProcessRecorder(BinaryInsertRecorder, PostgresProcessRecorder):
    """The same binary insert for an application that runs use cases from inbound events: the
    library's process recorder, which writes a save's tracking record (where the inbound message
    was) in the transaction of its events."""

    max_tracking_id = _within_the_pool_timeout(PostgresProcessRecorder.max_tracking_id)

    def __init__(
        self,
        datastore: PostgresDatastore,
        *,
        events_table_name: str = "stored_events",
        tracking_table_name: str = "notification_tracking",
    ) -> None:
        PostgresProcessRecorder.__init__(
            self, datastore, events_table_name=events_table_name, tracking_table_name=tracking_table_name
        )
        self.insert_events_statement = _binary_insert(self)


# Entries of an application's environment that bound its waits for PostgreSQL (see
# ``Settings.pg_*_timeout_seconds``): libpq's parameters as JSON, and the pool's wait.
LIBPQ_TIMEOUTS = "PG_LIBPQ_TIMEOUTS"
POOL_TIMEOUT = "PG_POOL_TIMEOUT"


class TimedPostgresFactory(PostgresFactory):
    """``eventsourcing``'s PostgreSQL persistence, its waits bounded.

    The library's pool waits ``POSTGRES_CONNECT_TIMEOUT`` (30 s by default) for a connection and
    connects without libpq's ``connect_timeout``; a statement runs as long as it likes, and a pool
    that lost its connections tries again for five minutes with a backoff doubling to two, so a
    server back after a minute's outage could be noticed a minute later still. Here every
    connection carries the settings' connect and statement timeouts, a caller waits at most the
    pool timeout, and a reconnection attempt gives up after it too (the next caller starts
    another at once)."""

    aggregate_recorder_class = TimedAggregateRecorder

    def __init__(self, env: Environment | EnvType | None) -> None:
        super().__init__(env)
        pool = self.datastore.pool
        libpq = self.env.get(LIBPQ_TIMEOUTS)
        if libpq and isinstance(pool.kwargs, dict):
            # The pool is not open yet (it opens at first use): every connection gets these.
            pool.kwargs.update(json.loads(libpq))
        waits = self.env.get(POOL_TIMEOUT)
        if waits:
            pool.timeout = pool.reconnect_timeout = float(waits)
