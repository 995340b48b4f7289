"""Tables of the registry's read database."""

from sqlalchemy import (
    Column,
    Date,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Uuid,
)

from tothon_shared.kernel.sqltypes import UtcDateTime
from tothon_shared.readstore.store import bookkeeping_tables

metadata = MetaData()
# Compared bytewise on PostgreSQL: the keys are built so that byte order is the wanted order.
SORT_KEY = String(800).with_variant(String(800, collation="C"), "postgresql")
WORD_LENGTH = 60  # longer "words" of a name are left to the searches that read a scope's persons
# An entry of the name index: a word, or two (" a b").
WORD = String(2 * WORD_LENGTH + 2).with_variant(String(2 * WORD_LENGTH + 2, collation="C"), "postgresql")
bookkeeping_tables(metadata)

units = Table(
    "units",
    metadata,
    Column("unit_id", Uuid, primary_key=True),
    Column("kind", String(30), nullable=False),
    Column("name", String(200), nullable=False),
    Column("code", String(20), index=True),
    Column("code_scheme", String(40)),
    Column("parent_id", Uuid, index=True),
    Column("effective_from", Date, nullable=False),
    # Set once the unit is superseded: the day it ceased and its default successor.
    Column("effective_to", Date),
    Column("successor_id", Uuid, index=True),
)

