"""The log of officials' reads of personal data, and what a resident may see of it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Uuid, bindparam, select

from tothon_registry.readmodels.tables import households, personal_data_reads
from tothon_shared.auth.principal import Principal
from tothon_shared.readstore.store import ReadStore
from tothon_shared.throughput.sql_arrays import rows_from_arrays

Target = tuple[UUID, UUID | None]


def record_reads(
    store: ReadStore, reader: Principal, targets: Iterable[Target], fields: str, purpose: str
) -> None:
    """Log that ``reader`` read ``fields`` for ``purpose``, of each (household, person) target; the
    person is None for a read of the household as a whole."""
    with store.engine.begin() as connection:
        log_reads(connection, reader, targets, fields, purpose)


def log_reads(
    connection: Connection, reader: Principal, targets: Iterable[Target], fields: str, purpose: str
) -> None:
    """``record_reads`` in the caller's transaction: the log commits with the caller's work."""
    targets = list(targets)
    if not targets:
        return
    read = {
        "reader_account_id": reader.account_id,
        "reader_name": reader.name,
        "fields": fields,
        "purpose": purpose,
        "read_at": datetime.now(UTC),
    }
    if connection.dialect.name == "postgresql":
        # A page of search results is 20 rows: one statement with arrays, not 20 inserts.
        connection.execute(
            _LOG_MANY, read | {"household_id": [t[0] for t in targets], "person_id": [t[1] for t in targets]}
        )
    else:
        connection.execute(
            personal_data_reads.insert(),
            [
                read | {"household_id": household_id, "person_id": person_id}
                for household_id, person_id in targets
            ],
        )


_TARGETS = rows_from_arrays("target", household_id=Uuid(), person_id=Uuid())
_LOG_MANY = personal_data_reads.insert().from_select(
    ["household_id", "person_id", "reader_account_id", "reader_name", "fields", "purpose", "read_at"],
    select(
        _TARGETS.c.household_id,
        _TARGETS.c.person_id,
        bindparam("reader_account_id", type_=Uuid),
        bindparam("reader_name", type_=personal_data_reads.c.reader_name.type),
        bindparam("fields", type_=personal_data_reads.c.fields.type),
        bindparam("purpose", type_=personal_data_reads.c.purpose.type),
        bindparam("read_at", type_=personal_data_reads.c.read_at.type),
    ).select_from(_TARGETS),
)


def reads_of(store: ReadStore, household_id: UUID, limit: int = 200) -> list[dict[str, Any]]:
    """Who read this household's data, newest first."""
    query = (
        select(
            personal_data_reads.c.reader_name,
            personal_data_reads.c.person_id,
            personal_data_reads.c.fields,
            personal_data_reads.c.purpose,
            personal_data_reads.c.read_at,
        )
        .where(personal_data_reads.c.household_id == household_id)
        .order_by(personal_data_reads.c.read_id.desc())
        .limit(limit)
    )
    with store.engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(query)]


def reads_in_units(
    store: ReadStore, unit_ids: list[UUID], limit: int, before: int | None
) -> list[dict[str, Any]]:
    """Officials' reads of the households in ``unit_ids``, newest first, for an audit; ``before``
    pages by read id."""
    query = (
        select(
            personal_data_reads.c.read_id,
            personal_data_reads.c.read_at,
            personal_data_reads.c.reader_account_id,
            personal_data_reads.c.reader_name,
            personal_data_reads.c.household_id,
            households.c.code.label("household_code"),
            personal_data_reads.c.person_id,
            personal_data_reads.c.fields,
            personal_data_reads.c.purpose,
        )
        .join(households, households.c.household_id == personal_data_reads.c.household_id)
        .where(households.c.unit_id.in_(unit_ids))
        .order_by(personal_data_reads.c.read_id.desc())
        .limit(limit)
    )
    if before is not None:
        query = query.where(personal_data_reads.c.read_id < before)
    with store.engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(query)]
