"""Routes for household decisions: a meeting notice given with the law's lead time; a poll of a
unit's households, each household voting once through its own account, the result public to the
unit once the poll closes (by its time, or closed early by an official)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from eventsourcing.persistence import AggregateRecorder
from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from tothon_communication.api.announcements import _app, _groups_within, _over, store_of
from tothon_communication.domain.announcement import MAX_GROUPS
from tothon_communication.domain.poll import DEFAULT_THRESHOLD_PERCENT, MAX_OPTIONS, Poll
from tothon_communication.permissions import CommunicationPermission
from tothon_communication.readmodels import polls as reads
from tothon_communication.readmodels.announcements import audience_size
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
Manager = Annotated[Principal, Depends(require(_P.POLLS_MANAGE))]
router = APIRouter(prefix="/api/v1", tags=["household decisions"])


class MeetingIn(BaseModel):
    """A meeting of the community, announced to its households."""

    model_config = ConfigDict(extra="forbid")
    unit_id: UUID
    groups: list[UUID] = Field(default=[], max_length=MAX_GROUPS)
    title: str = Field(max_length=2000)
    body: str = Field(max_length=100_000)
    meets_at: AwareDatetime
    place: str = Field(min_length=1, max_length=300)


class MeetingOut(BaseModel):
    announcement_id: UUID


@router.post("/meetings", status_code=201, responses=problems(403, 404, 422))
async def announce_meeting(body: MeetingIn, request: Request, principal: Manager) -> MeetingOut:
    """A meeting notice to every household (addressed to the heads of household), at least five
    days before the meeting; households acknowledge it, the law's evidence they were told."""
    store = store_of(request)

    def check() -> None:
        _over(store, principal, _P.POLLS_MANAGE, body.unit_id)
        _groups_within(store, body.unit_id, body.groups)

    await run_in_threadpool(check)
    notice = await run_command(
        request,
        _app(request).announce_meeting,
        body.unit_id,
        body.groups,
        body.title,
        body.body,
        body.meets_at,
        body.place,
        str(principal.account_id),
        datetime.now(UTC),
    )
    return MeetingOut(announcement_id=notice.id)


class PollIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    unit_id: UUID
    question: str = Field(max_length=2000)
    options: list[str] = Field(min_length=2, max_length=MAX_OPTIONS)
    opens_at: AwareDatetime | None = Field(default=None, description="Now, if not given.")
    closes_at: AwareDatetime
    threshold_percent: int = Field(
        default=DEFAULT_THRESHOLD_PERCENT,
        description="Passes when an option is chosen by more than this share of the eligible households.",
    )


class PollOut(BaseModel):
    poll_id: UUID
    unit_id: UUID
    question: str
    options: list[str]
    opens_at: datetime
    closes_at: datetime
    threshold_percent: int
    eligible: int = Field(description="The unit's households when the poll opened.")
    voted: int
    closed_at: datetime | None = None
    counts: list[int] | None = Field(default=None, description="Per option, once closed.")
    winner: int | None = None
    passed: bool | None = None


class HouseholdPollOut(PollOut):
    my_option: int | None = Field(description="The household's own vote, if it voted.")


def _poll(store: ReadStore, recorder: AggregateRecorder, poll_id: UUID) -> dict[str, Any]:
    """The poll's row (one opened a moment ago once projected: ``row_of``), or 404."""
    found = row_of(lambda: reads.poll(store, poll_id), recorder, poll_id, Poll)
    if found is None:
        raise ProblemError(404, "communication.poll.not_found")
    return found


@router.post("/polls", status_code=201, responses=problems(403, 404, 422))
async def open_poll(body: PollIn, request: Request, principal: Manager) -> PollOut:
    """Put a question to the households of a unit (each votes once)."""
    store = store_of(request)

    def eligible() -> int:
        _over(store, principal, _P.POLLS_MANAGE, body.unit_id)
        return audience_size(store, body.unit_id, ())

    count = await run_in_threadpool(eligible)
    poll = await run_command(
        request,
        _app(request).open_poll,
        body.unit_id,
        body.question,
        body.options,
        body.opens_at or datetime.now(UTC),
        body.closes_at,
        body.threshold_percent,
        count,
        str(principal.account_id),
    )
    return PollOut(
        poll_id=poll.id,
        unit_id=poll.unit_id,
        question=poll.question,
        options=poll.options,
        opens_at=poll.opens_at,
        closes_at=poll.closes_at,
        threshold_percent=poll.threshold_percent,
        eligible=poll.eligible,
        voted=0,
    )


