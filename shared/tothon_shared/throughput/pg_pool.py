"""PostgreSQL engines whose pools keep their connections and check only the idle ones.

Two habits of SQLAlchemy's pools cost a busy service round trips and backends:

- An "overflow" connection is closed as it comes back. A burst of searches opened 70 new
  PostgreSQL backends in 20 s, each a backend's start and a SCRAM exchange at the busiest moment.
  Here every connection opened (up to ``connections``) is kept.
- ``pool_pre_ping`` sends ``SELECT 1`` at every checkout: a round trip in a search of five. Here
  only a connection idle for ``IDLE_BEFORE_PING`` seconds is pinged. A connection lost while in
  use (a server restart during traffic) fails its statement; SQLAlchemy then replaces every
  connection of the pool, so the next requests reconnect.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

# Under load every connection is used many times a second; a connection unused this long may
# have been closed by the server, a restart or a network device in between.
IDLE_BEFORE_PING = 5.0
_RETURNED_AT = "tothon_returned_at"
# How long a caller waits for a connection when all are in use, unless told otherwise
# (``Settings.pg_pool_timeout_seconds``); SQLAlchemy's own default is 30 s.
CHECKOUT_TIMEOUT = 5.0


def pooled_engine(url: str, connections: int, checkout_timeout: float = CHECKOUT_TIMEOUT) -> Engine:
    """An engine keeping up to ``connections`` connections, pinging those idle for a while; a
    caller waits at most ``checkout_timeout`` seconds for one (the URL bounds the connecting and
    the statements, see ``pgsetup.timeouts``)."""
    # Last in, first out: the connections in use stay few and warm (a connection prepares a
    # statement after its fifth use), and only those a burst opened fall idle.
    engine = create_engine(
        url, pool_size=connections, max_overflow=0, pool_use_lifo=True, pool_timeout=checkout_timeout
    )
    dialect = engine.dialect

    @event.listens_for(engine, "checkin")
    def note_return(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info[_RETURNED_AT] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def ping_if_idle(
        dbapi_connection: Any, record: ConnectionPoolEntry, proxy: PoolProxiedConnection
    ) -> None:
        returned_at = record.info.get(_RETURNED_AT)
        if returned_at is None or time.monotonic() - returned_at < IDLE_BEFORE_PING:
            return  # just opened, or in use a moment ago
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as error:  # any failure: the pool opens a fresh connection instead
            raise DisconnectionError("an idle connection no longer answers") from error

    return engine
