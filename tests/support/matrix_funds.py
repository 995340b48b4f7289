"""Fresh funds subjects for the access matrix: a fund of the target group (with a levy, a
payment, an exemption or an expense when the call needs one), made through the funds service's
application as the system and awaited in its read models, so no case depends on another's."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime
from uuid import UUID

from fastapi.testclient import TestClient
from polling import wait_for

from tothon.embedded import Embedded
from tothon_funds.application import FundsApplication
from tothon_funds.domain.books import Means
from tothon_funds.domain.fund import BankAccount
from tothon_funds.domain.levies import Basis, Exemption, ExemptionGround, FundKind
from tothon_funds.domain.references import StatementLine
from tothon_funds.domain.statements import ReadLine
from tothon_shared.eventstore.context import acting_as

FUNDS = "/funds/api/v1/funds"
_serial = itertools.count(1)
YEAR = (date(2026, 1, 1), date(2026, 12, 31))


@dataclass(frozen=True)
class FundSubject:
    """A fund and what was made in it for one call."""

    fund: str
    levy: str = ""
    entry: str = ""
    exemption: str = ""
    expense: str = ""
    household: str = ""
    statement: str = ""
    line: str = ""


class FundsSubjects:
    """Makes, per call, the fund a funds case acts on, in a target group of the matrix."""

    def __init__(
        self, embedded: Embedded, client: TestClient, reader: dict[str, str], units: dict[str, str]
    ) -> None:
        app = embedded.runtimes["funds"].app
        assert isinstance(app, FundsApplication)
        self._app, self._client, self._reader, self._units = app, client, reader, units

    def fund(
        self,
        target: str,
        household: str,
        levy: bool = False,
        paid: bool = False,
        exempt: bool = False,
        expense: str = "",
        statement: bool = False,
    ) -> FundSubject:
        """A fund of ``target`` (with a levy; a payment by ``household``; its exemption; an expense
        ``proposed`` or ``approved``), visible to officials once made."""
        app, at, household_id = self._app, datetime.now(UTC), UUID(household)
        with acting_as("matrix"):
            fund_id = app.open_fund(
                UUID(self._units[target]),
                f"Quỹ thử {next(_serial)}",
                FundKind.COMMUNITY,
                "matrix",
                bank=BankAccount("970436", "0071000123456", "TO DAN PHO"),
                resolution="Biên bản họp tổ",
            )
            made = FundSubject(str(fund_id), household=household)
            if levy:
                levy_id = app.announce_levy(fund_id, Basis.HOUSEHOLD, 100_000, *YEAR, "matrix")
                app.impose(fund_id, levy_id, [household_id])
                made = FundSubject(str(fund_id), levy=str(levy_id), household=household)
            if paid or expense:
                entry = app.record_payment(fund_id, household_id, 200_000, Means.CASH, at, "matrix")
                made = FundSubject(made.fund, made.levy, str(entry.entry_id), household=household)
            if exempt:
                exemption = Exemption(ExemptionGround.STUDENT, "Giấy xác nhận", *YEAR, 1)
                exemption_id = app.exempt(household_id, fund_id, exemption, "matrix")
                made = FundSubject(made.fund, exemption=str(exemption_id), household=household)
            if expense:
                expense_id = app.propose_expense(fund_id, 50_000, "Mua chổi", ["Hoá đơn 1"], "matrix", at)
                if expense == "approved":
                    app.approve_expense(expense_id, "matrix-approver", at)
                made = FundSubject(
                    made.fund, made.levy, made.entry, expense=str(expense_id), household=household
                )
            if statement:
                read = ReadLine(
                    f"matrix:{next(_serial)}", StatementLine(7, date(2026, 3, 1), 50_000, "ung ho")
                )
                done = app.import_statement(fund_id, "vietcombank", "sao-ke.csv", [read], {}, "matrix")
                made = FundSubject(
                    made.fund, statement=str(done.statement_id), line=read.key, household=household
                )
        self._visible(f"{FUNDS}/{fund_id}")
        if made.line:
            path = f"{FUNDS}/{fund_id}/statement-lines"
            wait_for(lambda: bool(self._client.get(path, headers=self._reader).json()), what=path)
        if made.entry:
            self._visible(f"{FUNDS}/receipts/{made.entry}.pdf")
        if made.levy:
            path = f"{FUNDS}/{fund_id}/levies/{made.levy}/collection"
            wait_for(lambda: bool(self._client.get(path, headers=self._reader).json()), what=path)
        return made

    def _visible(self, path: str) -> None:
        wait_for(lambda: self._client.get(path, headers=self._reader).status_code == 200, what=path)
