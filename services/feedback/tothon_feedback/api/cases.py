"""Filing a case and following it: the resident's own cases, a case with its timeline, and the
resident's answer to a resolution (close and rate, or reopen)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Connection

from tothon_feedback.api.access import (
    for_household,
    owns,
    reader_guard,
    reads,
    resident_guard,
    resident_of,
)
from tothon_feedback.api.schemas import CaseOut, Position, RatingIn, ReasonIn, StepOut, SubmissionIn
from tothon_feedback.application import FeedbackApplication
from tothon_feedback.domain.case import FeedbackCase
from tothon_feedback.domain.formal_procedures import reads_like_formal_procedure
from tothon_feedback.domain.levels import Level
from tothon_feedback.domain.repeats import repeated_case
from tothon_feedback.domain.submission import Channel, Submission
from tothon_feedback.permissions import FeedbackPermission
from tothon_feedback.places import household_unit, parent_lookup, unit_level
from tothon_feedback.readmodels import queries
from tothon_feedback.readmodels.tables import ATTACHMENTS, DIRECTORY
from tothon_feedback.uploads import LIMITS
from tothon_shared.attachments.errors import AttachmentError
from tothon_shared.auth.http import Authenticated, authorize
from tothon_shared.auth.lineage import lineage
from tothon_shared.auth.principal import Principal
from tothon_shared.http.commands import run_command
from tothon_shared.http.openapi import problems
from tothon_shared.http.paging import MAX_OFFSET
from tothon_shared.http.problems import ProblemError
from tothon_shared.readstore.store import ReadStore

router = APIRouter(prefix="/api/v1/feedback/cases", tags=["feedback cases"])


def now() -> datetime:
    """The instant of a step taken through the API."""
    return datetime.now(UTC)


def case_out(case: FeedbackCase, at: datetime, official: bool) -> CaseOut:
    """A case as its resident (or, with ``assignee``, an official) sees it."""
    due = case.current_due
    position = case.position
    return CaseOut(
        case_id=case.id,
        category=case.category,
        status=case.status.value,
        level=case.level.value,
        unit_id=case.unit_id,
        origin_unit_id=case.origin_unit_id,
        channel=case.channel.value,
        text=case.text,
        address=case.address,
        position=Position(latitude=position[0], longitude=position[1]) if position else None,
        attachments=list(case.attachments),
        name_public=case.name_public,
        submitted_at=case.submitted_at,
        accept_by=case.accept_by,
        resolve_by=case.resolve_by,
        due=due,
        deadline_status=queries.deadline_status(due, at),
        answer=case.answer,
        evidence=list(case.evidence),
        rating=case.rating,
        escalations=case.escalations,
        reopenings=case.reopenings,
        merged_into=case.merged_into,
        assignee=case.assignee if official else None,
    )


def _origin(
    store: ReadStore, connection: Connection, principal: Principal, body: SubmissionIn
) -> tuple[UUID, Level | None, str]:
    """The unit the case comes from, its level, and who the case is for, by who files it."""
    if body.channel == Channel.ONLINE.value:
        household = principal.household_id
        if household is None:
            raise ProblemError(403, "feedback.submission.no_household")
        found = household_unit(connection, household)
        if found is None:  # the household's registration has not reached this service yet
            raise ProblemError(409, "feedback.submission.household_unknown")
        return *found, resident_of(principal)
    # An official writes down a walk-in or a call: for a household of a unit they serve, or for
    # someone of a unit they serve when the household is not known.
    if body.household_id is not None:
        found = household_unit(connection, body.household_id)
        if found is None:
            raise ProblemError(404, "feedback.submission.household_unknown")
        (unit_id, level), resident = found, for_household(body.household_id)
    elif body.unit_id is not None:
        unit_id, resident = body.unit_id, f"unit:{body.unit_id}"
        level = unit_level(store, unit_id, connection)
    else:
        raise ProblemError(422, "feedback.submission.unit_required")
    authorize(principal, FeedbackPermission.CASES_FILE, lineage(store, DIRECTORY.units, unit_id, connection))
    return unit_id, level, resident


def _check_attachments(store: ReadStore, shas: list[str], uploader: str) -> None:
    """A case cites files its filer uploaded, within the case's limit."""
    if not shas:
        return
    sizes = ATTACHMENTS.sizes_uploaded_by(store, shas, uploader)
    if len(sizes) != len(set(shas)):
        raise AttachmentError(code="unknown")
    if sum(sizes.values()) > LIMITS.together_bytes:
        raise AttachmentError(code="too_large")


