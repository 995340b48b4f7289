"""Creating a service's PostgreSQL database on first start (distributed mode)."""

from __future__ import annotations

import psycopg
from psycopg import sql

from tothon_shared.settings import Settings


def ensure_database(settings: Settings, dbname: str) -> None:
    """Create ``dbname`` if it does not exist (the role needs CREATEDB)."""
    with psycopg.connect(
        host=settings.pg_host,
        port=settings.pg_port,
        user=settings.pg_user,
        password=settings.pg_password,
        dbname="postgres",
        autocommit=True,
        connect_timeout=10,
    ) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone()
        if exists:
            return
        try:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
        except psycopg.errors.DuplicateDatabase:
            pass  # another process of the same service created it first
        except psycopg.errors.UniqueViolation:
            pass


def drop_database(settings: Settings, dbname: str) -> None:
    """Drop ``dbname`` and end its sessions (used by tests and resets)."""
    with psycopg.connect(
        host=settings.pg_host,
        port=settings.pg_port,
        user=settings.pg_user,
        password=settings.pg_password,
        dbname="postgres",
        autocommit=True,
        connect_timeout=10,
    ) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname)))
