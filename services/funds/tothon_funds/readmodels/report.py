"""The public accounts of a unit's funds for a period, as the funds' books read them: income
and spending per fund (with their months, for the charts), the balance at the period's end, each
expense with its evidence, who paid (by name or by anonymous household code, as the group
published), and how each levy was collected (none of it for a voluntary fund: no arrears). Also a
city's summary: per unit below it and per kind of fund, in one grouped query each."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import and_, case, func, select
from sqlalchemy.engine import Connection

from tothon_funds.domain.references import anonymous_code
from tothon_funds.readmodels.tables import DIRECTORY, expenses, funds, levies, obligations, receipts
from tothon_shared.auth.lineage import below
from tothon_shared.kernel.clock import VIETNAM
from tothon_shared.readstore.store import ReadStore


def _instant(day: date) -> datetime:
    """The start of a day in Vietnam, as the stores keep instants."""
    return datetime.combine(day, time(), VIETNAM)


def _month(at: datetime) -> str:
    return at.astimezone(VIETNAM).strftime("%Y-%m")


def expenses_of(store: ReadStore, fund_id: UUID) -> list[dict[str, Any]]:
    """A fund's expenses, the latest proposal first."""
    query = select(expenses).where(expenses.c.fund_id == fund_id).order_by(expenses.c.proposed_at.desc())
    with store.engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(query)]


def unit_report(store: ReadStore, unit_id: UUID, period_from: date, period_to: date) -> dict[str, Any]:
    """The public report of a unit's own funds for a period."""
    start, end = _instant(period_from), _instant(period_to + timedelta(days=1))
    with store.engine.connect() as connection:
        rows = connection.execute(select(funds).where(funds.c.unit_id == unit_id).order_by(funds.c.name))
        return {
            "unit_id": unit_id,
            "period_from": period_from,
            "period_to": period_to,
            "funds": [_fund(connection, dict(r._mapping), start, end) for r in rows],
        }


def _fund(connection: Connection, fund: dict[str, Any], start: datetime, end: datetime) -> dict[str, Any]:
    fund_id = fund["fund_id"]
    paid = connection.execute(
        select(receipts.c.household_id, receipts.c.amount, receipts.c.paid_at, receipts.c.payer).where(
            receipts.c.fund_id == fund_id, receipts.c.void.is_(False), receipts.c.paid_at < end
        )
    ).all()
    spent = connection.execute(
        select(expenses).where(
            expenses.c.fund_id == fund_id, expenses.c.status == "paid", expenses.c.paid_at < end
        )
    ).all()
    income_by_month: dict[str, int] = defaultdict(int)
    payers: dict[UUID, dict[str, Any]] = {}
    for row in paid:
        if row.paid_at < start:
            continue
        income_by_month[_month(row.paid_at)] += row.amount
        who = payers.setdefault(row.household_id, {"amount": 0, "payer": None})
        who["amount"] += row.amount
        who["payer"] = row.payer or who["payer"]
    spending_by_month: dict[str, int] = defaultdict(int)
    listed = []
    for row in spent:
        if row.paid_at < start:
            continue
        spending_by_month[_month(row.paid_at)] += row.amount
        listed.append(
            {
                "expense_id": row.expense_id,
                "purpose": row.purpose,
                "amount": row.amount,
                "paid_at": row.paid_at,
                "evidence": list(row.evidence),
                "approvals": len(row.approvers),
            }
        )
    names = fund["names_public"]
    return {
        "fund_id": fund_id,
        "name": fund["name"],
        "kind": fund["kind"],
        "resolution": fund["resolution"],
        "names_public": names,
        "income": sum(income_by_month.values()),
        "spending": sum(spending_by_month.values()),
        "balance": sum(r.amount for r in paid) - sum(r.amount for r in spent),
        "income_by_month": dict(sorted(income_by_month.items())),
        "spending_by_month": dict(sorted(spending_by_month.items())),
        "expenses": sorted(listed, key=lambda e: e["paid_at"]),
        "payers": sorted(
            (
                {
                    "who": (p["payer"] or "—") if names else anonymous_code(fund_id, household),
                    "amount": p["amount"],
                }
                for household, p in payers.items()
            ),
            key=lambda p: str(p["who"]),
        ),
        "levies": [] if fund["kind"] == "voluntary" else _levies(connection, fund_id, start, end),
    }