def _file(
    app: FeedbackApplication, store: ReadStore, principal: Principal, body: SubmissionIn
) -> FeedbackCase:
    # Every read on one connection without a transaction: filing is the busiest write, and each
    # connection's BEGIN and ROLLBACK was a round trip to the database.
    with store.autocommit() as connection:
        unit_id, level, resident = _origin(store, connection, principal, body)
        if level is None:
            raise ProblemError(422, "feedback.submission.no_competent_unit")
        at = now()
        warning = reads_like_formal_procedure(body.text)
        if warning is not None and not body.not_a_complaint:
            raise ProblemError(
                422,
                "feedback.submission.reads_like_formal",
                procedure=warning.procedure.value,
                law=warning.law,
            )
        if not body.not_a_repeat:
            open_cases = queries.open_cases_of(connection, resident)
            earlier = repeated_case(body.category, body.text, at, open_cases)
            if earlier is not None:
                raise ProblemError(409, "feedback.submission.repeated", case_id=str(earlier))
        _check_attachments(store, body.attachments, resident_of(principal))
        parents = parent_lookup(store, connection)
    position = body.position if body.share_position else None
    submission = Submission(
        resident=resident,
        actor=resident_of(principal),
        channel=Channel(body.channel),
        text=body.text,
        unit_id=unit_id,
        level=level,
        address=body.address,
        position=(position.latitude, position.longitude) if position is not None else None,
        attachments=tuple(body.attachments),
        name_public=body.name_public,
        # Online, the account's name is the resident's; an official filing for someone gives none.
        public_name=principal.name if body.name_public and body.channel == Channel.ONLINE.value else "",
        household_id=principal.household_id if body.channel == Channel.ONLINE.value else body.household_id,
    )
    return app.submit(uuid4(), submission, body.category, at, parents)


@router.post("", status_code=201, responses=problems(403, 404, 409, 422))
async def file_case(body: SubmissionIn, request: Request, principal: Authenticated) -> CaseOut:
    """File a case: a resident online for their household, an official for a walk-in or a call.
    Refused, with the reason, when the text reads like a complaint or denunciation (unless the
    resident says it is not) or repeats one of the resident's open cases (unless they file it
    anyway)."""
    runtime = request.app.state.runtime
    case = await run_command(request, _file, runtime.app, runtime.store, principal, body)
    return case_out(case, now(), official=body.channel != Channel.ONLINE.value)


@router.get("/mine", responses=problems(401))
async def my_cases(
    request: Request,
    principal: Authenticated,
    limit: int = Query(default=50, ge=1, le=200),
    offset: int = Query(default=0, ge=0, le=MAX_OFFSET),
) -> list[dict[str, Any]]:
    """Your own cases (and those an official filed for your household), the newest first, each
    with where it stands."""
    store = request.app.state.runtime.store
    household = principal.household_id
    residents = [resident_of(principal)] + ([for_household(household)] if household is not None else [])
    rows = await run_in_threadpool(queries.cases_of_resident, store, residents, limit, offset)
    at = now()
    return [
        {
            "case_id": r["case_id"],
            "category": r["category"],
            "status": r["status"],
            "level": r["level"],
            "text": r["text"],
            "submitted_at": r["submitted_at"],
            "due": r["due"],
            "deadline_status": queries.deadline_status(r["due"], at),
            "answer": r["answer"],
            "rating": r["rating"],
        }
        for r in rows
    ]


def _read(
    app: FeedbackApplication, store: ReadStore, principal: Principal, case_id: UUID
) -> tuple[FeedbackCase, bool]:
    case = app.case(case_id)
    reader_guard(principal, store)(case)
    official = not owns(principal, case.resident) or reads(
        principal, store, case.unit_id, case.origin_unit_id
    )
    return case, official


@router.get("/{case_id}", responses=problems(403, 404))
async def get_case(case_id: UUID, request: Request, principal: Authenticated) -> CaseOut:
    """A case you filed, or one of the units you serve (read from its events: a step just taken
    shows at once)."""
    runtime = request.app.state.runtime
    case, official = await run_in_threadpool(_read, runtime.app, runtime.store, principal, case_id)
    return case_out(case, now(), official)


@router.get("/{case_id}/timeline", responses=problems(403, 404))
async def get_timeline(case_id: UUID, request: Request, principal: Authenticated) -> list[StepOut]:
    """A case's steps: the public ones for its resident, with the internal ones (notes, who has
    it) for the officials who may see it."""
    runtime = request.app.state.runtime
    _case, official = await run_in_threadpool(_read, runtime.app, runtime.store, principal, case_id)
    rows = await run_in_threadpool(queries.timeline, runtime.store, case_id, not official)
    return [StepOut.model_validate(r) for r in rows]


@router.post("/{case_id}/close", responses=problems(403, 404, 409, 422))
async def close_case(case_id: UUID, body: RatingIn, request: Request, principal: Authenticated) -> CaseOut:
    """Confirm the resolution of your case and rate it (1–5)."""
    app = request.app.state.runtime.app
    guard = resident_guard(principal)
    case = await run_command(
        request, app.confirm, case_id, resident_of(principal), now(), body.rating, guard=guard
    )
    return case_out(case, now(), official=False)


@router.post("/{case_id}/reopen", responses=problems(403, 404, 409, 422))
async def reopen_case(case_id: UUID, body: ReasonIn, request: Request, principal: Authenticated) -> CaseOut:
    """Not satisfied with the resolution: your case goes one level up, with your reason."""
    runtime = request.app.state.runtime
    parents = await run_in_threadpool(parent_lookup, runtime.store)
    case = await run_command(
        request,
        runtime.app.reopen,
        case_id,
        resident_of(principal),
        body.reason,
        now(),
        parents,
        guard=resident_guard(principal),
    )
    return case_out(case, now(), official=False)
