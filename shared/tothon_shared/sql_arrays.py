"""Rows from parallel PostgreSQL arrays: a batch of rows in one statement whatever its size."""

from __future__ import annotations

from typing import Any

from sqlalchemy import TableValuedAlias, bindparam, column, func
from sqlalchemy.dialects import postgresql
from sqlalchemy.types import TypeEngine


def rows_from_arrays(name: str, **columns: TypeEngine[Any]) -> TableValuedAlias:
    """A FROM item ``name(column, ...)`` of the rows made by unnesting one array per column; each
    array is the bind parameter named as its column.

    An insert of many rows otherwise becomes a statement of as many VALUES, built, sent and parsed
    anew for each number of rows (too long for psycopg to keep), or as many statements."""
    arrays = [bindparam(key, type_=postgresql.ARRAY(type_)) for key, type_ in columns.items()]
    typed = [column(key, type_) for key, type_ in columns.items()]
    return func.unnest(*arrays).table_valued(*typed).render_derived(name=name)
