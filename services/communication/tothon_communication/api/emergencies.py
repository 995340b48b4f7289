"""Routes for emergencies: an official declares a typhoon or a flood for a unit's subtree (an
urgent notice asking every household to check in), a household answers safe or needing help —
its own answer only — and the group leader watches the board of households not heard from and
of those needing help; the emergency is closed when the danger has passed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from eventsourcing.persistence import AggregateRecorder
from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from tothon_communication.api.announcements import _app, _groups_within, _over, for_household, store_of
from tothon_communication.domain.announcement import MAX_GROUPS
from tothon_communication.domain.emergency import Emergency, Hazard, Status
from tothon_communication.permissions import CommunicationPermission
from tothon_communication.readmodels import emergencies as reads
from tothon_communication.readmodels.conversations import household_lineage
from tothon_communication.readmodels.tables import DIRECTORY
from tothon_shared.auth.http import Authenticated, require
from tothon_shared.auth.lineage import descendants
from tothon_shared.auth.principal import Principal
from tothon_shared.http.commands import run_command
from tothon_shared.http.openapi import problems
from tothon_shared.http.problems import ProblemError
from tothon_shared.readstore.recent import row_of
from tothon_shared.readstore.store import ReadStore

_P = CommunicationPermission
Manager = Annotated[Principal, Depends(require(_P.EMERGENCIES_MANAGE))]
router = APIRouter(prefix="/api/v1", tags=["emergencies"])


class EmergencyIn(BaseModel):
    """An emergency to declare: what threatens, and the notice every household receives."""

    model_config = ConfigDict(extra="forbid")
    unit_id: UUID
    groups: list[UUID] = Field(default=[], max_length=MAX_GROUPS, description="Only these units below it.")
    hazard: Hazard
    title: str = Field(max_length=2000)  # the notice's rules say what is too long
    body: str = Field(max_length=100_000)


class EmergencyOut(BaseModel):
    emergency_id: UUID
    announcement_id: UUID
    unit_id: UUID
    hazard: Hazard
    title: str
    body: str
    opened_at: datetime
    closed_at: datetime | None = None


class HouseholdEmergencyOut(EmergencyOut):
    status: Status | None = Field(description="The household's answer so far; none before it answers.")
    note: str | None = None
    answered_at: datetime | None = None


def _written(store: ReadStore, recorder: AggregateRecorder, emergency_id: UUID) -> dict[str, Any] | None:
    """The emergency's row; one declared a moment ago, once projected (``row_of``)."""
    return row_of(lambda: reads.emergency(store, emergency_id), recorder, emergency_id, Emergency)


def _emergency(store: ReadStore, recorder: AggregateRecorder, emergency_id: UUID) -> dict[str, Any]:
    """The emergency's row, or 404."""
    found = _written(store, recorder, emergency_id)
    if found is None:
        raise ProblemError(404, "communication.emergency.not_found")
    return found


@router.post("/emergencies", status_code=201, responses=problems(403, 404, 422))
async def declare(body: EmergencyIn, request: Request, principal: Manager) -> EmergencyOut:
    """Declare an emergency: its urgent notice reaches every household of the unit's subtree (or
    of the groups named) at once, asking each to check in."""
    store = store_of(request)

    def check() -> None:
        _over(store, principal, _P.EMERGENCIES_MANAGE, body.unit_id)
        _groups_within(store, body.unit_id, body.groups)

    await run_in_threadpool(check)
    declared = await run_command(
        request,
        _app(request).declare_emergency,
        body.unit_id,
        body.groups,
        body.hazard,
        body.title,
        body.body,
        str(principal.account_id),
        datetime.now(UTC),
    )
    notice = _app(request).announcement(declared.announcement_id)
    return EmergencyOut(
        emergency_id=declared.id,
        announcement_id=declared.announcement_id,
        unit_id=declared.unit_id,
        hazard=declared.hazard,
        title=notice.title,
        body=notice.body,
        opened_at=declared.opened_at,
    )


@router.get("/emergencies", responses=problems(403, 404))
async def declared(
    request: Request, principal: Manager, unit_id: UUID, open_only: bool = Query(default=True, alias="open")
) -> list[EmergencyOut]:
    """The emergencies declared at a unit and the units below it, newest first."""
    store = store_of(request)

    def listed() -> list[dict[str, Any]]:
        _over(store, principal, _P.EMERGENCIES_MANAGE, unit_id)
        return reads.declared_at(store, descendants(store, DIRECTORY.units, unit_id), open_only)

    return [EmergencyOut.model_validate(r) for r in await run_in_threadpool(listed)]


@router.get("/emergencies/{emergency_id}", responses=problems(403, 404))
async def one(emergency_id: UUID, request: Request, principal: Authenticated) -> EmergencyOut:
    """An emergency: for an official managing its unit, or a household it reaches."""
    store = store_of(request)

    def shown() -> dict[str, Any]:
        found = _emergency(store, _app(request).recorder, emergency_id)
        if principal.household_id is None or not reads.reaches(
            found, household_lineage(store, principal.household_id)
        ):
            _over(store, principal, _P.EMERGENCIES_MANAGE, found["unit_id"])
        return found

    return EmergencyOut.model_validate(await run_in_threadpool(shown))


