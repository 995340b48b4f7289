"""Routes for bank statements: the keeper uploads the bank's export (CSV or XLSX, the request
body) and names its bank; the transfers whose notes carry a payment reference are paid in at once,
the others are listed to match by hand; a bank whose export is not known (or changed) has its
columns named once for the fund."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from tothon_funds.api.access import app_of, fund_for, household_within, store_of
from tothon_funds.domain.statements import (
    BANKS,
    FIELDS,
    REQUIRED,
    ReadLine,
    StatementError,
    StatementFormat,
    credits,
)
from tothon_funds.messages import MESSAGES
from tothon_funds.permissions import FundsPermission
from tothon_funds.readmodels import queries
from tothon_shared.auth.http import require
from tothon_shared.auth.principal import Principal
from tothon_shared.http.commands import run_command
from tothon_shared.http.openapi import problems
from tothon_shared.http.problems import ProblemError
from tothon_shared.sheets import SheetError, data_rows, find_header, tables

READ, MANAGE = FundsPermission.FUNDS_READ, FundsPermission.FUNDS_MANAGE
Keeper = Annotated[Principal, Depends(require(MANAGE))]
Reader = Annotated[Principal, Depends(require(READ))]
Bank = Annotated[str, Query(pattern=r"^[a-z0-9_-]{2,40}$")]
BankName = Annotated[str, Path(pattern=r"^[a-z0-9_-]{2,40}$")]
PREFIX = "funds.statement"
STATEMENTS = "/api/v1/funds/{fund_id}/statements"  # its body limit (bootstrap)

router = APIRouter(prefix="/api/v1/funds", tags=["statements"])


class LineOut(BaseModel):
    key: str
    row: int
    booked_on: date
    amount: int
    description: str


class PaidLineOut(LineOut):
    entry_id: UUID
    receipt_number: str
    household_id: UUID


class ImportOut(BaseModel):
    statement_id: UUID
    paid: list[PaidLineOut]
    unmatched: list[LineOut]
    already_paid: int = Field(description="Lines paid in by an earlier import.")


def _line(read: ReadLine) -> dict[str, Any]:
    line = read.line
    return {
        "key": read.key,
        "row": line.line,
        "booked_on": line.booked_on,
        "amount": line.amount,
        "description": line.description,
    }


def _read(content: bytes, filename: str, form: StatementFormat) -> list[ReadLine]:
    """The statement's credits as its bank's format reads them; a column the format does not
    know refuses it, named."""
    header = find_header(tables(content, filename, PREFIX), form.field_of, REQUIRED, PREFIX, _header_of(form))
    if header.ignored:  # skipped columns read as "", only the unknown ones are left here
        raise StatementError(code="unknown_columns", row=header.row, names=tuple(header.ignored))
    fields = header.fields
    rows = (
        (number, {f: c for f, c in zip(fields, cells, strict=False) if f})
        for number, cells in data_rows(header, PREFIX)
    )
    read = credits(form.bank, rows)
    if not read:
        raise StatementError(code="no_lines")
    return read


def _header_of(form: StatementFormat) -> Any:
    return lambda field: form.columns[field][0]


def _refused(error: StatementError | SheetError) -> ProblemError:
    key = error.key if isinstance(error, SheetError) else f"{PREFIX}.{error.code}"
    extra: dict[str, Any] = {}
    names = error.missing if isinstance(error, SheetError) else error.names
    if names:
        extra["missing" if isinstance(error, SheetError) else "columns"] = list(names)
    if error.row is not None:
        extra["errors"] = [
            {
                "row": error.row,
                "message": f"Dòng {error.row}: {MESSAGES[key]['vi']}",
                "message_en": f"Row {error.row}: {MESSAGES[key]['en']}",
            }
        ]
    return ProblemError(422, key, **extra)


@router.get("/statement-banks")
async def statement_banks(_principal: Keeper) -> list[str]:
    """The banks whose statement exports are known (any other is mapped once per fund)."""
    return sorted(BANKS)


@router.post("/{fund_id}/statements", status_code=201, responses=problems(403, 404, 409, 422))
async def import_statement(
    fund_id: UUID,
    request: Request,
    principal: Keeper,
    bank: Bank,
    filename: Annotated[str, Query(min_length=5, max_length=200, pattern=r"(?i)\.(csv|xlsx)$")],
) -> ImportOut:
    """Import a bank statement of a fund you keep (the request body): each transfer whose note
    carries a household's payment reference is paid in, once; the rest are listed to match."""
    fund = await fund_for(request, principal, MANAGE, fund_id)
    content = await request.body()
    try:
        form = fund.statement_format(bank)
        lines = await run_in_threadpool(_read, content, filename, form)
    except (StatementError, SheetError) as error:
        raise _refused(error) from None
    app, store = app_of(request), store_of(request)

    def references() -> dict[str, tuple[UUID, UUID]]:
        with store.engine.connect() as connection:
            return queries.open_references(connection, fund_id)

    found = await run_in_threadpool(references)
    done = await run_command(
        request, app.import_statement, fund_id, bank, filename, lines, found, str(principal.account_id)
    )
    paid = [
        PaidLineOut(
            **_line(read),
            entry_id=receipt.entry_id,
            receipt_number=receipt.number,
            household_id=receipt.household_id,
        )
        for read, receipt in done.paid
    ]
    return ImportOut(
        statement_id=done.statement_id,
        paid=paid,
        unmatched=[LineOut(**_line(r)) for r in done.left],
        already_paid=done.already,
    )


