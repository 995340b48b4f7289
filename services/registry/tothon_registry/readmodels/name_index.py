"""The name index: the parts and keys of a name, and the words (and pairs of words) a person is
found by, with the vocabulary's counts that let a search tell a rare word from a common one."""

from __future__ import annotations

from collections import Counter
from itertools import combinations
from uuid import UUID

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tothon_registry.domain.names import PersonName
from tothon_registry.readmodels.page_writes import Writes
from tothon_registry.readmodels.tables import WORD_LENGTH, name_vocabulary, pair_key, person_name_words

NAME_COLUMNS = ("family_name", "middle_name", "given_name", "name_key", "sort_key")


def name_columns(full_name: str | None) -> dict[str, str | None]:
    """The parts and keys of a name, for the persons table."""
    if not full_name:
        return dict.fromkeys(NAME_COLUMNS)
    name = PersonName.parse(full_name)
    return {
        "family_name": name.family,
        "middle_name": name.middle,
        "given_name": name.given,
        "name_key": name.search_key,
        "sort_key": name.sort_key,
    }


def index_name(writes: Writes, person_id: UUID, name_key: str, sort_key: str) -> None:
    """Make a person findable by each word of their name and each pair of them."""
    # A word twice in a name is one entry; a "word" longer than any name's is left to the
    # searches that read a scope's persons.
    words = sorted(w for w in set(name_key.split()) if len(w) <= WORD_LENGTH)
    for word in [*words, *(pair_key(a, b) for a, b in combinations(words, 2))]:
        writes.insert(
            person_name_words,
            {"person_id": person_id, "word": word, "sort_key": sort_key, "name_key": name_key},
        )
        writes.vocabulary[word] += 1


def unindex_name(writes: Writes, person_id: UUID) -> bool:
    """Stop finding a person by name; whether they were findable."""
    writes.flush()
    words = writes.session.scalars(
        person_name_words.delete()
        .where(person_name_words.c.person_id == person_id)
        .returning(person_name_words.c.word)
    ).all()
    writes.vocabulary.subtract(words)
    return bool(words)


def count_words(session: Session, changes: Counter[str]) -> None:
    """Apply a page's word counts to the vocabulary: one upsert for all, then drop unused words."""
    rows = [{"word": word, "persons": n} for word, n in sorted(changes.items()) if n]
    shrank = any(n < 0 for n in changes.values())
    if not rows:
        return
    dialect = postgresql if session.connection().dialect.name == "postgresql" else sqlite
    insert = dialect.insert(name_vocabulary)
    session.execute(
        insert.on_conflict_do_update(
            index_elements=["word"], set_={"persons": name_vocabulary.c.persons + insert.excluded.persons}
        ),
        rows,
    )
    if shrank:
        session.execute(name_vocabulary.delete().where(name_vocabulary.c.persons <= 0))
