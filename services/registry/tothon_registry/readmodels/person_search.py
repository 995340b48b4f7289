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
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar, cast
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Select,
    Uuid,
    bindparam,
    func,
    or_,
    select,
    tuple_,
    union_all,
)

from tothon_registry.readmodels.name_words import ways_in
from tothon_registry.readmodels.tables import (
    SORT_KEY,
    households,
    person_name_words,
    persons,
    units,
)
from tothon_shared.auth.lineage import below, unit_tree

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


@dataclass(frozen=True)
class PersonQuery:
    """What a search asks: words of the name (folded), an ID number, a phone; how many persons at
    most, after which position."""

    words: Sequence[str]
    citizen_id: str | None
    phone: str | None
    limit: int
    after: Cursor | None


def search_persons(connection: Connection, unit_id: UUID, query: PersonQuery) -> list[dict[str, Any]]:
    """Persons (not erased, not left) of households in ``unit_id`` and the units below it whose
    name has a word starting with each of the query's words, with the ID number and phone given,
    in the Vietnamese order; keyset pages after the query's position."""
    query = replace(query, words=list(dict.fromkeys(query.words)))
    by_name_only = bool(query.words) and query.citizen_id is None and query.phone is None
    if by_name_only and not _scope_is_small(connection, unit_id, SCOPE_SCAN_HOUSEHOLDS):
        return _by_word(connection, unit_id, query.words, query.limit, query.after)
    return _by_scope(connection, unit_id, query)


def _columns(
    person_id: ColumnElement[UUID] = persons.c.person_id, sort_key: ColumnElement[str] = persons.c.sort_key
) -> Select[Any]:
    """What a result shows (the person's id and sort key from ``persons`` or from the name index)."""
    return select(
        person_id,
        persons.c.household_id,
        households.c.code.label("household_code"),
        households.c.unit_id,
        persons.c.full_name,
        persons.c.relationship,
        persons.c.birth_year,
        sort_key,
    )


