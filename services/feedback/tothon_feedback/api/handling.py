"""The handling unit's work: its queue, and the workflow's steps on a case (each by the role that
handles the case's level at its unit, checked on the case as loaded)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool

from tothon_feedback.api.access import FORBIDDEN, handler_guard, reads, resident_of
from tothon_feedback.api.cases import case_out, now
from tothon_feedback.api.schemas import (
    AssignIn,
    CaseOut,
    MergeIn,
    QueueItemOut,
    ReasonIn,
    ResolutionIn,
    ReturnIn,
    TextIn,
)
from tothon_feedback.application import FeedbackApplication, Guard
from tothon_feedback.domain.calendar import DeadlineStatus
from tothon_feedback.domain.case import FeedbackCase
from tothon_feedback.domain.errors import CaseStateError
from tothon_feedback.permissions import FeedbackPermission
from tothon_feedback.places import parent_lookup, unit_level
from tothon_feedback.readmodels import queries
from tothon_feedback.readmodels.tables import ATTACHMENTS, DIRECTORY
from tothon_shared.attachments.errors import AttachmentError
from tothon_shared.auth.http import authorize, require
from tothon_shared.auth.lineage import lineage
from tothon_shared.auth.principal import Principal
from tothon_shared.http.commands import run_command
from tothon_shared.http.openapi import problems
from tothon_shared.http.paging import MAX_OFFSET
from tothon_shared.http.problems import ProblemError
from tothon_shared.readstore.store import ReadStore

READ = FeedbackPermission.CASES_READ
HANDLE = FeedbackPermission.CASES_HANDLE
# Module level: route signatures are resolved from the module's globals.
Reader = Annotated[Principal, Depends(require(READ))]
Handler = Annotated[Principal, Depends(require(HANDLE))]

router = APIRouter(prefix="/api/v1/feedback", tags=["feedback handling"])


@router.get("/queue", responses=problems(403, 404))
async def unit_queue(
    request: Request,
    principal: Reader,
    unit_id: UUID,
    status: Annotated[
        list[Literal["submitted", "accepted", "in_progress", "resolved"]] | None, Query()
    ] = None,
    deadline: DeadlineStatus | None = None,
    assignee: Annotated[str | None, Query(max_length=80)] = None,
    mine: bool = False,
    category: Annotated[str | None, Query(max_length=60)] = None,
    include_below: bool = False,
    limit: int = Query(default=50, ge=1, le=500),
    offset: int = Query(default=0, ge=0, le=MAX_OFFSET),
) -> list[QueueItemOut]:
    """The cases at a unit you serve (with the units below, to oversee them), the soonest
    deadline first, each on time, due today or late."""
    store = request.app.state.runtime.store
    authorize(principal, READ, await run_in_threadpool(lineage, store, DIRECTORY.units, unit_id))
    wanted = queries.QueueFilter(
        statuses=tuple(status) if status else queries.OPEN,
        deadline=deadline,
        assignee=resident_of(principal) if mine else assignee,
        include_below=include_below,
        category=category,
    )
    rows = await run_in_threadpool(queries.queue, store, unit_id, now(), wanted, limit, offset)
    return [QueueItemOut.model_validate(r) for r in rows]


async def _step(
    request: Request,
    principal: Principal,
    take: Callable[..., FeedbackCase],
    *args: object,
    guard: Guard | None = None,
) -> CaseOut:
    runtime = request.app.state.runtime
    guard = guard or handler_guard(principal, runtime.store)
    case = await run_command(request, take, *args, guard=guard)
    return case_out(case, now(), official=True)


def _app(request: Request) -> FeedbackApplication:
    app: FeedbackApplication = request.app.state.runtime.app
    return app


@router.post("/cases/{case_id}/accept", responses=problems(403, 404, 409))
async def accept_case(case_id: UUID, body: ReasonIn, request: Request, principal: Handler) -> CaseOut:
    """Take the case on at your unit."""
    return await _step(
        request, principal, _app(request).accept, case_id, resident_of(principal), now(), body.reason
    )


@router.post("/cases/{case_id}/start", responses=problems(403, 404, 409))
async def start_case(case_id: UUID, body: ReasonIn, request: Request, principal: Handler) -> CaseOut:
    """Work on the case has begun."""
    return await _step(
        request, principal, _app(request).start, case_id, resident_of(principal), now(), body.reason
    )


def _evidence_guard(principal: Principal, store: ReadStore, evidence: list[str]) -> Guard:
    handler = handler_guard(principal, store)

    def guard(case: FeedbackCase) -> None:
        handler(case)
        # The official's own uploads, or the resident's photos of the case itself.
        own = ATTACHMENTS.sizes_uploaded_by(store, evidence, resident_of(principal))
        if any(sha not in own and sha not in case.attachments for sha in evidence):
            raise AttachmentError(code="unknown")

    return guard


@router.post("/cases/{case_id}/resolve", responses=problems(403, 404, 409, 422))
async def resolve_case(case_id: UUID, body: ResolutionIn, request: Request, principal: Handler) -> CaseOut:
    """Answer the case publicly, with evidence: photos or documents you uploaded (or the
    resident's own photos of the case)."""
    app, store = _app(request), request.app.state.runtime.store
    return await _step(
        request,
        principal,
        app.resolve,
        case_id,
        resident_of(principal),
        now(),
        body.answer,
        body.evidence,
        guard=_evidence_guard(principal, store, body.evidence),
    )


@router.post("/cases/{case_id}/reject", responses=problems(403, 404, 409, 422))
async def reject_case(case_id: UUID, body: ReasonIn, request: Request, principal: Handler) -> CaseOut:
    """Refuse the case, with the reason."""
    return await _step(
        request, principal, _app(request).reject, case_id, resident_of(principal), body.reason, now()
    )


@router.post("/cases/{case_id}/escalate", responses=problems(403, 404, 409, 422))
async def escalate_case(case_id: UUID, body: ReasonIn, request: Request, principal: Handler) -> CaseOut:
    """Send the case to the level above, with the reason."""
    parents = await run_in_threadpool(parent_lookup, request.app.state.runtime.store)
    app = _app(request)
    return await _step(
        request, principal, app.escalate, case_id, resident_of(principal), body.reason, now(), parents
    )


def _return_guard(principal: Principal, store: ReadStore, target: UUID) -> Guard:
    handler = handler_guard(principal, store)

    def guard(case: FeedbackCase) -> None:
        handler(case)
        # Down the case's own branch: a unit below the one handling it.
        if case.unit_id not in lineage(store, DIRECTORY.units, target)[1:]:
            raise CaseStateError(code="return_target", step="return", status=case.status.value)

    return guard


@router.post("/cases/{case_id}/return", responses=problems(403, 404, 409, 422))
async def return_case(case_id: UUID, body: ReturnIn, request: Request, principal: Handler) -> CaseOut:
    """Send the case down to a unit below yours, with the reason."""
    store = request.app.state.runtime.store
    level = await run_in_threadpool(unit_level, store, body.unit_id)
    if level is None:
        raise ProblemError(422, "feedback.case.return_target")
    app = _app(request)
    return await _step(
        request,
        principal,
        app.return_to,
        case_id,
        body.unit_id,
        level,
        resident_of(principal),
        body.reason,
        now(),
        guard=_return_guard(principal, store, body.unit_id),
    )


def _merge_guard(app: FeedbackApplication, principal: Principal, store: ReadStore, into: UUID) -> Guard:
    handler = handler_guard(principal, store)

    def guard(case: FeedbackCase) -> None:
        handler(case)
        target = app.case(into)
        if not reads(principal, store, target.unit_id, target.origin_unit_id):
            raise ProblemError(403, FORBIDDEN)

    return guard


@router.post("/cases/{case_id}/merge", responses=problems(403, 404, 409, 422))
async def merge_case(case_id: UUID, body: MergeIn, request: Request, principal: Handler) -> CaseOut:
    """Close the case as a duplicate of another one you may see, which goes on."""
    app, store = _app(request), request.app.state.runtime.store
    return await _step(
        request,
        principal,
        app.merge,
        case_id,
        body.into,
        resident_of(principal),
        body.reason,
        now(),
        guard=_merge_guard(app, principal, store, body.into),
    )


@router.post("/cases/{case_id}/assign", responses=problems(403, 404, 409))
async def assign_case(case_id: UUID, body: AssignIn, request: Request, principal: Handler) -> CaseOut:
    """Give the case to a named official of your unit (empty: to nobody)."""
    app = _app(request)
    return await _step(request, principal, app.assign, case_id, body.official, resident_of(principal), now())


@router.post("/cases/{case_id}/notes", responses=problems(403, 404, 422))
async def note_case(case_id: UUID, body: TextIn, request: Request, principal: Handler) -> CaseOut:
    """An internal note: officials see it in the timeline, the resident and the public never."""
    app = _app(request)
    return await _step(request, principal, app.note, case_id, body.text, resident_of(principal), now())


@router.post("/cases/{case_id}/replies", responses=problems(403, 404, 409, 422))
async def reply_case(case_id: UUID, body: TextIn, request: Request, principal: Handler) -> CaseOut:
    """A public reply to the resident while the case is worked on."""
    app = _app(request)
    return await _step(request, principal, app.reply, case_id, body.text, resident_of(principal), now())
