"""Routes for announcements: an official writes a notice for a unit's subtree (after a preview
of how many households it reaches), edits and retracts it; a household reads its feed and
acknowledges; the group leader sees who has not and records that they were told in person or by
loudspeaker; delivery statistics per unit. Each is authorised against the unit of the data."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from eventsourcing.persistence import AggregateRecorder
from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from tothon_communication.api.conversations import UploadOut, upload
from tothon_communication.application import CommunicationApplication
from tothon_communication.audio import spoken
from tothon_communication.domain.announcement import (
    MAX_ATTACHMENTS,
    MAX_GROUPS,
    Announcement,
    Band,
    Category,
    Means,
    Priority,
)
from tothon_communication.permissions import CommunicationPermission
from tothon_communication.readmodels import announcements as reads
from tothon_communication.readmodels.audiences import bands_of, household_mask, mask_of
from tothon_communication.readmodels.conversations import ATTACHMENTS, household_lineage
from tothon_communication.readmodels.tables import DIRECTORY
from tothon_shared.attachments.http import UploadedFile, file_response
from tothon_shared.auth.http import Authenticated, authorize, require
from tothon_shared.auth.lineage import descendants, lineage
from tothon_shared.auth.principal import Principal
from tothon_shared.http.commands import run_command
from tothon_shared.http.openapi import problems
from tothon_shared.http.paging import MAX_OFFSET
from tothon_shared.http.problems import ProblemError
from tothon_shared.readstore.recent import row_of
from tothon_shared.readstore.store import ReadStore

_P = CommunicationPermission
Publisher = Annotated[Principal, Depends(require(_P.ANNOUNCEMENTS_PUBLISH))]
router = APIRouter(prefix="/api/v1", tags=["announcements"])


def _app(request: Request) -> CommunicationApplication:
    app = request.app.state.runtime.app
    assert isinstance(app, CommunicationApplication)  # the communication service's routes
    return app


def store_of(request: Request) -> ReadStore:
    store: ReadStore = request.app.state.runtime.store
    return store


def _over(store: ReadStore, principal: Principal, permission: CommunicationPermission, unit_id: UUID) -> None:
    """403 unless the caller holds ``permission`` over the unit (404 for a unit not known)."""
    chain = lineage(store, DIRECTORY.units, unit_id)
    if not chain:
        raise ProblemError(404, "unit.not_found")
    authorize(principal, permission, chain)


class AnnouncementIn(BaseModel):
    """A notice to write."""

    model_config = ConfigDict(extra="forbid")
    unit_id: UUID
    groups: list[UUID] = Field(default=[], max_length=MAX_GROUPS, description="Only these units below it.")
    title: str = Field(max_length=2000)  # the domain says what is too long; this bounds the body
    body: str = Field(max_length=100_000)
    category: Category = Category.LOCAL_NOTICE
    priority: Priority = Priority.NORMAL
    publish_at: AwareDatetime | None = Field(default=None, description="Now, if not given.")
    expires_at: AwareDatetime | None = None
    bands: list[Band] = Field(
        default=[], max_length=3, description="Only households with a member in one of these age bands."
    )
    heads_only: bool = Field(default=False, description="Addressed to the heads of household.")
    attachment_ids: list[UUID] = Field(
        default=[],
        max_length=MAX_ATTACHMENTS * 4,
        description="Photos or PDFs uploaded first (POST /announcements/attachments), at most five.",
    )


class AnnouncementOut(BaseModel):
    announcement_id: UUID
    unit_id: UUID
    groups: list[UUID] = []
    title: str
    body: str
    category: Category
    priority: Priority
    requires_ack: bool
    publish_at: datetime
    expires_at: datetime | None
    edition: int = 1
    retracted_reason: str | None = None
    bands: list[Band] = []
    heads_only: bool = False
    attachment_ids: list[UUID] = []

    @field_validator("bands", mode="before")
    @classmethod
    def _bands(cls, value: object) -> object:
        # The read model keeps them as a mask.
        return bands_of(value) if isinstance(value, int) else value


class FeedItemOut(AnnouncementOut):
    read_at: datetime | None
    acknowledged_at: datetime | None
    means: Means | None


class PreviewOut(BaseModel):
    households: int


def _uploaded_by(store: ReadStore, principal: Principal, ids: list[UUID]) -> None:
    """Each file a notice cites was uploaded by its author (someone else's upload is not theirs
    to publish)."""
    if not ATTACHMENTS.all_uploaded_by(store, ids, str(principal.account_id)):
        raise ProblemError(422, "communication.announcement.attachment_unknown")


def _with_attachments(store: ReadStore, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    carried = reads.attachments_of(store, [r["announcement_id"] for r in rows])
    return [r | {"attachment_ids": carried.get(r["announcement_id"], [])} for r in rows]


def _groups_within(store: ReadStore, unit_id: UUID, groups: list[UUID]) -> None:
    inside = set(descendants(store, DIRECTORY.units, unit_id)) if groups else set()
    if any(g not in inside for g in groups):
        raise ProblemError(422, "communication.announcement.group_outside")


@router.get("/announcements/preview", responses=problems(403, 404, 422))
async def preview(
    request: Request,
    principal: Publisher,
    unit_id: UUID,
    groups: Annotated[list[UUID], Query(max_length=MAX_GROUPS)] = [],  # noqa: B006  # FastAPI's query list
    bands: Annotated[list[Band], Query(max_length=3)] = [],  # noqa: B006
) -> PreviewOut:
    """How many households a notice for this audience reaches now."""
    store = store_of(request)

    def count() -> int:
        _over(store, principal, _P.ANNOUNCEMENTS_PUBLISH, unit_id)
        _groups_within(store, unit_id, groups)
        return reads.audience_size(store, unit_id, groups, mask_of(bands))

    return PreviewOut(households=await run_in_threadpool(count))


@router.post("/announcements", status_code=201, responses=problems(403, 404, 422))
async def write(body: AnnouncementIn, request: Request, principal: Publisher) -> AnnouncementOut:
    """Write a notice for a unit's subtree (or some of its groups); shown from ``publish_at``."""
    store = store_of(request)

    def check() -> None:
        _over(store, principal, _P.ANNOUNCEMENTS_PUBLISH, body.unit_id)
        _groups_within(store, body.unit_id, body.groups)
        _uploaded_by(store, principal, body.attachment_ids)

    await run_in_threadpool(check)
    notice = await run_command(
        request,
        _app(request).write_announcement,
        body.unit_id,
        body.groups,
        body.title,
        body.body,
        body.category,
        body.priority,
        body.publish_at or datetime.now(UTC),
        body.expires_at,
        str(principal.account_id),
        body.bands,
        body.heads_only,
        body.attachment_ids,
    )
    return AnnouncementOut(
        announcement_id=notice.id,
        unit_id=notice.unit_id,
        groups=notice.groups,
        title=notice.title,
        body=notice.body,
        category=notice.category,
        priority=notice.priority,
        requires_ack=notice.requires_ack,
        publish_at=notice.publish_at,
        expires_at=notice.expires_at,
        bands=notice.bands,
        heads_only=notice.heads_only,
        attachment_ids=notice.attachments,
    )