def _word_patterns(word: str) -> tuple[str, str]:
    """LIKE patterns of a name with a word that starts with ``word``: its first word, a later one."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%", f"% {escaped}%"


def _starts_a_word(name_key: ColumnElement[str], word: str) -> ColumnElement[bool]:
    first, later = _word_patterns(word)
    return or_(name_key.like(first, escape="\\"), name_key.like(later, escape="\\"))


def _after(
    sort_key: ColumnElement[str], person_id: ColumnElement[UUID], after_key: Any, after_id: Any
) -> ColumnElement[bool]:
    """Past a position in the sorted list: a row comparison, which PostgreSQL uses as the start of
    an index range."""
    return tuple_(sort_key, person_id) > tuple_(after_key, after_id)


# The scope's units, built once (a recursive query costs more to build than to run); its unit is
# the "scope" parameter of every statement that embeds it.
_SCOPE_UNITS = below(units, bindparam("scope", type_=Uuid))
_SCOPE = households.c.unit_id.in_(_SCOPE_UNITS)
SIZE_SECONDS = 60.0  # a scope's size only chooses the way to the same results
_kept: dict[tuple[str, str, UUID], tuple[float, Any]] = {}
T = TypeVar("T")


def _keep(connection: Connection, what: str, unit_id: UUID, seconds: float, find: Callable[[], T]) -> T:
    """``find()``, or what it gave for this database and unit less than ``seconds`` ago."""
    key, now = (str(connection.engine.url), what, unit_id), time.monotonic()
    known = _kept.get(key)
    if known is not None and known[0] > now:
        return cast(T, known[1])
    found = find()
    if len(_kept) > 10_000:
        _kept.clear()
    _kept[key] = (now + seconds, found)
    return found


def _scope_is_small(connection: Connection, unit_id: UUID, households_at_most: int) -> bool:
    """Whether the scope holds at most that many households (counting stops just past it)."""

    def count() -> bool:
        some = select(households.c.household_id).where(_SCOPE).limit(households_at_most + 1)
        statement = select(func.count()).select_from(some.subquery())
        return bool(connection.execute(statement, {"scope": unit_id}).scalar_one() <= households_at_most)

    return _keep(connection, f"small-{households_at_most}", unit_id, SIZE_SECONDS, count)


def _by_scope(connection: Connection, unit_id: UUID, query: PersonQuery) -> list[dict[str, Any]]:
    statement = (
        _columns()
        .join(households, households.c.household_id == persons.c.household_id)
        .where(_SCOPE, persons.c.erased_on.is_(None), persons.c.left_on.is_(None))
        .where(*(_starts_a_word(persons.c.name_key, word) for word in query.words))
        .order_by(persons.c.sort_key, persons.c.person_id)
        .limit(query.limit)
    )
    if query.citizen_id is not None:
        statement = statement.where(persons.c.citizen_id == query.citizen_id)
    if query.phone is not None:
        statement = statement.where(persons.c.phone == query.phone)
    if query.after is not None:
        after_key, after_id = query.after
        statement = statement.where(_after(persons.c.sort_key, persons.c.person_id, after_key, after_id))
    return [dict(row._mapping) for row in connection.execute(statement, {"scope": unit_id})]


def _by_word(
    connection: Connection, unit_id: UUID, words: Sequence[str], limit: int, after: Cursor | None
) -> list[dict[str, Any]]:
    ways = ways_in(connection, words)
    if ways is None:
        return []  # nobody's name has such a word, or such two words
    _, entries, answered = min(ways, key=lambda way: way[0])
    others = [word for word in words if word not in answered]
    statement = _candidates_statement(len(entries), len(others))
    values: dict[str, Any] = {f"entry_{i}": entry for i, entry in enumerate(entries)}
    for i, word in enumerate(others):
        values[f"other_{i}_first"], values[f"other_{i}_later"] = _word_patterns(word)
    scope = unit_tree(connection, units).below(unit_id)
    found: list[dict[str, Any]] = []
    batch = limit  # a city-wide scope keeps nearly every candidate: a page's worth first
    while len(found) < limit:
        position = {"after_key": after[0], "after_id": after[1]} if after else _FIRST
        rows = connection.execute(statement, values | position | {"batch": batch}).all()
        found += [row._asdict() for row in rows if row.unit_id in scope]
        if len(rows) < batch:
            break  # the index has no more
        after = (rows[-1].sort_key, rows[-1].person_id)
        batch = min(batch * 2, 5_000)  # a small scope keeps few candidates: read further ahead
    return found[:limit]


# Before every position: a sort key sorts after the empty text, and a person id after the nil id.
_FIRST = {"after_key": "", "after_id": UUID(int=0)}
_STATEMENTS: dict[tuple[int, int], Select[Any]] = {}


def _candidates_statement(entries: int, others: int) -> Select[Any]:
    """The next ``batch`` persons after a position whose name has one of ``entries`` index entries
    and a word starting with each of ``others``, with what a result shows and their unit (the
    scope is kept in memory): one ordered index range per entry, each limited on its own (an
    ordered index scan that stops at ``batch`` whatever PostgreSQL estimates of the other words;
    sorting and limiting after the joins let it sort every match), merged in order, then joined.
    Built once per shape: building it cost more CPU than running it."""
    statement = _STATEMENTS.get((entries, others))
    if statement is not None:
        return statement
    index = person_name_words
    after_key, after_id = bindparam("after_key", type_=SORT_KEY), bindparam("after_id", type_=Uuid)
    where = [_after(index.c.sort_key, index.c.person_id, after_key, after_id)]
    for i in range(others):
        where.append(
            or_(
                index.c.name_key.like(bindparam(f"other_{i}_first"), escape="\\"),
                index.c.name_key.like(bindparam(f"other_{i}_later"), escape="\\"),
            )
        )
    ranges = [
        select(index.c.sort_key, index.c.person_id)
        .where(index.c.word == bindparam(f"entry_{i}"), *where)
        .order_by(index.c.sort_key, index.c.person_id)
        .limit(bindparam("batch", type_=Integer))
        for i in range(entries)
    ]
    if entries == 1:
        candidates = ranges[0].subquery("candidates")
    else:
        merged = union_all(*(r.subquery().select() for r in ranges))
        candidates = (
            merged.order_by("sort_key", "person_id")
            .limit(bindparam("batch", type_=Integer))
            .subquery("candidates")
        )
    statement = (
        _columns(candidates.c.person_id, candidates.c.sort_key)
        .select_from(candidates)
        # Outer joins: every candidate counts towards the batch, found or not.
        .outerjoin(persons, persons.c.person_id == candidates.c.person_id)
        .outerjoin(households, households.c.household_id == persons.c.household_id)
        .order_by(candidates.c.sort_key, candidates.c.person_id)
    )
    if len(_STATEMENTS) < 1_000:  # shapes: entries of a prefix times other words, a few hundred
        _STATEMENTS[(entries, others)] = statement
    return statement
