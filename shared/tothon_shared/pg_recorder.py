"""The PostgreSQL event recorder, with a save's events sent to the server in binary, and its
persistence factory with bounded waits.

``eventsourcing`` inserts a save's events as one array of a composite type through a ``%s``
placeholder, which psycopg fills in text: every event's state is escaped byte by byte in Python
(about 30 µs an event, a tenth of a bulk import's CPU). A ``%b`` placeholder sends the same array
in PostgreSQL's binary format (about 5 µs an event). The statement is otherwise the library's.
"""

from __future__ import annotations

import json

from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore, PostgresFactory
from eventsourcing.utils import Environment, EnvType
from psycopg.sql import SQL, Identifier


class BinaryInsertRecorder(PostgresApplicationRecorder):
    """``PostgresApplicationRecorder`` whose insert sends its events' array in binary."""

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self.insert_events_statement = SQL(
            "INSERT INTO {schema}.{table} AS t (originator_id, originator_version, topic, state)"
            " SELECT originator_id, originator_version, topic, state"
            " FROM unnest(%b::{schema}.{stored_event_type}[])"
            " RETURNING notification_id"
        ).format(
            schema=Identifier(self.datastore.schema),
            table=Identifier(self.events_table_name),
            stored_event_type=Identifier(self.stored_event_type_name),
        )


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