@router.get("/announcements", responses=problems(403, 404))
async def written(
    request: Request,
    principal: Authenticated,
    unit_id: UUID,
    limit: int = Query(default=50, ge=1, le=200),
    offset: int = Query(default=0, ge=0, le=MAX_OFFSET),
) -> list[AnnouncementOut]:
    """The notices written at a unit and the units below it, newest first."""
    store = store_of(request)

    def listed() -> list[dict[str, Any]]:
        _over(store, principal, _P.ANNOUNCEMENTS_READ, unit_id)
        rows = reads.written_at(store, descendants(store, DIRECTORY.units, unit_id), limit, offset)
        return _with_attachments(store, rows)

    return [AnnouncementOut.model_validate(r) for r in await run_in_threadpool(listed)]


def _written(store: ReadStore, recorder: AggregateRecorder, announcement_id: UUID) -> dict[str, Any] | None:
    """The notice's row; one written a moment ago, once projected (``row_of``)."""
    return row_of(lambda: reads.notice(store, announcement_id), recorder, announcement_id, Announcement)


def _notice(store: ReadStore, recorder: AggregateRecorder, announcement_id: UUID) -> dict[str, Any]:
    """The notice's row, or 404."""
    found = _written(store, recorder, announcement_id)
    if found is None:
        raise ProblemError(404, "communication.announcement.not_found")
    return found


