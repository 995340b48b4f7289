"""Running an import: households in batches, each batch in one transaction, with the progress
written as it goes so the page can show it. Uploading the same file again changes nothing: a
household code already registered in the unit is left as it is (changes go through corrections);
a batch that meets one goes household by household to tell them apart."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError
from sqlalchemy import select

from tothon_registry.application import NewMember, RegistryApplication
from tothon_registry.domain.person import ConsentPurpose, PersonDetails
from tothon_registry.imports.households import Plan
from tothon_registry.intake import MemberIn
from tothon_registry.readmodels.tables import imports
from tothon_shared.eventstore.context import acting_as
from tothon_shared.kernel.clock import today
from tothon_shared.readstore.store import ReadStore

# Households per transaction, and between progress writes: about 350 people, a few hundred events.
BATCH = 100
MAX_ERRORS_KEPT = 2000


def start(
    store: ReadStore, import_id: UUID, unit_id: UUID, filename: str, actor: UUID, plan: Plan, rows: int
) -> None:
    """Record a new import with the errors the sheet already showed."""
    with store.transaction() as session:
        session.execute(
            imports.insert().values(
                import_id=import_id,
                unit_id=unit_id,
                filename=filename,
                started_by=actor,
                status="running",
                total_rows=rows,
                processed_rows=rows - sum(len(h.rows) for h in plan.households),
                households_created=0,
                households_unchanged=0,
                households_refused=len(plan.refused),
                # One JSON list: a note is an entry with ``refused`` false (no schema change).
                errors=json.dumps((plan.errors + plan.notes)[:MAX_ERRORS_KEPT], ensure_ascii=False),
                started_at=datetime.now(UTC),
            )
        )


def run(
    registry: RegistryApplication, store: ReadStore, import_id: UUID, unit_id: UUID, actor: UUID, plan: Plan
) -> None:
    """Register the planned households, recording progress; an unexpected failure marks the job."""
    created = unchanged = done = 0
    try:
        with acting_as(str(actor), reason=f"import {import_id}"):
            for start in range(0, len(plan.households), BATCH):
                batch = [
                    (household.code, [_new_member(m) for m in household.members])
                    for household in plan.households[start : start + BATCH]
                ]
                fresh, known = _register(registry, unit_id, batch)
                created, unchanged, done = created + fresh, unchanged + known, done + len(batch)
                _progress(store, import_id, plan, done, created, unchanged)
        _progress(store, import_id, plan, len(plan.households), created, unchanged, status="done")
    except Exception:
        _progress(store, import_id, plan, created + unchanged, created, unchanged, status="failed")
        raise


def _register(
    registry: RegistryApplication, unit_id: UUID, batch: list[tuple[str, list[NewMember]]]
) -> tuple[int, int]:
    """Households created and households already there (left unchanged)."""
    try:
        registry.register_households(unit_id, batch, today())
        return len(batch), 0
    except IntegrityError:
        pass  # some were registered before (the same file again): one by one, to know which
    created = 0
    for code, members in batch:
        try:
            registry.register_household(unit_id, code, members, today())
            created += 1
        except IntegrityError:
            pass
    return created, len(batch) - created


def _new_member(member: MemberIn) -> NewMember:
    return NewMember(
        member.relationship,
        PersonDetails(**member.model_dump(exclude={"relationship", "consents"})),
        [ConsentPurpose(c) for c in member.consents],
    )


def _progress(
    store: ReadStore,
    import_id: UUID,
    plan: Plan,
    done: int,
    created: int,
    unchanged: int,
    status: str = "running",
) -> None:
    with store.transaction() as session:
        total, processed = session.execute(
            select(imports.c.total_rows, imports.c.processed_rows).where(imports.c.import_id == import_id)
        ).one()
        refused_rows = total - sum(len(h.rows) for h in plan.households)
        values: dict[str, Any] = {
            "processed_rows": max(processed, refused_rows + sum(len(h.rows) for h in plan.households[:done])),
            "households_created": created,
            "households_unchanged": unchanged,
            "status": status,
        }
        if status != "running":
            values["finished_at"] = datetime.now(UTC)
        session.execute(imports.update().where(imports.c.import_id == import_id).values(values))


def job(store: ReadStore, import_id: UUID) -> dict[str, Any] | None:
    """An import's state, its errors and notes decoded."""
    with store.engine.connect() as connection:
        row = connection.execute(select(imports).where(imports.c.import_id == import_id)).first()
    if row is None:
        return None
    found = dict(row._mapping)
    entries = json.loads(found["errors"] or "[]")
    found["errors"] = [e for e in entries if e.get("refused", True)]
    found["notes"] = [e for e in entries if not e.get("refused", True)]
    return found