@router.post("/emergencies/{emergency_id}/closure", status_code=204, responses=problems(403, 404, 409))
async def close(emergency_id: UUID, request: Request, principal: Manager) -> Response:
    """The danger has passed: households are no longer asked to check in."""
    store = store_of(request)
    found = await run_in_threadpool(_emergency, store, _app(request).recorder, emergency_id)
    await run_in_threadpool(_over, store, principal, _P.EMERGENCIES_MANAGE, found["unit_id"])
    await run_command(
        request, _app(request).close_emergency, emergency_id, str(principal.account_id), datetime.now(UTC)
    )
    return Response(status_code=204)


class CheckInIn(BaseModel):
    """A household's answer: safe, or needing help (with a note saying what help)."""

    model_config = ConfigDict(extra="forbid")
    household_id: UUID
    status: Status
    note: str | None = Field(default=None, max_length=5000)


class CheckInOut(BaseModel):
    recorded: bool = Field(description="False when it repeats the household's last answer.")


@router.post("/emergencies/{emergency_id}/check-ins", responses=problems(403, 404, 409, 422))
async def check_in(
    emergency_id: UUID, body: CheckInIn, request: Request, principal: Authenticated
) -> CheckInOut:
    """A household's answer: a resident answers for their own household only; an official who
    manages emergencies over the household's unit records what they learnt on a visit. Sent again
    (a queued answer), it changes nothing."""
    store, recorder = store_of(request), _app(request).recorder

    def check() -> UUID:
        # One connection, without a transaction: BEGIN and ROLLBACK were two round trips a request.
        with store.autocommit() as connection:
            chain = household_lineage(store, body.household_id, connection)
            found = reads.emergency(store, emergency_id, connection)
        if found is None:  # perhaps declared a moment ago: its row once projected (still None if never)
            found = _written(store, recorder, emergency_id)
        if principal.household_id != body.household_id:
            if not principal.holds(_P.EMERGENCIES_MANAGE):  # a resident, for another household
                raise ProblemError(403, "communication.emergency.not_your_household")
            if not chain:
                raise ProblemError(404, "communication.announcement.household_not_found")
            _over(store, principal, _P.EMERGENCIES_MANAGE, chain[0])
        elif not chain:
            raise ProblemError(404, "communication.announcement.household_not_found")
        if found is None:
            raise ProblemError(404, "communication.emergency.not_found")
        if found["closed_at"] is not None:
            raise ProblemError(409, "communication.emergency.closed")
        if not reads.reaches(found, chain):
            raise ProblemError(422, "communication.emergency.not_for_household")
        return chain[0]

    app = _app(request)

    def checked_and_recorded() -> bool:
        # The check and the record in one trip to the thread pool (a ward answers by the hundred a second).
        return app.check_in(
            emergency_id,
            body.household_id,
            check(),
            body.status,
            body.note,
            str(principal.account_id),
            datetime.now(UTC),
        )

    recorded = await run_command(request, checked_and_recorded)
    return CheckInOut(recorded=recorded)


class UnitCountOut(BaseModel):
    unit_id: UUID
    unit_name: str
    reached: int
    safe: int
    needs_help: int
    not_heard: int


class NeedingHelpOut(BaseModel):
    household_id: UUID
    household_code: str
    unit_id: UUID
    note: str | None
    at: datetime


class NotHeardOut(BaseModel):
    household_id: UUID
    household_code: str
    unit_id: UUID


class BoardOut(BaseModel):
    """Where things stand in the caller's unit: counts per unit below it, the households needing
    help (oldest answer first), the households not heard from (by unit and code)."""

    units: list[UnitCountOut]
    needing_help: list[NeedingHelpOut]
    not_heard: list[NotHeardOut]


@router.get("/emergencies/{emergency_id}/board", responses=problems(403, 404))
async def board(
    emergency_id: UUID,
    request: Request,
    principal: Manager,
    unit_id: UUID,
    limit: int = Query(default=500, ge=1, le=5000, description="At most this many households in each list."),
) -> BoardOut:
    """The leader's board for the households of ``unit_id`` (their group, say) the emergency
    reaches; read again every second or two by an open page."""
    store = store_of(request)

    def shown() -> dict[str, Any]:
        _over(store, principal, _P.EMERGENCIES_MANAGE, unit_id)
        return reads.board(store, _emergency(store, _app(request).recorder, emergency_id), unit_id, limit)

    return BoardOut.model_validate(await run_in_threadpool(shown))


@router.get("/households/{household_id}/emergencies", responses=problems(403, 404))
async def for_my_household(
    household_id: UUID, request: Request, principal: Authenticated
) -> list[HouseholdEmergencyOut]:
    """The open emergencies a household is asked to answer, with its answer so far."""
    store = store_of(request)

    def listed() -> list[dict[str, Any]]:
        for_household(store, principal, household_id, _P.EMERGENCIES_MANAGE)
        return reads.for_household(store, household_id, household_lineage(store, household_id))

    return [HouseholdEmergencyOut.model_validate(r) for r in await run_in_threadpool(listed)]
