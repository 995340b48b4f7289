"""Reads over the funds' books: a fund and its levies, what a household owes and paid, a levy's
collection list, the references a statement is matched against, and a receipt by its code."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from tothon_funds.readmodels.tables import (
    DIRECTORY,
    funds,
    household_accounts,
    levies,
    obligations,
    receipts,
    statement_lines,
)
from tothon_shared.auth.lineage import below
from tothon_shared.readstore.store import ReadStore


def _rows(store: ReadStore, query: Any) -> list[dict[str, Any]]:
    with store.engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(query)]


def _row(store: ReadStore, query: Any) -> dict[str, Any] | None:
    rows = _rows(store, query)
    return rows[0] if rows else None


def household_unit(store: ReadStore, household_id: UUID) -> UUID | None:
    """The unit of a household's account, as projected (None: no account, or not projected yet)."""
    with store.engine.connect() as connection:
        return connection.execute(_HOUSEHOLD_UNIT, {"household_id": household_id}).scalar()


def household_units(store: ReadStore, household_ids: Sequence[UUID]) -> dict[UUID, UUID]:
    """The units of households' accounts, as projected (those without, or not yet, left out)."""
    query = select(household_accounts.c.household_id, household_accounts.c.unit_id).where(
        household_accounts.c.household_id.in_(set(household_ids))
    )
    with store.engine.connect() as connection:
        return {h: u for h, u in connection.execute(query).tuples()}


# Built once: a contribution asks it each time.
_HOUSEHOLD_UNIT = select(household_accounts.c.unit_id).where(
    household_accounts.c.household_id == bindparam("household_id")
)


def fund(store: ReadStore, fund_id: UUID) -> dict[str, Any] | None:
    """A fund as listed."""
    return _row(store, select(funds).where(funds.c.fund_id == fund_id))


def funds_of(
    store: ReadStore, unit_ids: Iterable[UUID], below_of: UUID | None = None
) -> list[dict[str, Any]]:
    """The funds of some units (and of every unit below ``below_of``), by name."""
    where: ColumnElement[bool] = funds.c.unit_id.in_(list(unit_ids))
    if below_of is not None:
        where = or_(where, funds.c.unit_id.in_(below(DIRECTORY.units, below_of)))
    return _rows(store, select(funds).where(where).order_by(funds.c.name))


def levies_of(store: ReadStore, fund_id: UUID) -> list[dict[str, Any]]:
    """A fund's levies, the latest period first."""
    query = select(levies).where(levies.c.fund_id == fund_id).order_by(levies.c.period_from.desc())
    return _rows(store, query)


def levy(store: ReadStore, levy_id: UUID) -> dict[str, Any] | None:
    return _row(store, select(levies).where(levies.c.levy_id == levy_id))


def _paid(*where: Any) -> Any:
    """What was paid (not reversed) per household and levy."""
    return (
        select(
            receipts.c.household_id,
            receipts.c.levy_id,
            func.sum(receipts.c.amount).label("paid"),
        )
        .where(receipts.c.void.is_(False), *where)
        .group_by(receipts.c.household_id, receipts.c.levy_id)
        .subquery()
    )


def collection(store: ReadStore, levy_id: UUID) -> list[dict[str, Any]]:
    """A levy's collection list: each household's code, what it owes and has paid, by code."""
    paid = _paid(receipts.c.levy_id == levy_id)
    query = (
        select(
            obligations.c.household_id,
            household_accounts.c.household_code,
            obligations.c.amount.label("owed"),
            func.coalesce(paid.c.paid, 0).label("paid"),
            obligations.c.reference,
        )
        .join(household_accounts, household_accounts.c.household_id == obligations.c.household_id)
        .outerjoin(paid, paid.c.household_id == obligations.c.household_id)
        .where(obligations.c.levy_id == levy_id)
        .order_by(household_accounts.c.household_code)
    )
    return _rows(store, query)