@router.get("/announcements/{announcement_id}", responses=problems(403, 404))
async def one(announcement_id: UUID, request: Request, principal: Authenticated) -> AnnouncementOut:
    """A notice: for an official of its unit, or a household it reaches."""
    store = store_of(request)

    def shown() -> dict[str, Any]:
        found = _notice(store, _app(request).recorder, announcement_id)
        household = principal.household_id
        if household is None or not reads.reaches(store, announcement_id, household):
            _over(store, principal, _P.ANNOUNCEMENTS_READ, found["unit_id"])
        return _with_attachments(store, [found])[0]

    return AnnouncementOut.model_validate(await run_in_threadpool(shown))


class EditIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(max_length=2000)
    body: str = Field(max_length=100_000)


class EditOut(BaseModel):
    edition: int


@router.put("/announcements/{announcement_id}", responses=problems(403, 404, 409, 422))
async def edit(announcement_id: UUID, body: EditIn, request: Request, principal: Publisher) -> EditOut:
    """A new version of a notice's text (the earlier ones stay in its history)."""
    store = store_of(request)
    found = await run_in_threadpool(_notice, store, _app(request).recorder, announcement_id)
    await run_in_threadpool(_over, store, principal, _P.ANNOUNCEMENTS_PUBLISH, found["unit_id"])
    edition = await run_command(
        request,
        _app(request).edit_announcement,
        announcement_id,
        body.title,
        body.body,
        str(principal.account_id),
        datetime.now(UTC),
    )
    return EditOut(edition=edition)


class RetractionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(max_length=5000)


@router.post(
    "/announcements/{announcement_id}/retraction", status_code=204, responses=problems(403, 404, 409)
)
async def retract(
    announcement_id: UUID, body: RetractionIn, request: Request, principal: Publisher
) -> Response:
    """Withdraw a notice, saying why; households see the reason where the notice was."""
    store = store_of(request)
    found = await run_in_threadpool(_notice, store, _app(request).recorder, announcement_id)
    await run_in_threadpool(_over, store, principal, _P.ANNOUNCEMENTS_PUBLISH, found["unit_id"])
    await run_command(
        request,
        _app(request).retract_announcement,
        announcement_id,
        body.reason,
        str(principal.account_id),
        datetime.now(UTC),
    )
    return Response(status_code=204)


def _household_unit(store: ReadStore, household_id: UUID) -> UUID:
    chain = household_lineage(store, household_id)
    if not chain:
        raise ProblemError(404, "communication.announcement.household_not_found")
    return chain[0]


def for_household(
    store: ReadStore, principal: Principal, household_id: UUID, permission: CommunicationPermission
) -> UUID:
    """The household's unit, once the caller is of the household or holds ``permission`` over it."""
    unit = _household_unit(store, household_id)
    if principal.household_id != household_id:
        _over(store, principal, permission, unit)
    return unit


@router.get("/households/{household_id}/feed", responses=problems(403, 404))
async def household_feed(
    household_id: UUID,
    request: Request,
    principal: Authenticated,
    limit: int = Query(default=50, ge=1, le=200),
    offset: int = Query(default=0, ge=0, le=MAX_OFFSET),
) -> list[FeedItemOut]:
    """A household's notices, newest first, with what it did about each."""
    store = store_of(request)

    def listed() -> list[dict[str, Any]]:
        # One connection without a transaction for the check, the feed and its files.
        with store.autocommit() as connection:
            chain = household_lineage(store, household_id, connection)
            if not chain:
                raise ProblemError(404, "communication.announcement.household_not_found")
            if principal.household_id != household_id:
                _over(store, principal, _P.ANNOUNCEMENTS_READ, chain[0])
            return reads.feed(store, household_id, datetime.now(UTC), limit, offset, connection, chain)

    return [FeedItemOut.model_validate(r) for r in await run_in_threadpool(listed)]


class ReceiptIn(BaseModel):
    """A household's receipt of a notice: on its own page (``app``), or recorded by the group
    leader who told it in person or by loudspeaker."""

    model_config = ConfigDict(extra="forbid")
    household_id: UUID
    means: Means = Means.APP


class ReceiptOut(BaseModel):
    recorded: bool = Field(description="False when the household had acknowledged it already.")


