"""Which entries of the name index a query's words lead to, and how many persons each stands for:
the words of findable names kept in memory (refreshed every few seconds), and the pairs of words
asked for and kept a moment. A count only chooses the way into the index, never the results."""

from __future__ import annotations

import time
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from sqlalchemy import (
    Connection,
    and_,
    bindparam,
    or_,
    select,
)

from tothon_registry.readmodels.tables import (
    name_vocabulary,
    pair_key,
)
from tothon_shared.readstore.refreshed import Refreshed


@dataclass(frozen=True)
class Vocabulary:
    """The words of findable persons' names, each with how many persons carry it (no pairs)."""

    words: list[str]  # in order: the words a prefix begins are neighbours
    persons: dict[str, int]

    def beginning_with(self, prefix: str) -> dict[str, int]:
        """The words that begin with ``prefix``, with their counts."""
        found: dict[str, int] = {}
        for word in self.words[bisect_left(self.words, prefix) :]:
            if not word.startswith(prefix):
                break
            found[word] = self.persons[word]
        return found


def _read_vocabulary(connection: Connection) -> Vocabulary:
    # Pairs start with a space: every single word sorts at or after "!".
    rows = connection.execute(_SINGLE_WORDS).all()
    return Vocabulary(sorted(row.word for row in rows), {row.word: row.persons for row in rows})


_SINGLE_WORDS = select(name_vocabulary.c.word, name_vocabulary.c.persons).where(name_vocabulary.c.word >= "!")
VOCABULARY_SECONDS = 5.0
# A city's names hold a few thousand distinct words (Vietnamese has fewer syllables than that once
# tones are folded away): kept in memory, a search needs no query to find where to start.
_VOCABULARY = Refreshed("name words", VOCABULARY_SECONDS, _read_vocabulary)


def _singles(connection: Connection, words: Sequence[str]) -> dict[str, dict[str, int]]:
    """For each query word, the name words it begins and how many persons carry each."""
    vocabulary = _VOCABULARY.get(connection)
    singles = {word: vocabulary.beginning_with(word) for word in words}
    unknown = [word for word, found in singles.items() if not found]
    if unknown:  # in nobody's name, or in a name newer than the words kept in memory
        ranges = [
            and_(name_vocabulary.c.word >= word, name_vocabulary.c.word < word[:-1] + chr(ord(word[-1]) + 1))
            for word in unknown
        ]
        rows = connection.execute(_SINGLE_WORDS.where(or_(*ranges))).all()
        if rows:
            _VOCABULARY.expire(connection)
        for word in unknown:
            singles[word] = {row.word: row.persons for row in rows if row.word.startswith(word)}
    return singles


MAX_PAIR_RANGES = 24  # a pair of short prefixes ("a", "t") stands for too many pairs of words
_PAIRS = select(name_vocabulary.c.word, name_vocabulary.c.persons).where(
    name_vocabulary.c.word.in_(bindparam("keys", expanding=True))
)


# Pairs found are kept for a few seconds, by database: a count only chooses the way into the index
# (a pair gone since leads to an empty range, which is the right answer), and a search of a
# common name then needs no round trip for it. A pair not found is asked again every time: it
# may be in the name of a person registered a moment ago.
PAIR_SECONDS = 5.0
_pair_counts: dict[tuple[str, str], tuple[float, int]] = {}


def _pairs(connection: Connection, keys: set[str]) -> dict[str, int]:
    database, now = str(connection.engine.url), time.monotonic()
    counts: dict[str, int] = {}
    unknown = []
    for key in keys:
        kept = _pair_counts.get((database, key))
        if kept is not None and kept[0] > now:
            counts[key] = kept[1]
        else:
            unknown.append(key)
    if unknown:
        found = {row.word: row.persons for row in connection.execute(_PAIRS, {"keys": sorted(unknown)})}
        if len(_pair_counts) > 100_000:
            _pair_counts.clear()
        for key, persons in found.items():
            _pair_counts[(database, key)] = (now + PAIR_SECONDS, persons)
        counts |= found
    return counts


def ways_in(connection: Connection, words: Sequence[str]) -> list[tuple[int, list[str], set[str]]] | None:
    """Each way into the name index: (persons, its entries, the query words it answers), for each
    query word and each pair of them; None when some word or pair is in nobody's name."""
    singles = _singles(connection, words)
    if not all(singles.values()):
        return None
    ways = [(sum(singles[q].values()), sorted(singles[q]), {q}) for q in words]
    # Two query words answer to two different words of a name unless one begins the other ("b
    # be" finds Bê alone): only such two words are a pair of entries. The other pairs of the same
    # query still are ("ngo thanh ngoc" goes by Thanh with Ngọc, not by every Ngọc of the city).
    pairs = {
        (q1, q2): {pair_key(x, y) for x in singles[q1] for y in singles[q2]}
        for q1, q2 in combinations(words, 2)
        if not (q1.startswith(q2) or q2.startswith(q1))
        and len(singles[q1]) * len(singles[q2]) <= MAX_PAIR_RANGES
    }
    counts = _pairs(connection, set().union(*pairs.values()))
    for (q1, q2), keys in pairs.items():
        present = sorted(k for k in keys if k in counts)
        if not present:
            return None
        ways.append((sum(counts[k] for k in present), present, {q1, q2}))
    return ways