def dues(store: ReadStore, household_id: UUID) -> list[dict[str, Any]]:
    """A household's obligations with their fund and levy, what it paid of each, latest first."""
    paid = _paid(receipts.c.household_id == household_id)
    query = (
        select(
            obligations.c.obligation_id,
            obligations.c.reference,
            obligations.c.amount.label("owed"),
            func.coalesce(paid.c.paid, 0).label("paid"),
            levies.c.levy_id,
            levies.c.basis,
            levies.c.amount.label("rate"),
            levies.c.period_from,
            levies.c.period_to,
            funds.c.fund_id,
            funds.c.name.label("fund_name"),
            funds.c.kind.label("fund_kind"),
            funds.c.bank_bin,
            funds.c.bank_account,
            funds.c.bank_holder,
        )
        .join(levies, levies.c.levy_id == obligations.c.levy_id)
        .join(funds, funds.c.fund_id == obligations.c.fund_id)
        .outerjoin(paid, and_(paid.c.household_id == household_id, paid.c.levy_id == obligations.c.levy_id))
        .where(obligations.c.household_id == household_id)
        .order_by(levies.c.period_from.desc(), funds.c.name)
    )
    return _rows(store, query)


def receipts_of(store: ReadStore, household_id: UUID) -> list[dict[str, Any]]:
    """A household's receipts, the latest first, with their fund's name."""
    query = (
        select(receipts, funds.c.name.label("fund_name"), funds.c.kind.label("fund_kind"))
        .join(funds, funds.c.fund_id == receipts.c.fund_id)
        .where(receipts.c.household_id == household_id)
        .order_by(receipts.c.paid_at.desc(), receipts.c.number.desc())
    )
    return _rows(store, query)


def receipts_of_fund(store: ReadStore, fund_id: UUID, limit: int, offset: int) -> list[dict[str, Any]]:
    """A fund's receipts, the latest first, with the household's code."""
    query = (
        select(receipts, household_accounts.c.household_code)
        .outerjoin(household_accounts, household_accounts.c.household_id == receipts.c.household_id)
        .where(receipts.c.fund_id == fund_id)
        .order_by(receipts.c.paid_at.desc(), receipts.c.number.desc())
        .limit(limit)
        .offset(offset)
    )
    return _rows(store, query)


def open_references(connection: Connection, fund_id: UUID) -> dict[str, tuple[UUID, UUID]]:
    """The references of a fund's obligations: reference -> (household, levy). Every obligation
    is listed, paid or not, so that a transfer for one already paid is still matched (and shows as
    paid twice, for the leader to refund) rather than left unexplained."""
    query = select(obligations.c.reference, obligations.c.household_id, obligations.c.levy_id).where(
        obligations.c.fund_id == fund_id
    )
    return {r.reference: (r.household_id, r.levy_id) for r in connection.execute(query)}


def receipt(store: ReadStore, code: str) -> dict[str, Any] | None:
    """A receipt by its verification code, with its fund's name and kind."""
    query = (
        select(receipts, funds.c.name.label("fund_name"), funds.c.kind.label("fund_kind"), funds.c.unit_id)
        .join(funds, funds.c.fund_id == receipts.c.fund_id)
        .where(receipts.c.code == code)
    )
    return _row(store, query)


def receipt_by_entry(store: ReadStore, entry_id: UUID) -> dict[str, Any] | None:
    """A receipt by its payment's entry, with its fund and household code."""
    query = (
        select(
            receipts,
            funds.c.name.label("fund_name"),
            funds.c.kind.label("fund_kind"),
            funds.c.unit_id,
            household_accounts.c.household_code,
        )
        .join(funds, funds.c.fund_id == receipts.c.fund_id)
        .outerjoin(household_accounts, household_accounts.c.household_id == receipts.c.household_id)
        .where(receipts.c.entry_id == entry_id)
    )
    return _row(store, query)


def open_lines(store: ReadStore, fund_id: UUID) -> list[dict[str, Any]]:
    """A fund's statement lines left to match, the oldest first."""
    query = (
        select(statement_lines)
        .where(statement_lines.c.fund_id == fund_id, statement_lines.c.matched.is_(False))
        .order_by(statement_lines.c.booked_on, statement_lines.c.row)
    )
    return _rows(store, query)
