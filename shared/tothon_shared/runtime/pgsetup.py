"""Creating a service's PostgreSQL database and tables on first start (distributed mode)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from tothon_shared.runtime.settings import Settings


def timeouts(settings: Settings, statement_seconds: float | None = None) -> dict[str, str]:
    """The libpq parameters that bound a connection's start and each of its statements (by
    default ``pg_statement_timeout_seconds``): a server that does not answer is an error within
    seconds instead of a wait as long as the operating system's."""
    statement = settings.pg_statement_timeout_seconds if statement_seconds is None else statement_seconds
    return {
        "connect_timeout": str(settings.pg_connect_timeout_seconds),
        "options": f"-c statement_timeout={round(statement * 1000)}",
    }


def conninfo(settings: Settings, dbname: str, statement_seconds: float | None = None) -> str:
    """The libpq connection string of one database on the configured server, with its timeouts."""
    return make_conninfo(
        host=settings.pg_host,
        port=settings.pg_port,
        user=settings.pg_user,
        password=settings.pg_password,
        dbname=dbname,
        **timeouts(settings, statement_seconds),
    )


def _maintenance(settings: Settings) -> psycopg.Connection[tuple[object, ...]]:
    """A connection to the server's maintenance database, for creating and dropping databases."""
    return psycopg.connect(
        conninfo(settings, "postgres", settings.pg_maintenance_timeout_seconds), autocommit=True
    )


def ensure_database(settings: Settings, dbname: str) -> None:
    """Create ``dbname`` if it does not exist (the role needs CREATEDB)."""
    with _maintenance(settings) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone()
        if exists:
            return
        # Another process of the same service may create it first.
        with contextlib.suppress(psycopg.errors.DuplicateDatabase, psycopg.errors.UniqueViolation):
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))


@contextlib.contextmanager
def schema_turn(settings: Settings, dbname: str) -> Iterator[None]:
    """Held while a process creates its service's tables in ``dbname``: the processes of a service
    started together (API replicas, the worker) take turns, where they collided in PostgreSQL's
    catalog ("tuple concurrently updated", duplicate types) and had to try again. An advisory
    lock of the database, released when its connection closes, even if the process dies. The
    wait for the turn is bounded by ``pg_maintenance_timeout_seconds``."""
    turn = conninfo(settings, dbname, settings.pg_maintenance_timeout_seconds)
    with psycopg.connect(turn, autocommit=True) as connection:
        connection.execute("SELECT pg_advisory_lock(hashtext(%s))", (_SCHEMA_TURN,))
        yield


_SCHEMA_TURN = "tothon: creating the tables"


def drop_database(settings: Settings, dbname: str) -> None:
    """Drop ``dbname`` and end its sessions (used by tests and resets)."""
    with _maintenance(settings) as connection:
        try:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname))
            )
        except psycopg.errors.InsufficientPrivilege:
            # FORCE may not end an autovacuum worker busy in the database (PostgreSQL 15 checks
            # the role of every session, and a non-superuser owns none of those): end our own
            # sessions, then a plain DROP, which stops autovacuum itself.
            connection.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND usename = current_user AND pid <> pg_backend_pid()",
                (dbname,),
            )
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(dbname)))