# Every version of a unit (name and parent from a date), for "as of a date" reads.
unit_versions = Table(
    "unit_versions",
    metadata,
    Column("unit_id", Uuid, primary_key=True),
    Column("valid_from", Date, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("parent_id", Uuid),
)

# Which units each superseded unit became (merge: one; split: several, the default at 0).
unit_successions = Table(
    "unit_successions",
    metadata,
    Column("predecessor_id", Uuid, primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("successor_id", Uuid, nullable=False, index=True),
    Column("change", String(20), nullable=False),
    Column("effective_from", Date, nullable=False),
)

households = Table(
    "households",
    metadata,
    Column("household_id", Uuid, primary_key=True),
    Column("unit_id", Uuid, nullable=False, index=True),
    Column("code", String(40), nullable=False),
    Column("head_person_id", Uuid, nullable=False),
    Column("member_count", Integer, nullable=False),
    Column("registered_on", Date, nullable=False),
    # When the household was last checked against reality (registration counts as a check).
    Column("verified_on", Date, nullable=False),
)

# Which spreadsheet import registered a household (none for one registered by hand): the
# worklist sums up a rule that flags nearly every record of an import once, not once a record.
household_imports = Table(
    "household_imports",
    metadata,
    Column("household_id", Uuid, primary_key=True),
    Column("import_id", Uuid, nullable=False, index=True),
)

household_members = Table(
    "household_members",
    metadata,
    # No foreign key: read models are rebuilt in bulk and a per-row check would slow that down.
    Column("household_id", Uuid, primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("person_id", Uuid, nullable=False, index=True),
    Column("relationship", String(30), nullable=False),
)

# Persons with their details, decrypted for lookups. Erasure empties every personal column and
# keeps the row, so member counts and totals do not change.
persons = Table(
    "persons",
    metadata,
    Column("person_id", Uuid, primary_key=True),
    Column("household_id", Uuid, nullable=False, index=True),
    Column("relationship", String(30), nullable=False),
    Column("full_name", String(200)),
    Column("family_name", String(200)),
    Column("middle_name", String(200)),
    Column("given_name", String(200)),
    # Folded (no tones, lower case, đ → d) for search; the Vietnamese order, compared bytewise.
    Column("name_key", String(200), index=True),
    Column("sort_key", SORT_KEY, index=True),
    Column("sex", String(10)),
    Column("birth_date", Date),
    Column("birth_year", Integer),
    Column("citizen_id", String(12), index=True),
    Column("phone", String(16), index=True),
    Column("ethnicity", String(60)),
    Column("religion", String(60)),
    Column("occupation", String(100)),
    Column("health_status", String(200)),
    Column("poverty_status", String(30)),
    Column("residence_status", String(30)),
    Column("residence_valid_until", Date),
    # Set when the person left the household (moved out, died); they are no longer found by search.
    Column("left_reason", String(20)),
    Column("left_on", Date),
    Column("erased_on", Date),
)

# City-wide name search: each word (and each pair of words, see ``pair_key``) of each findable
# person's folded name (not left, not erased), with the person's sort key. One index range per
# word is then already in the Vietnamese order, so a page of a search over a million people reads
# a few dozen index entries instead of sorting every match (a trigram index found candidates fast
# but left them to be sorted: 40–1,200 ms). The folded full name rides along so the other words of
# a query are checked in the same index.
person_name_words = Table(
    "person_name_words",
    metadata,
    Column("person_id", Uuid, primary_key=True),
    Column("word", WORD, primary_key=True),
    Column("sort_key", SORT_KEY, nullable=False),
    Column("name_key", String(200), nullable=False),
)
Index(
    "person_name_words_ordered",
    person_name_words.c.word,
    person_name_words.c.sort_key,
    person_name_words.c.person_id,
    postgresql_include=["name_key"],
)


def pair_key(first: str, second: str) -> str:
    """The index entry of two words of one name: a full name's two rarest words together leave a
    page's worth of entries to check, where its rarest word alone (Trần, Thanh, Anh: a tenth of a
    city each) left thousands. It starts with a space, so no word's prefix range includes it."""
    return " " + " ".join(sorted((first, second)))


# How many findable persons carry each name word (and each pair of words): a search starts from
# its rarest word or pair, and a word typed in part ("ngu") stands for the words it begins.
name_vocabulary = Table(
    "name_vocabulary",
    metadata,
    Column("word", WORD, primary_key=True),
    Column("persons", Integer, nullable=False),
)

# A person's consents: current state with when each was last given and withdrawn.
person_consents = Table(
    "person_consents",
    metadata,
    Column("person_id", Uuid, primary_key=True),
    Column("purpose", String(40), primary_key=True),
    Column("given_at", UtcDateTime),
    Column("withdrawn_at", UtcDateTime),
)

accounts = Table(
    "accounts",
    metadata,
    Column("account_id", Uuid, primary_key=True),
    Column("username", String(60), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("household_id", Uuid),
    Column("locked_until", UtcDateTime),
)

role_assignments = Table(
    "role_assignments",
    metadata,
    Column("account_id", Uuid, primary_key=True),
    Column("role", String(30), primary_key=True),
    Column("unit_id", Uuid, primary_key=True, index=True),
    Column("granted_by", String(36), nullable=False),
    Column("reason", String(500), nullable=False),
    Column("granted_at", UtcDateTime, nullable=False),
)

# Append-only: every read of personal data by an official (Law 91/2025), shown to the residents
# concerned. Written in the request that reads, before the data is returned.
personal_data_reads = Table(
    "personal_data_reads",
    metadata,
    Column("read_id", Integer, primary_key=True, autoincrement=True),
    Column("household_id", Uuid, nullable=False, index=True),
    # Set for a read of one person's details; empty for a read of the household as a whole.
    Column("person_id", Uuid),
    Column("reader_account_id", Uuid, nullable=False),
    Column("reader_name", String(200), nullable=False),
    Column("fields", String(500), nullable=False),
    Column("purpose", String(200), nullable=False),
    Column("read_at", UtcDateTime, nullable=False),
)

# Ghost-resident flags and their review; the notes are personal data (erasure empties them).
presence_flags = Table(
    "presence_flags",
    metadata,
    Column("flag_id", Uuid, primary_key=True),
    Column("unit_id", Uuid, nullable=False, index=True),
    Column("household_id", Uuid, nullable=False),
    Column("person_id", Uuid, index=True),
    Column("kind", String(30), nullable=False),
    Column("observed_on", Date, nullable=False),
    Column("note", String(1000)),
    Column("raised_at", UtcDateTime, nullable=False),
    Column("decision", String(20)),
    Column("review_note", String(1000)),
    Column("reviewer_role", String(30)),
    Column("reviewed_at", UtcDateTime),
)

# Corrections proposed and decided (maker-checker); the values and reasons are personal data.
corrections = Table(
    "corrections",
    metadata,
    Column("correction_id", Uuid, primary_key=True),
    Column("person_id", Uuid, nullable=False, index=True),
    Column("household_id", Uuid, nullable=False, index=True),
    Column("changes", String(4000)),  # JSON
    Column("reason", String(1000)),
    Column("proposer_role", String(30), nullable=False),
    Column("proposed_at", UtcDateTime, nullable=False),
    Column("decision", String(20)),
    Column("decision_reason", String(1000)),
    Column("decided_at", UtcDateTime),
)

# Spreadsheet imports and their progress: operational state of a running job, not events (the
# households an import registers are events like any other).
imports = Table(
    "imports",
    metadata,
    Column("import_id", Uuid, primary_key=True),
    Column("unit_id", Uuid, nullable=False),
    Column("filename", String(200), nullable=False),
    Column("started_by", Uuid, nullable=False),
    Column("status", String(20), nullable=False),
    Column("total_rows", Integer, nullable=False),
    Column("processed_rows", Integer, nullable=False),
    Column("households_created", Integer, nullable=False),
    Column("households_unchanged", Integer, nullable=False),
    Column("households_refused", Integer, nullable=False),
    Column("errors", String),  # JSON: [{row, message}]
    Column("started_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime),
)
