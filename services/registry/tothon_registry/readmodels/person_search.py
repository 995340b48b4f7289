"""Finding persons by name, citizen ID or phone within a unit and the units below it.

Two ways to a page of results, in the Vietnamese order of names (given, family, middle):

- **By scope**, for a group, a village or a small ward, or a search by ID or phone: read the
  persons of the scope's households and keep those that match. Cheap while the scope is small.
- **By word**, for a large scope (a ward, the city): walk the index of name words from the query's
  rarest word, already in the sorted order, and stop at the end of the page. Over a million
  people the by-scope way sorts every "Nguyễn" in the city before it can answer (40–1,200 ms);
  this way reads about a page of index entries for a typical name.

A word of a query finds the names with a word that starts with it ("an" finds An and Anh, not
Trần): what people expect of a name search.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Connection, Select, and_, func, or_, select, union_all

from tothon_registry.readmodels.tables import households, name_vocabulary, person_name_words, persons, units
from tothon_shared.auth.lineage import below

# Past this many households in scope, a name search goes by word. A ward of Đà Nẵng holds about
# 6,000 households, a group 60–150.
SCOPE_SCAN_HOUSEHOLDS = 2_000

Cursor = tuple[str, UUID]


def encode_cursor(sort_key: str, person_id: UUID) -> str:
    """An opaque position after a person in the sorted list."""
    return base64.urlsafe_b64encode(json.dumps([sort_key, str(person_id)]).encode()).decode()


def decode_cursor(text: str) -> Cursor:
    """The position an ``encode_cursor`` text names; ValueError if it names none."""
    try:
        sort_key, person_id = json.loads(base64.urlsafe_b64decode(text.encode()))
        return str(sort_key), UUID(person_id)
    except (binascii.Error, TypeError, json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValueError("not a search position") from error


def search_persons(
    connection: Connection,
    unit_id: UUID,
    words: Sequence[str],
    citizen_id: str | None,
    phone: str | None,
    limit: int,
    after: Cursor | None,
) -> list[dict[str, Any]]:
    """Persons (not erased, not left) of households in ``unit_id`` and the units below it whose
    name has a word starting with each of ``words``, with the ID number and phone given, in the
    Vietnamese order; keyset pages after ``after``."""
    words = list(dict.fromkeys(words))
    by_name_only = bool(words) and citizen_id is None and phone is None
    if by_name_only and not _scope_is_small(connection, unit_id, SCOPE_SCAN_HOUSEHOLDS):
        return _by_word(connection, unit_id, words, limit, after)
    return _by_scope(connection, unit_id, words, citizen_id, phone, limit, after)


def _columns() -> Select[Any]:
    return select(
        persons.c.person_id,
        persons.c.household_id,
        households.c.code.label("household_code"),
        households.c.unit_id,
        persons.c.full_name,
        persons.c.relationship,
        persons.c.birth_year,
        persons.c.sort_key,
    )


def _starts_a_word(name_key: ColumnElement[str], word: str) -> ColumnElement[bool]:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return or_(name_key.like(f"{escaped}%", escape="\\"), name_key.like(f"% {escaped}%", escape="\\"))


def _after(
    sort_key: ColumnElement[str], person_id: ColumnElement[UUID], after: Cursor
) -> ColumnElement[bool]:
    return or_(sort_key > after[0], and_(sort_key == after[0], person_id > after[1]))


def _in_scope(unit_id: UUID) -> ColumnElement[bool]:
    return households.c.unit_id.in_(below(units, unit_id))


def _scope_is_small(connection: Connection, unit_id: UUID, households_at_most: int) -> bool:
    """Whether the scope holds at most that many households (counting stops just past it)."""
    some = select(households.c.household_id).where(_in_scope(unit_id)).limit(households_at_most + 1)
    count = connection.execute(select(func.count()).select_from(some.subquery())).scalar_one()
    return bool(count <= households_at_most)


def _by_scope(
    connection: Connection,
    unit_id: UUID,
    words: Sequence[str],
    citizen_id: str | None,
    phone: str | None,
    limit: int,
    after: Cursor | None,
) -> list[dict[str, Any]]:
    query = (
        _columns()
        .join(households, households.c.household_id == persons.c.household_id)
        .where(_in_scope(unit_id), persons.c.erased_on.is_(None), persons.c.left_on.is_(None))
        .where(*(_starts_a_word(persons.c.name_key, word) for word in words))
        .order_by(persons.c.sort_key, persons.c.person_id)
        .limit(limit)
    )
    if citizen_id is not None:
        query = query.where(persons.c.citizen_id == citizen_id)
    if phone is not None:
        query = query.where(persons.c.phone == phone)
    if after is not None:
        query = query.where(_after(persons.c.sort_key, persons.c.person_id, after))
    return [dict(row._mapping) for row in connection.execute(query)]


def _vocabulary(connection: Connection, words: Sequence[str]) -> dict[str, dict[str, int]]:
    """For each query word, the name words it begins and how many persons carry each."""
    ranges = [
        and_(name_vocabulary.c.word >= word, name_vocabulary.c.word < word[:-1] + chr(ord(word[-1]) + 1))
        for word in words
    ]
    found = connection.execute(select(name_vocabulary.c.word, name_vocabulary.c.persons).where(or_(*ranges)))
    known = {row.word: row.persons for row in found}
    return {word: {w: n for w, n in known.items() if w.startswith(word)} for word in words}


def _by_word(
    connection: Connection, unit_id: UUID, words: Sequence[str], limit: int, after: Cursor | None
) -> list[dict[str, Any]]:
    choices = _vocabulary(connection, words)
    if not all(choices.values()):
        return []  # nobody's name has a word starting so
    rarest = min(words, key=lambda word: sum(choices[word].values()))
    index = person_name_words
    others = [_starts_a_word(index.c.name_key, word) for word in words if word != rarest]
    if after is not None:
        others.append(_after(index.c.sort_key, index.c.person_id, after))
    # One ordered index range per name word the rarest query word begins; PostgreSQL merges them
    # in order (a merge append) and stops once the page is full.
    ranges = [
        select(index.c.person_id, index.c.sort_key).where(index.c.word == word, *others)
        for word in sorted(choices[rarest])
    ]
    found = (ranges[0] if len(ranges) == 1 else union_all(*ranges)).subquery("found")
    query = (
        _columns()
        .select_from(found)
        .join(persons, persons.c.person_id == found.c.person_id)
        .join(households, households.c.household_id == persons.c.household_id)
        .where(_in_scope(unit_id))
        .order_by(found.c.sort_key, found.c.person_id)
        .limit(limit)
    )
    return [dict(row._mapping) for row in connection.execute(query)]
