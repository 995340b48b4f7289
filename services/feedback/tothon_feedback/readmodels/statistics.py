"""The statistics of a unit and period: what each case counts for, kept as sums per group and
month, and the query that adds them up over a unit's subtree.

A case counts for its current state only (``contribution``): when it changes, the projection takes
off what it counted for and adds what it counts for now, so the sums are always those of the cases
as they stand and a rebuild gives the same. Nobody can inflate them by closing without resolving:
"resolved" needs a public answer with evidence, "closed" needs the resident's confirmation, and a
rejected or merged case counts as neither."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tothon_feedback.readmodels.tables import DIRECTORY, statistics
from tothon_shared.auth.lineage import below
from tothon_shared.kernel.clock import VIETNAM
from tothon_shared.readstore.store import ReadStore

COUNTERS = (
    "received",
    "handled_at_group",
    "resolved",
    "resolved_on_time",
    "late",
    "escalated",
    "reopened",
    "rejected",
    "merged",
    "closed",
    "ratings",
    "rating_total",
)
_RESOLVED = frozenset({"resolved", "closed"})


def month_of(at: datetime) -> str:
    """The month (YYYY-MM) of an instant, in Vietnam."""
    return at.astimezone(VIETNAM).strftime("%Y-%m")


def contribution(case: Mapping[str, Any]) -> dict[str, int]:
    """What one case, as it stands, counts for."""
    resolved = case["status"] in _RESOLVED
    rated = case["rating"] is not None
    return {
        "received": 1,
        # Settled where it started, at the group, without climbing or being reopened.
        "handled_at_group": int(
            resolved and case["level"] == "group" and not case["escalations"] and not case["reopenings"]
        ),
        "resolved": int(resolved),
        "resolved_on_time": int(resolved and bool(case["resolved_on_time"])),
        "late": int(case["deadlines_missed"] > 0),
        "escalated": int(case["escalations"] > 0),
        "reopened": int(case["reopenings"] > 0),
        "rejected": int(case["status"] == "rejected"),
        "merged": int(case["status"] == "merged"),
        "closed": int(case["status"] == "closed"),
        "ratings": int(rated),
        "rating_total": case["rating"] if rated else 0,
    }


Key = tuple[Any, str]  # a case's origin unit and month of submission


def delta(before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> tuple[Key, dict[str, int]]:
    """How the sums of ``after``'s group and month move when a case goes from what it counted for
    (``before``, ``None`` for a new case) to what it counts for now."""
    moved = contribution(after)
    if before is not None:
        for name, value in contribution(before).items():
            moved[name] -= value
    return (after["origin_unit_id"], month_of(after["submitted_at"])), moved


def add(session: Session, deltas: Mapping[Key, Mapping[str, int]]) -> None:
    """Move the sums by ``deltas`` (a row made for a group and month not seen before)."""
    for (unit_id, month), moved in deltas.items():
        if not any(moved.values()):
            continue
        where = (statistics.c.origin_unit_id == unit_id) & (statistics.c.month == month)
        if session.execute(select(statistics.c.month).where(where)).first() is None:
            session.execute(statistics.insert().values(origin_unit_id=unit_id, month=month, **moved))
            continue
        session.execute(
            statistics.update().where(where).values({n: statistics.c[n] + v for n, v in moved.items()})
        )


def figures(store: ReadStore, unit_id: UUID, first_month: str, last_month: str) -> dict[str, Any]:
    """A unit's figures (its own cases and its subtree's) for the months from ``first_month`` to
    ``last_month``: the sums, the share settled at the group and on time, the mean rating, and
    the months one by one for a chart."""
    scope = below(DIRECTORY.units, unit_id)
    query = (
        select(statistics.c.month, *(func.sum(statistics.c[name]).label(name) for name in COUNTERS))
        .where(statistics.c.origin_unit_id.in_(scope.scalar_subquery()))
        .where(statistics.c.month.between(first_month, last_month))
        .group_by(statistics.c.month)
        .order_by(statistics.c.month)
    )
    with store.engine.connect() as connection:
        months = [
            {name: int(r._mapping[name] or 0) for name in COUNTERS} | {"month": r.month}
            for r in connection.execute(query)
        ]
    totals = {name: sum(m[name] for m in months) for name in COUNTERS}
    return {
        "totals": totals,
        "handled_at_group_share": _share(totals["handled_at_group"], totals["resolved"]),
        "on_time_share": _share(totals["resolved_on_time"], totals["resolved"]),
        "mean_rating": round(totals["rating_total"] / totals["ratings"], 2) if totals["ratings"] else None,
        "months": months,
    }


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