async def _receipt(
    request: Request, principal: Principal, announcement_id: UUID, body: ReceiptIn, acknowledging: bool
) -> ReceiptOut:
    store, recorder = store_of(request), _app(request).recorder

    def check() -> UUID:
        # One connection, without a transaction: BEGIN and ROLLBACK were two round trips a request.
        with store.autocommit() as connection:
            chain = household_lineage(store, body.household_id, connection)
            found = reads.notice(store, announcement_id, connection)
            mask = household_mask(connection, body.household_id) if found and found["bands"] else 0
        if found is None:  # perhaps written a moment ago: its row once projected (still None if never)
            found = _written(store, recorder, announcement_id)
            if found is not None and found["bands"]:
                with store.autocommit() as connection:
                    mask = household_mask(connection, body.household_id)
        # One lineage read serves the caller's check and the notice's reach.
        if not chain:
            raise ProblemError(404, "communication.announcement.household_not_found")
        if body.means is Means.APP:
            if principal.household_id != body.household_id:
                raise ProblemError(403, "communication.announcement.not_your_household")
        else:  # told in person or by loudspeaker: the leader records it, never the household itself
            _over(store, principal, _P.DELIVERIES_RECORD, chain[0])
        if found is None:
            raise ProblemError(404, "communication.announcement.not_found")
        if found["retracted_reason"] is not None:
            raise ProblemError(409, "communication.announcement.retracted")
        if not reads.reaches_chain(found, chain, mask):
            raise ProblemError(422, "communication.announcement.not_for_household")
        return chain[0]

    app = _app(request)

    def checked_and_recorded() -> bool:
        # The check and the record in one trip to the thread pool: a city's households acknowledge
        # by the hundred a second, and each hop costs the event loop's thread.
        return app.acknowledge(
            announcement_id,
            body.household_id,
            check(),
            body.means if acknowledging else None,
            str(principal.account_id),
            datetime.now(UTC),
        )

    return ReceiptOut(recorded=await run_command(request, checked_and_recorded))


@router.post("/announcements/{announcement_id}/acknowledgements", responses=problems(403, 404, 409, 422))
async def acknowledge(
    announcement_id: UUID, body: ReceiptIn, request: Request, principal: Authenticated
) -> ReceiptOut:
    """The household knows the notice. Sent again (a queued one), it changes nothing."""
    return await _receipt(request, principal, announcement_id, body, acknowledging=True)


class ToldIn(BaseModel):
    """Households told in person or by loudspeaker, recorded at once (the leader's round)."""

    model_config = ConfigDict(extra="forbid")
    household_ids: list[UUID] = Field(min_length=1, max_length=500)
    means: Literal[Means.IN_PERSON, Means.LOUDSPEAKER]


class ToldOut(BaseModel):
    recorded: int = Field(description="Households newly recorded (the others had acknowledged already).")


@router.post(
    "/announcements/{announcement_id}/acknowledgements/batch", responses=problems(403, 404, 409, 422)
)
async def told_many(
    announcement_id: UUID, body: ToldIn, request: Request, principal: Authenticated
) -> ToldOut:
    """Record up to 500 households told in person or by loudspeaker in one request, all or none:
    each must be of a unit you record deliveries for and reached by the notice (``item`` names
    the first that is not)."""
    store = store_of(request)
    app = _app(request)
    households = list(dict.fromkeys(body.household_ids))

    def checked_and_recorded() -> int:
        found = _notice(store, _app(request).recorder, announcement_id)
        if found["retracted_reason"] is not None:
            raise ProblemError(409, "communication.announcement.retracted")
        units = reads.units_of(store, households)
        masks = reads.masks_of(store, households) if found["bands"] else {}
        chains: dict[UUID, list[UUID]] = {}
        with store.autocommit() as connection:  # the unit tree in memory: one connection for all
            for n, household in enumerate(households):
                unit = units.get(household)
                if unit is None:
                    raise ProblemError(404, "communication.announcement.household_not_found", item=n)
                if unit not in chains:
                    chains[unit] = lineage(store, DIRECTORY.units, unit, connection)
                if principal.role_for(_P.DELIVERIES_RECORD, chains[unit]) is None:
                    raise ProblemError(403, "auth.forbidden", item=n)
                if not reads.reaches_chain(found, chains[unit], masks.get(household, 0)):
                    raise ProblemError(422, "communication.announcement.not_for_household", item=n)
        already = reads.with_receipts(store, announcement_id, households)
        return app.acknowledge_many(
            announcement_id,
            {h: units[h] for h in households},
            already,
            Means(body.means),
            str(principal.account_id),
            datetime.now(UTC),
        )

    return ToldOut(recorded=await run_command(request, checked_and_recorded))


@router.post("/announcements/{announcement_id}/reads", responses=problems(403, 404, 409, 422))
async def mark_read(
    announcement_id: UUID, body: ReceiptIn, request: Request, principal: Authenticated
) -> ReceiptOut:
    """The household opened the notice."""
    return await _receipt(request, principal, announcement_id, body, acknowledging=False)


