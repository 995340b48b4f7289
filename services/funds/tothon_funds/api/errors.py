"""Funds' one map from its domain errors to problem details: bad amounts and documents are 422,
a step the state of an expense or the books does not allow is 409, approving one's own expense
is 403, and what does not exist is 404."""

from __future__ import annotations

from tothon_funds.documents.fonts import FontMissingError
from tothon_funds.domain.books import BooksError
from tothon_funds.domain.errors import LedgerError, MoneyError, QrError
from tothon_funds.domain.expense import ExpenseError
from tothon_funds.domain.fund import FundError
from tothon_funds.domain.levies import LevyError
from tothon_funds.domain.statements import StatementError
from tothon_shared.http.error_map import ErrorMap, Refusal

FUNDS_ERRORS = ErrorMap(
    {
        MoneyError: Refusal(422, "funds.money.{code}"),
        LedgerError: Refusal(422, "funds.ledger.{code}"),
        (LedgerError, "duplicate_entry"): Refusal(409, "funds.ledger.duplicate_entry"),
        (LedgerError, "reversed_already"): Refusal(409, "funds.ledger.reversed_already"),
        (LedgerError, "reversal_of_reversal"): Refusal(409, "funds.ledger.reversal_of_reversal"),
        (LedgerError, "unknown_entry"): Refusal(404, "funds.ledger.unknown_entry"),
        QrError: Refusal(422, "funds.qr.{code}"),
        LevyError: Refusal(422, "funds.levy.{code}"),
        FundError: Refusal(422, "funds.fund.{code}"),
        (FundError, "not_found"): Refusal(404, "funds.fund.not_found"),
        (FundError, "closed_period"): Refusal(409, "funds.fund.closed_period"),
        ExpenseError: Refusal(422, "funds.expense.{code}"),
        (ExpenseError, "state"): Refusal(409, "funds.expense.state"),
        (ExpenseError, "self_approval"): Refusal(403, "funds.expense.self_approval"),
        (ExpenseError, "approved_twice"): Refusal(409, "funds.expense.approved_twice"),
        BooksError: Refusal(422, "funds.books.{code}"),
        (BooksError, "insufficient_funds"): Refusal(409, "funds.books.insufficient_funds"),
        (FundError, "levy_not_found"): Refusal(404, "funds.fund.levy_not_found"),
        (LevyError, "exemption_not_found"): Refusal(404, "funds.levy.exemption_not_found"),
        StatementError: Refusal(422, "funds.statement.{code}"),
        (StatementError, "line_not_open"): Refusal(409, "funds.statement.line_not_open"),
        (StatementError, "line_paid"): Refusal(409, "funds.statement.line_paid"),
        # The server's own lack, not the caller's mistake: try again once it is installed.
        FontMissingError: Refusal(503, "funds.documents.{code}"),
    }
)
