"""Receipts and funds for anyone checking a receipt: a projection of the funds' own events, and
the lookup by verification code (what a receipt shows, and whether it was voided)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tothon_funds.domain.books import FundBooks
from tothon_funds.domain.fund import Fund
from tothon_funds.readmodels.tables import funds, receipts
from tothon_shared.eventstore.notification_log import LoggedEvent
from tothon_shared.readstore.store import ReadStore
from tothon_shared.runtime.definition import ProjectionSpec


def apply(session: Session, batch: Sequence[LoggedEvent]) -> None:
    """Record funds opened, receipts issued, and receipts voided by their payment's reversal."""
    for logged in batch:
        event: Any = logged.event
        if isinstance(event, Fund.Opened):
            session.execute(
                funds.insert().values(
                    fund_id=event.originator_id,
                    books_id=FundBooks.create_id(event.originator_id),
                    unit_id=event.unit_id,
                    name=event.name,
                    kind=event.kind,
                )
            )
        elif isinstance(event, FundBooks.Posted) and event.receipt_code is not None:
            # A fund and its books are opened in one save, the fund first: its row is there.
            fund_id = session.execute(
                select(funds.c.fund_id).where(funds.c.books_id == event.originator_id)
            ).scalar_one()
            means, amount = next((str(a), int(str(n))) for a, n in event.lines if int(str(n)) > 0)
            session.execute(
                receipts.insert().values(
                    code=event.receipt_code,
                    entry_id=event.entry_id,
                    fund_id=fund_id,
                    number=event.receipt_number,
                    household_id=event.household_id,
                    amount=amount,
                    means=means,
                    paid_at=event.at,
                    void=False,
                )
            )
        elif isinstance(event, FundBooks.Posted) and event.reverses is not None:
            session.execute(receipts.update().where(receipts.c.entry_id == event.reverses).values(void=True))


PROJECTION = ProjectionSpec(
    "funds_receipts", apply, (funds, receipts), events=(Fund.Opened, FundBooks.Posted)
)


def receipt(store: ReadStore, code: str) -> dict[str, Any] | None:
    """A receipt by its verification code, with its fund's name and kind."""
    query = (
        select(receipts, funds.c.name.label("fund_name"), funds.c.kind.label("fund_kind"), funds.c.unit_id)
        .join(funds, funds.c.fund_id == receipts.c.fund_id)
        .where(receipts.c.code == code)
    )
    with store.engine.connect() as connection:
        row = connection.execute(query).first()
    return dict(row._mapping) if row is not None else None