class PendingOut(BaseModel):
    household_id: UUID
    household_code: str
    unit_id: UUID


@router.get("/announcements/{announcement_id}/pending", responses=problems(403, 404))
async def not_acknowledged(
    announcement_id: UUID, request: Request, principal: Authenticated, unit_id: UUID
) -> list[PendingOut]:
    """The households of a unit (the leader's group) the notice reaches that have not
    acknowledged it: whom to tell in person or by loudspeaker."""
    store = store_of(request)

    def listed() -> list[dict[str, Any]]:
        _over(store, principal, _P.ANNOUNCEMENTS_READ, unit_id)
        return reads.pending(store, _notice(store, _app(request).recorder, announcement_id), unit_id)

    return [PendingOut.model_validate(r) for r in await run_in_threadpool(listed)]


class StatisticsOut(BaseModel):
    unit_id: UUID
    unit_name: str
    reached: int
    read: int
    acknowledged: int
    offline: int = Field(description="Told in person or by loudspeaker.")


@router.get("/announcements/{announcement_id}/statistics", responses=problems(403, 404))
async def delivery(announcement_id: UUID, request: Request, principal: Authenticated) -> list[StatisticsOut]:
    """Per unit the notice reaches: households reached, read, acknowledged, told offline."""
    store = store_of(request)

    def counted() -> list[dict[str, Any]]:
        found = _notice(store, _app(request).recorder, announcement_id)
        _over(store, principal, _P.ANNOUNCEMENTS_READ, found["unit_id"])
        return reads.statistics(store, found)

    return [StatisticsOut.model_validate(r) for r in await run_in_threadpool(counted)]


@router.get(
    "/announcements/{announcement_id}/audio.mp3",
    response_class=Response,
    responses={200: {"content": {"audio/mpeg": {}}}, **problems(403, 404, 503)},
)
async def audio(announcement_id: UUID, request: Request, principal: Authenticated) -> Response:
    """The notice read aloud in Vietnamese, for the village loudspeaker (MP3): for an official of
    its unit, or a household it reaches."""
    store = store_of(request)

    def text() -> str:
        found = _notice(store, _app(request).recorder, announcement_id)
        household = principal.household_id
        if household is None or not reads.reaches(store, announcement_id, household):
            _over(store, principal, _P.ANNOUNCEMENTS_READ, found["unit_id"])
        return f"{found['title']}.\n{found['body']}"

    made = await run_in_threadpool(spoken, await run_in_threadpool(text))
    return Response(
        made.mp3,
        media_type="audio/mpeg",
        headers={"Content-Disposition": f'attachment; filename="thong-bao-{announcement_id}.mp3"'},
    )


@router.post("/announcements/attachments", status_code=201, responses=problems(401, 403, 413, 415, 422))
async def upload_attachment(request: Request, principal: Publisher, file: UploadedFile) -> UploadOut:
    """Send a photo or a PDF for a notice you will write, as the form field ``file`` (its content
    decides what it is); then cite its ``attachment_id`` in the notice."""
    return await upload(request, principal, file)


@router.get(
    "/announcements/{announcement_id}/attachments/{attachment_id}",
    response_class=Response,
    responses=problems(403, 404),
)
async def get_attachment(
    announcement_id: UUID,
    attachment_id: UUID,
    request: Request,
    principal: Authenticated,
    size: Annotated[Literal["full", "thumb"], Query()] = "full",
) -> Response:
    """A file a notice carries: for an official of its unit, or a household it reaches."""
    store = store_of(request)

    def content() -> tuple[str, bytes]:
        found = _notice(store, _app(request).recorder, announcement_id)
        household = principal.household_id
        if household is None or not reads.reaches(store, announcement_id, household):
            _over(store, principal, _P.ANNOUNCEMENTS_READ, found["unit_id"])
        upload = ATTACHMENTS.upload(store, attachment_id)
        if upload is None or not reads.carries(store, announcement_id, attachment_id):
            raise ProblemError(404, "communication.announcement.attachment_not_found")
        sha = upload.thumbnail_sha256 if size == "thumb" and upload.thumbnail_sha256 else upload.sha256
        stored = ATTACHMENTS.content(store, sha)
        if stored is None:
            raise ProblemError(404, "communication.announcement.attachment_not_found")
        return stored

    media_type, data = await run_in_threadpool(content)
    return file_response(media_type, data, f"tep-{attachment_id}", "private, max-age=3600")