@router.get("/polls", responses=problems(403, 404))
async def polls_of(request: Request, principal: Authenticated, unit_id: UUID) -> list[PollOut]:
    """The polls of a unit and the units below it, newest first."""
    store = store_of(request)

    def listed() -> list[dict[str, Any]]:
        _over(store, principal, _P.ANNOUNCEMENTS_READ, unit_id)
        return reads.of_units(store, descendants(store, DIRECTORY.units, unit_id), 100)

    return [PollOut.model_validate(_public(r)) for r in await run_in_threadpool(listed)]


def _public(row: dict[str, Any]) -> dict[str, Any]:
    # The counts per option only once the poll has closed: a running tally sways the late voters.
    return row if row["closed_at"] is not None else row | {"counts": None, "winner": None, "passed": None}


@router.get("/polls/{poll_id}", responses=problems(403, 404))
async def one(poll_id: UUID, request: Request, principal: Authenticated) -> PollOut:
    """A poll: for an official of its unit, or a household of it."""
    store = store_of(request)

    def shown() -> dict[str, Any]:
        found = _poll(store, _app(request).recorder, poll_id)
        if found["unit_id"] not in household_lineage(store, principal.household_id):
            _over(store, principal, _P.ANNOUNCEMENTS_READ, found["unit_id"])
        return _public(found)

    return PollOut.model_validate(await run_in_threadpool(shown))


class VoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    household_id: UUID
    option: int = Field(ge=0, le=MAX_OPTIONS - 1, description="The option's place, from 0.")


@router.post("/polls/{poll_id}/votes", status_code=204, responses=problems(403, 404, 409, 422))
async def vote(poll_id: UUID, body: VoteIn, request: Request, principal: Authenticated) -> Response:
    """The household's one vote, cast through its own account; a second is refused."""
    store = store_of(request)
    if principal.household_id != body.household_id:
        raise ProblemError(403, "communication.poll.not_your_household")

    def check() -> None:
        found = _poll(store, _app(request).recorder, poll_id)
        if found["unit_id"] not in household_lineage(store, body.household_id):
            raise ProblemError(422, "communication.poll.not_for_household")

    await run_in_threadpool(check)
    await run_command(
        request,
        _app(request).vote,
        poll_id,
        body.household_id,
        body.option,
        str(principal.account_id),
        datetime.now(UTC),
    )
    return Response(status_code=204)


@router.post("/polls/{poll_id}/closure", status_code=204, responses=problems(403, 404, 409))
async def close(poll_id: UUID, request: Request, principal: Manager) -> Response:
    """Close a poll before its time; its result is worked out from the votes counted."""
    store = store_of(request)
    found = await run_in_threadpool(_poll, store, _app(request).recorder, poll_id)
    await run_in_threadpool(_over, store, principal, _P.POLLS_MANAGE, found["unit_id"])
    await run_command(
        request, _app(request).close_poll, poll_id, str(principal.account_id), datetime.now(UTC)
    )
    return Response(status_code=204)


@router.get("/households/{household_id}/polls", responses=problems(403, 404))
async def household_polls(
    household_id: UUID, request: Request, principal: Authenticated
) -> list[HouseholdPollOut]:
    """The polls of the household's units, newest first, with its own vote (the household's own
    only: how a household voted is nobody else's to read)."""
    store = store_of(request)
    if principal.household_id != household_id:
        raise ProblemError(403, "communication.poll.not_your_household")

    def listed() -> list[dict[str, Any]]:
        rows = reads.for_household(store, household_id, household_lineage(store, household_id), 50)
        return [_public(r) for r in rows]

    return [HouseholdPollOut.model_validate(r) for r in await run_in_threadpool(listed)]