def _levies(connection: Connection, fund_id: UUID, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Each levy whose period meets the report's: households obliged, owed, paid, settled."""
    paid = (
        select(receipts.c.household_id, receipts.c.levy_id, func.sum(receipts.c.amount).label("paid"))
        .where(receipts.c.fund_id == fund_id, receipts.c.void.is_(False))
        .group_by(receipts.c.household_id, receipts.c.levy_id)
        .subquery()
    )
    query = (
        select(
            levies.c.levy_id,
            levies.c.basis,
            levies.c.amount.label("rate"),
            levies.c.period_from,
            levies.c.period_to,
            # The households obliged (an exempt one, owing nothing, is neither owing nor settled).
            func.sum(case((obligations.c.amount > 0, 1), else_=0)).label("households"),
            func.coalesce(func.sum(obligations.c.amount), 0).label("owed"),
            func.coalesce(func.sum(paid.c.paid), 0).label("paid"),
            func.sum(case((func.coalesce(paid.c.paid, 0) >= obligations.c.amount, 1), else_=0)).label(
                "settled"
            ),
        )
        .outerjoin(obligations, obligations.c.levy_id == levies.c.levy_id)
        .outerjoin(
            paid, and_(paid.c.levy_id == levies.c.levy_id, paid.c.household_id == obligations.c.household_id)
        )
        .where(
            levies.c.fund_id == fund_id,
            levies.c.period_from < end.astimezone(VIETNAM).date(),
            levies.c.period_to >= start.astimezone(VIETNAM).date(),
        )
        .group_by(levies.c.levy_id, levies.c.basis, levies.c.amount, levies.c.period_from, levies.c.period_to)
        .order_by(levies.c.period_from)
    )
    return [
        {
            **dict(r._mapping),
            "households": int(r.households or 0),
            "owed": int(r.owed),
            "paid": int(r.paid),
            "settled": int(r.settled or 0),
        }
        for r in connection.execute(query)
    ]


def area_summary(store: ReadStore, unit_id: UUID, period_from: date, period_to: date) -> list[dict[str, Any]]:
    """A ward's or a city's summary for a period: per unit with funds below it and per kind of
    fund, what came in, from how many households, and what went out."""
    start, end = _instant(period_from), _instant(period_to + timedelta(days=1))
    scope = below(DIRECTORY.units, unit_id)
    income = (
        select(
            funds.c.unit_id,
            funds.c.kind,
            func.sum(receipts.c.amount).label("income"),
            func.count(func.distinct(receipts.c.household_id)).label("households"),
        )
        .join(receipts, receipts.c.fund_id == funds.c.fund_id)
        .where(funds.c.unit_id.in_(scope), receipts.c.void.is_(False))
        .where(receipts.c.paid_at >= start, receipts.c.paid_at < end)
        .group_by(funds.c.unit_id, funds.c.kind)
    )
    spending = (
        select(funds.c.unit_id, funds.c.kind, func.sum(expenses.c.amount).label("spending"))
        .join(expenses, expenses.c.fund_id == funds.c.fund_id)
        .where(funds.c.unit_id.in_(scope), expenses.c.status == "paid")
        .where(expenses.c.paid_at >= start, expenses.c.paid_at < end)
        .group_by(funds.c.unit_id, funds.c.kind)
    )
    names = select(DIRECTORY.units.c.unit_id, DIRECTORY.units.c.name).where(
        DIRECTORY.units.c.unit_id.in_(scope)
    )
    summary: dict[tuple[UUID, str], dict[str, Any]] = {}
    with store.engine.connect() as connection:
        named = {r.unit_id: r.name for r in connection.execute(names)}
        for r in connection.execute(income):
            summary[(r.unit_id, r.kind)] = {
                "unit_id": r.unit_id,
                "unit_name": named.get(r.unit_id, ""),
                "kind": r.kind,
                "income": int(r.income),
                "households": int(r.households),
                "spending": 0,
            }
        for r in connection.execute(spending):
            row = summary.setdefault(
                (r.unit_id, r.kind),
                {
                    "unit_id": r.unit_id,
                    "unit_name": named.get(r.unit_id, ""),
                    "kind": r.kind,
                    "income": 0,
                    "households": 0,
                },
            )
            row["spending"] = int(r.spending)
    return sorted(summary.values(), key=lambda r: (r["unit_name"], r["kind"]))