class OpenLineOut(LineOut):
    statement_id: UUID
    bank: str


@router.get("/{fund_id}/statement-lines", responses=problems(403, 404))
async def open_lines(fund_id: UUID, request: Request, principal: Reader) -> list[OpenLineOut]:
    """The statement lines of a fund left to match by hand."""
    await fund_for(request, principal, READ, fund_id)
    rows = await run_in_threadpool(queries.open_lines, store_of(request), fund_id)
    return [OpenLineOut.model_validate(r) for r in rows]


class MatchIn(BaseModel):
    key: Annotated[str, Field(min_length=1, max_length=200)]
    household_id: UUID
    levy_id: UUID | None = None


class MatchedOut(BaseModel):
    entry_id: UUID
    receipt_number: str


@router.post(
    "/{fund_id}/statements/{statement_id}/matches", status_code=201, responses=problems(403, 404, 409, 422)
)
async def match_line(
    fund_id: UUID, statement_id: UUID, body: MatchIn, request: Request, principal: Keeper
) -> MatchedOut:
    """Match a statement line by hand to a household of the fund's unit (and a levy)."""
    fund = await fund_for(request, principal, MANAGE, fund_id)
    app = app_of(request)
    statement = await run_in_threadpool(app.statement, statement_id)
    if statement.fund_id != fund.id:
        raise ProblemError(404, "funds.statement.line_not_open")
    await household_within(request, fund, body.household_id)
    receipt = await run_command(
        request,
        app.match_line,
        statement_id,
        body.key,
        body.household_id,
        body.levy_id,
        str(principal.account_id),
    )
    return MatchedOut(entry_id=receipt.entry_id, receipt_number=receipt.number)


class MappingIn(BaseModel):
    """A bank's statement columns: the header of each field read (the day, the amount credited
    and the note required; the transaction number and the debit when the bank has them), and the
    headers of the columns to skip."""

    columns: dict[str, Annotated[str, Field(min_length=1, max_length=100)]]
    skipped: Annotated[list[Annotated[str, Field(min_length=1, max_length=100)]], Field(max_length=40)] = []


@router.put("/{fund_id}/statement-formats/{bank}", status_code=204, responses=problems(403, 404, 422))
async def map_statement(
    fund_id: UUID, bank: BankName, body: MappingIn, request: Request, principal: Keeper
) -> None:
    """Name a bank's statement columns for a fund you keep (once per bank)."""
    if set(body.columns) - set(FIELDS):
        raise ProblemError(422, "funds.statement.mapping")
    await fund_for(request, principal, MANAGE, fund_id)
    app = app_of(request)
    columns = {name: [header] for name, header in body.columns.items()}
    await run_command(
        request, app.map_statement, fund_id, bank, columns, list(body.skipped), str(principal.account_id)
    )
