"""Rows from parallel PostgreSQL arrays: a batch of rows in one statement whatever its size."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from psycopg import adapters
from psycopg.types.array import ListBinaryDumper
from sqlalchemy import TableValuedAlias, bindparam, column, func
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine


class _SentInBinary(list[Any]):
    """A list psycopg sends as a binary array.

    psycopg sends a plain list as text, escaping every element in Python (a uuid or a key becomes
    a string, then is quoted): most of the cost of a few hundred rows. Only lists of this class
    are sent in binary: the text form stays the default elsewhere, as psycopg chose it for lists
    of mixed types."""


adapters.register_dumper(_SentInBinary, ListBinaryDumper)


class BinaryArray(TypeDecorator[list[Any]]):
    """A PostgreSQL array bound in binary."""

    impl = postgresql.ARRAY
    cache_ok = True

    def bind_processor(self, dialect: Dialect) -> Callable[[Any], Any]:
        elements = super().bind_processor(dialect)

        def process(value: Any) -> Any:
            value = elements(value) if elements is not None else value
            return None if value is None else _SentInBinary(value)

        return process


def rows_from_arrays(name: str, **columns: TypeEngine[Any]) -> TableValuedAlias:
    """A FROM item ``name(column, ...)`` of the rows made by unnesting one array per column; each
    array is the bind parameter named as its column.

    An insert of many rows otherwise becomes a statement of as many VALUES, built, sent and parsed
    anew for each number of rows (too long for psycopg to keep), or as many statements."""
    arrays = [bindparam(key, type_=BinaryArray(type_)) for key, type_ in columns.items()]
    typed = [column(key, type_) for key, type_ in columns.items()]
    return func.unnest(*arrays).table_valued(*typed).render_derived(name=name)
