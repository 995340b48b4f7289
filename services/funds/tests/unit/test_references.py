"""Payment references survive what banks do to a transfer note, and a statement's lines are
matched by them, the others left for the leader (how fast is the benchmark's to say)."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from hypothesis import given
from hypothesis import strategies as st

from tothon_funds.domain.references import StatementLine, match, reference, references_in
from tothon_funds.domain.vietqr import NOTE


def test_a_reference_is_stable_short_and_fit_for_a_transfer_note() -> None:
    obligation = uuid4()
    assert reference(obligation) == reference(obligation)
    assert len(reference(obligation)) == 10
    assert NOTE.match(f"{reference(obligation)} QUY PCTT 2026")


@given(
    before=st.text(alphabet="abcdefghijklmnopqrstuvwxyz .-/0123456789", max_size=30),
    after=st.text(alphabet="abcdefghijklmnopqrstuvwxyz .-/0123456789", max_size=30),
    lower=st.booleans(),
    spaced=st.booleans(),
)
def test_a_reference_is_found_whatever_the_bank_wraps_around_it(
    before: str, after: str, lower: bool, spaced: bool
) -> None:
    ref = reference(uuid4())
    shown = ref.lower() if lower else ref
    shown = " ".join(shown) if spaced else shown
    assert ref in references_in(f"{before}{shown}{after}")


def test_a_statement_is_matched_by_reference_and_the_rest_left_for_the_leader() -> None:
    owed = {reference(o): o for o in (uuid4(), uuid4())}
    first, second = owed
    lines = [
        StatementLine(1, date(2026, 3, 2), 45_000, f"MBVCB.3301.{first}.Nop quy PCTT"),
        StatementLine(2, date(2026, 3, 2), 30_000, f"chuyen tien {second.lower()} ho 17"),
        StatementLine(3, date(2026, 3, 3), 50_000, "Nguyen Van A chuyen khoan"),
        StatementLine(4, date(2026, 3, 3), -20_000, f"phi {first}"),
    ]
    matched, unmatched = match(lines, owed)
    assert [(m.statement_line.line, m.obligation) for m in matched] == [(1, owed[first]), (2, owed[second])]
    assert [line.line for line in unmatched] == [3, 4]


def test_a_statement_of_ten_thousand_lines_is_matched_line_by_line() -> None:
    owed = {reference(o): o for o in (uuid4() for _ in range(10_000))}
    refs = list(owed)
    lines = [
        StatementLine(n, date(2026, 3, 2), 15_000, f"IBFT {refs[n]} nop quy" if n % 10 else "chuyen khoan")
        for n in range(10_000)
    ]
    matched, unmatched = match(lines, owed)
    assert (len(matched), len(unmatched)) == (9_000, 1_000)
