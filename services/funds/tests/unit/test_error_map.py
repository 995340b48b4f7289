"""Funds' map from its domain errors to problem details: every rule its code raises becomes a
problem with a Vietnamese and an English message."""

from __future__ import annotations

import pytest
from raise_sites import RaiseSite, raise_sites

import tothon_funds
from tothon_funds.api.errors import FUNDS_ERRORS
from tothon_funds.bootstrap import DEFINITION
from tothon_funds.domain.errors import FundsError, LedgerError
from tothon_funds.domain.expense import ExpenseError
from tothon_shared.http.messages import CATALOGUE as GENERAL_MESSAGES
from tothon_shared.http.messages import Catalogue
from tothon_shared.kernel.errors import CodedError

CATALOGUE = Catalogue(GENERAL_MESSAGES, DEFINITION.messages)


def _raise_sites() -> list[RaiseSite]:
    return raise_sites(tothon_funds, FundsError)


@pytest.mark.parametrize(
    ("where", "line", "error", "code"), _raise_sites(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_refusal_of_the_funds_domain_becomes_a_problem_with_a_message(
    where: str, line: int, error: type[CodedError], code: str | None
) -> None:
    raised = error.__new__(error)
    raised.code = code
    refusal = FUNDS_ERRORS.refusal(raised)
    assert refusal is not None, f"{where}:{line}: {error.__name__}(code={code!r}) has no entry"
    key = refusal.key.format(code=code) if "{code}" in refusal.key else refusal.key
    assert CATALOGUE.text(key, "vi"), f"{where}:{line}: no message {key}"
    assert CATALOGUE.text(key, "en"), f"{where}:{line}: no message {key}"


def test_the_raise_sites_are_found() -> None:
    sites = {(w, e, c) for w, _, e, c in _raise_sites()}
    assert len(sites) > 25
    assert ("domain/ledger.py", LedgerError, "reversal_of_reversal") in sites


def test_self_approval_is_forbidden_and_a_second_reversal_a_conflict() -> None:
    own = FUNDS_ERRORS.problem(ExpenseError(code="self_approval"))
    again = FUNDS_ERRORS.problem(LedgerError(code="reversed_already"))
    assert own is not None
    assert again is not None
    assert (own.status, again.status) == (403, 409)
