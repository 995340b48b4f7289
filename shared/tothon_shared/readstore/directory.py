"""The directory of units and households that every consuming service keeps from registry events.

It holds no personal data: ids, units, codes and member counts. Funds uses it for obligations,
communication for audiences, feedback for competence levels; authorisation (issue 3) will use
its unit tree for scopes.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel
from sqlalchemy import Column, Date, Integer, MetaData, String, Table, Uuid, select
from sqlalchemy.orm import Session

from tothon_shared.auth.http import authorize, require
from tothon_shared.auth.lineage import lineage
from tothon_shared.auth.principal import Principal
from tothon_shared.auth.roles import GeneralPermission
from tothon_shared.contracts.envelope import IntegrationEvent
from tothon_shared.contracts.registry import (
    HouseholdMembershipChanged,
    HouseholdRegistered,
    HouseholdTransferred,
    UnitEstablished,
    UnitMoved,
    UnitRenamed,
    UnitSuperseded,
)
from tothon_shared.http.openapi import problems
from tothon_shared.http.paging import MAX_OFFSET
from tothon_shared.messaging.inbox import EventHandler
from tothon_shared.readstore.store import ReadStore

# Module level: route signatures are resolved from the module's globals.
DirectoryReader = Annotated[Principal, Depends(require(GeneralPermission.DIRECTORY_READ))]


class DirectoryUnit(BaseModel):
    """A unit as the directory knows it."""

    unit_id: UUID
    kind: str
    name: str
    code: str | None
    parent_id: UUID | None
    effective_from: Any
    effective_to: Any = None
    successor_id: UUID | None = None


class DirectoryHousehold(BaseModel):
    """A household as the directory knows it: no names, only what other services need."""

    household_id: UUID
    unit_id: UUID
    household_code: str
    member_count: int
    registered_on: Any


class Directory:
    """Tables, event handlers, queries and routes of the directory in one service's database."""

    def __init__(self, metadata: MetaData) -> None:
        self.units = Table(
            "directory_units",
            metadata,
            Column("unit_id", Uuid, primary_key=True),
            Column("kind", String(30), nullable=False),
            Column("name", String(200), nullable=False),
            Column("code", String(20)),
            Column("parent_id", Uuid, index=True),
            Column("effective_from", Date, nullable=False),
            # Set once superseded: scopes then follow the successor (tothon_shared.auth.lineage).
            Column("effective_to", Date),
            Column("successor_id", Uuid, index=True),
        )
        self.households = Table(
            "directory_households",
            metadata,
            Column("household_id", Uuid, primary_key=True),
            Column("unit_id", Uuid, nullable=False, index=True),
            Column("household_code", String(40), nullable=False),
            Column("member_count", Integer, nullable=False),
            Column("registered_on", Date, nullable=False),
        )
        # Made once and given each event's values as parameters: an insert built with
        # ``.values(...)`` per event computed its cache key and compiled anew every time (the
        # largest part of a consumer's CPU at 200 registrations a second).
        self._insert_household = self.households.insert()

    @property
    def tables(self) -> tuple[Table, ...]:
        """The tables, in creation order."""
        return (self.units, self.households)

    def unit_handlers(self) -> dict[str, EventHandler]:
        """Handlers for the ``registry.units`` channel."""
        return {
            "UnitEstablished": self._unit_established,
            "UnitRenamed": self._unit_renamed,
            "UnitMoved": self._unit_moved,
            "UnitSuperseded": self._unit_superseded,
        }

    def household_handlers(self) -> dict[str, EventHandler]:
        """Handlers for the ``registry.households`` channel."""
        return {
            "HouseholdRegistered": self._household_registered,
            "HouseholdMembershipChanged": self._membership_changed,
            "HouseholdTransferred": self._household_transferred,
        }

    def _unit_established(self, session: Session, event: IntegrationEvent) -> None:
        assert isinstance(event, UnitEstablished)  # dispatched by event type
        session.execute(
            self.units.insert().values(
                unit_id=event.subject_id,
                kind=event.kind,
                name=event.name,
                code=event.code,
                parent_id=event.parent_id,
                effective_from=event.effective_from,
            )
        )

    def _unit_renamed(self, session: Session, event: IntegrationEvent) -> None:
        assert isinstance(event, UnitRenamed)  # dispatched by event type
        self._update_unit(session, event, name=event.name)

    def _unit_moved(self, session: Session, event: IntegrationEvent) -> None:
        assert isinstance(event, UnitMoved)  # dispatched by event type
        self._update_unit(session, event, parent_id=event.parent_id)

    def _unit_superseded(self, session: Session, event: IntegrationEvent) -> None:
        assert isinstance(event, UnitSuperseded)  # dispatched by event type
        successor = event.successor_ids[0] if event.successor_ids else None
        self._update_unit(session, event, effective_to=event.effective_from, successor_id=successor)

    def _update_unit(self, session: Session, event: IntegrationEvent, **values: object) -> None:
        session.execute(self.units.update().where(self.units.c.unit_id == event.subject_id).values(**values))

    def _household_transferred(self, session: Session, event: IntegrationEvent) -> None:
        assert isinstance(event, HouseholdTransferred)  # dispatched by event type
        self._update_household(session, event, unit_id=event.unit_id)

    def _update_household(self, session: Session, event: IntegrationEvent, **values: object) -> None:
        session.execute(
            self.households.update()
            .where(self.households.c.household_id == event.subject_id)
            .values(**values)
        )

    def _household_registered(self, session: Session, event: IntegrationEvent) -> None:
        assert isinstance(event, HouseholdRegistered)  # dispatched by event type
        session.execute(
            self._insert_household,
            {
                "household_id": event.subject_id,
                "unit_id": event.unit_id,
                "household_code": event.household_code,
                "member_count": event.member_count,
                "registered_on": event.registered_on,
            },
        )

    def _membership_changed(self, session: Session, event: IntegrationEvent) -> None:
        assert isinstance(event, HouseholdMembershipChanged)  # dispatched by event type
        self._update_household(session, event, member_count=event.member_count)

    def list_units(self, store: ReadStore) -> list[dict[str, Any]]:
        """Every unit in force (not merged, split or abolished), by name."""
        query = select(self.units).where(self.units.c.effective_to.is_(None)).order_by(self.units.c.name)
        with store.engine.connect() as connection:
            rows = connection.execute(query)
            return [dict(r._mapping) for r in rows]

    def households_of(self, store: ReadStore, unit_id: UUID, limit: int, offset: int) -> list[dict[str, Any]]:
        """The households of one unit by code."""
        query = (
            select(self.households)
            .where(self.households.c.unit_id == unit_id)
            .order_by(self.households.c.household_code)
            .limit(limit)
            .offset(offset)
        )
        with store.engine.connect() as connection:
            return [dict(r._mapping) for r in connection.execute(query)]

    def router(self, with_households: bool) -> APIRouter:
        """Read-only routes over the directory, for officials within the units they serve."""
        router = APIRouter(prefix="/api/v1/directory", tags=["directory"])

        @router.get("/units")
        async def list_units(request: Request, _principal: DirectoryReader) -> list[DirectoryUnit]:
            """Units known to this service, from the registry's events (public facts)."""
            rows = await run_in_threadpool(self.list_units, request.app.state.runtime.store)
            return [DirectoryUnit.model_validate(r) for r in rows]

        if with_households:

            @router.get("/units/{unit_id}/households", responses=problems(404))
            async def list_unit_households(
                unit_id: UUID,
                request: Request,
                principal: DirectoryReader,
                limit: int = Query(default=100, ge=1, le=1000),
                offset: int = Query(default=0, ge=0, le=MAX_OFFSET),
            ) -> list[DirectoryHousehold]:
                """Households of a unit you serve, as this service knows them from the registry."""
                store = request.app.state.runtime.store
                authorize(
                    principal,
                    GeneralPermission.DIRECTORY_READ,
                    await run_in_threadpool(lineage, store, self.units, unit_id),
                )
                rows = await run_in_threadpool(self.households_of, store, unit_id, limit, offset)
                return [DirectoryHousehold.model_validate(r) for r in rows]

        return router
