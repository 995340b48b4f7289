"""Conversations (issue 18, point 4): a household with its group leader or its area's police
officer, a group's moderated channel, a unit's officials among themselves. Whoever is not a member
of a conversation gets 403, whatever else they may do; a resident opens only their own household's
conversation, with the leader of their own group or the officer of their own area. New messages
are polled with ``after`` (the place of the last message a page has)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from uuid import UUID, uuid4

from eventsourcing.persistence import AggregateRecorder
from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field, NonNegativeInt

from tothon_communication.application import CommunicationApplication
from tothon_communication.domain.conversation import (
    MAX_ATTACHMENTS,
    Conversation,
    ConversationKind,
    message_text,
)
from tothon_communication.domain.conversation_membership import (
    COUNTERPART,
    Caller,
    Place,
    as_resident,
    moderates,
    takes_part,
)
from tothon_communication.permissions import CommunicationPermission
from tothon_communication.readmodels import conversations as reads
from tothon_communication.readmodels.conversations import ATTACHMENTS
from tothon_communication.readmodels.tables import DIRECTORY
from tothon_shared.attachments.http import UploadedFile, file_response
from tothon_shared.attachments.limits import Limits
from tothon_shared.attachments.processing import PDF
from tothon_shared.attachments.uploads import store_upload
from tothon_shared.auth.http import Authenticated
from tothon_shared.auth.lineage import descendants, lineage
from tothon_shared.auth.principal import Principal
from tothon_shared.http.commands import run_command
from tothon_shared.http.openapi import problems
from tothon_shared.http.problems import ProblemError, catalogue_of, language
from tothon_shared.readstore.recent import row_of
from tothon_shared.readstore.store import ReadStore

CONVERSATIONS = "/api/v1/conversations"
UPLOADS = CONVERSATIONS + "/attachments"
LIMITS = Limits()  # 10 MB a file: a phone's photo, a scanned letter
_P = CommunicationPermission
router = APIRouter(prefix=CONVERSATIONS, tags=["conversations"])


class OpenIn(BaseModel):
    """A conversation to open (or find open). A resident names the kind only: their household
    and its group (or, for the police, the unit of their area) are taken from the register."""

    kind: ConversationKind
    unit_id: UUID | None = None
    household_id: UUID | None = None


class ConversationOut(BaseModel):
    conversation_id: UUID
    kind: ConversationKind
    unit_id: UUID
    household_id: UUID | None
    last_seq: int
    last_at: datetime | None
    read_up_to: int
    unread: int
    # The officials who answer a household's conversation (from the registry's role assignments).
    officials: list[UUID] = []
    moderator: bool = False


class MessageIn(BaseModel):
    """A message: its text (NFC, not empty, at most 2,000 characters) and up to five uploads."""

    text: str = Field(max_length=20_000)  # the domain says what is too long; this bounds the body
    attachment_ids: list[UUID] = Field(default=[], max_length=MAX_ATTACHMENTS * 4)


class MessageOut(BaseModel):
    message_id: UUID
    seq: int
    author_account: str
    author_household: UUID | None
    # None once hidden: ``hidden_notice`` says so, with the moderator's reason.
    text: str | None
    attachment_ids: list[UUID]
    posted_at: datetime
    hidden: bool
    hidden_notice: str | None


class MessagesOut(BaseModel):
    messages: list[MessageOut]
    last_seq: int


class HideIn(BaseModel):
    reason: str = Field(max_length=2000)


class ReadIn(BaseModel):
    up_to: int = Field(ge=0)


class ReadOut(BaseModel):
    read_up_to: int
    unread: int


class UploadOut(BaseModel):
    attachment_id: UUID
    kind: Literal["photo", "pdf"]
    media_type: str
    size: int
    sha256: str


def _app(request: Request) -> CommunicationApplication:
    app = request.app.state.runtime.app
    assert isinstance(app, CommunicationApplication)  # the communication service's routes
    return app


def _store(request: Request) -> ReadStore:
    store: ReadStore = request.app.state.runtime.store
    return store


def _caller(store: ReadStore, principal: Principal) -> Caller:
    part = _P.CONVERSATIONS_TAKE_PART.carriers()
    return Caller(
        household_id=principal.household_id,
        household_lineage=reads.household_lineage(store, principal.household_id),
        takes_part=[(g.role, g.unit_id) for g in principal.grants if g.role in part],
        moderates=principal.units_with(_P.CONVERSATIONS_MODERATE),
    )


def _place(store: ReadStore, row: dict[str, Any]) -> Place:
    return Place(
        ConversationKind(row["kind"]),
        row["unit_id"],
        row["household_id"],
        lineage(store, DIRECTORY.units, row["unit_id"]),
    )


def _below(store: ReadStore, place: Place) -> list[UUID]:
    # Only a unit's officials' conversation reaches below its unit.
    return (
        descendants(store, DIRECTORY.units, place.unit_id) if place.kind is ConversationKind.OFFICIALS else []
    )


def _member(
    store: ReadStore, recorder: AggregateRecorder, principal: Principal, conversation_id: UUID
) -> tuple[dict[str, Any], Caller, Place]:
    """The conversation (one opened a moment ago once projected: ``row_of``), once the caller is
    found a member of it (404, 403)."""
    row = row_of(
        lambda: reads.conversation_row(store, conversation_id), recorder, conversation_id, Conversation
    )
    if row is None:
        raise ProblemError(404, "communication.conversation.not_found")
    caller, place = _caller(store, principal), _place(store, row)
    if not takes_part(caller, place, _below(store, place)):
        raise ProblemError(403, "auth.forbidden")
    return row, caller, place


def _summary(
    store: ReadStore, principal: Principal, row: dict[str, Any], caller: Caller, place: Place
) -> ConversationOut:
    reader = str(principal.account_id)
    marker = reads.read_up_to(store, [row["conversation_id"]], reader).get(row["conversation_id"], 0)
    kind = ConversationKind(row["kind"])
    officials = reads.holders(store, COUNTERPART[kind].value, row["unit_id"]) if kind.with_household else []
    return ConversationOut(
        conversation_id=row["conversation_id"],
        kind=kind,
        unit_id=row["unit_id"],
        household_id=row["household_id"],
        last_seq=row["last_seq"],
        last_at=row["last_at"],
        read_up_to=marker,
        unread=reads.unread(store, row["conversation_id"], reader, marker),
        officials=officials,
        moderator=moderates(caller, place),
    )


def _target(store: ReadStore, principal: Principal, body: OpenIn) -> tuple[UUID, UUID | None, Place]:
    """The unit and household a conversation to open is about, refused (403) when the caller would
    not be a member: a resident's own household only, with its own group's leader or its own
    area's officer."""
    kind = body.kind
    household = (body.household_id or principal.household_id) if kind.with_household else body.household_id
    own = reads.household_lineage(store, principal.household_id)
    unit = body.unit_id
    if unit is None and kind in (ConversationKind.RESIDENT_LEADER, ConversationKind.GROUP_CHANNEL) and own:
        unit = own[0]
    if unit is None and kind is ConversationKind.RESIDENT_POLICE:
        # A resident does not know their area's unit: the nearest of their household's units with
        # an area police officer assigned.
        unit = next((u for u in own if reads.holders(store, COUNTERPART[kind].value, u)), None)
    if unit is None:
        raise ProblemError(422, "communication.conversation.unit_required")
    chain = lineage(store, DIRECTORY.units, unit)
    if not chain:
        raise ProblemError(404, "unit.not_found")
    if kind is ConversationKind.GROUP_CHANNEL and not reads.holds_households(store, unit):
        raise ProblemError(422, "communication.conversation.not_a_group")
    place = Place(kind, unit, household, chain)
    caller = _caller(store, principal)
    if kind.with_household and household is not None:
        theirs = reads.household_lineage(store, household)
        # The household's group's leader; the officer of a unit the household lies in.
        within = bool(theirs) and (
            theirs[0] == unit if kind is ConversationKind.RESIDENT_LEADER else unit in theirs
        )
        if not within:
            raise ProblemError(403, "auth.forbidden")
    below = descendants(store, DIRECTORY.units, unit) if kind is ConversationKind.OFFICIALS else []
    if not takes_part(caller, place, below):
        raise ProblemError(403, "auth.forbidden")
    if kind.with_household and not reads.holders(store, COUNTERPART[kind].value, unit):
        raise ProblemError(422, "communication.conversation.no_counterpart")
    return unit, household, place


@router.post("", status_code=201, responses=problems(403, 404, 422))
async def open_conversation(
    body: OpenIn, request: Request, response: Response, principal: Authenticated
) -> ConversationOut:
    """Open a conversation you take part in, or find it open (200 then)."""
    store = _store(request)
    unit, household, place = await run_in_threadpool(_target, store, principal, body)
    conversation_id, opened = await run_command(
        request,
        _app(request).open_conversation,
        body.kind,
        unit,
        household,
        str(principal.account_id),
        datetime.now(UTC),
    )
    if not opened:
        response.status_code = 200
    # Read from the conversation itself: its read model may not have caught up with it yet.
    conversation = await run_in_threadpool(_app(request).conversation, conversation_id)
    caller = await run_in_threadpool(_caller, store, principal)
    reader = str(principal.account_id)
    officials = (
        await run_in_threadpool(reads.holders, store, COUNTERPART[body.kind].value, unit)
        if body.kind.with_household
        else []
    )
    return ConversationOut(
        conversation_id=conversation_id,
        kind=body.kind,
        unit_id=unit,
        household_id=household,
        last_seq=conversation.last,
        last_at=conversation.last_at,
        read_up_to=conversation.read_up_to.get(reader, 0),
        unread=conversation.unread_by(reader),
        officials=officials,
        moderator=moderates(caller, place),
    )


def _mine(store: ReadStore, principal: Principal, limit: int, offset: int) -> list[ConversationOut]:
    caller = _caller(store, principal)
    serving_in: set[UUID] = set()
    for _role, unit in caller.takes_part:
        serving_in |= set(lineage(store, DIRECTORY.units, unit))
    reach = reads.Reach(
        household_id=principal.household_id,
        household_unit=caller.household_lineage[0] if caller.household_lineage else None,
        leads=tuple(u for r, u in caller.takes_part if r is COUNTERPART[ConversationKind.RESIDENT_LEADER]),
        polices=tuple(u for r, u in caller.takes_part if r is COUNTERPART[ConversationKind.RESIDENT_POLICE]),
        over=tuple({u for _r, u in caller.takes_part}),
        serving_in=tuple(serving_in),
    )
    found: list[ConversationOut] = []
    for row in reads.candidates(store, reach, limit, offset):
        place = _place(store, row)
        if takes_part(caller, place, _below(store, place)):  # the reach is the rule; checked still
            found.append(_summary(store, principal, row, caller, place))
    return found


@router.get("", responses=problems(401))
async def my_conversations(
    request: Request,
    principal: Authenticated,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[ConversationOut]:
    """The conversations you take part in, the latest first, with how many messages you have not read."""
    return await run_in_threadpool(_mine, _store(request), principal, limit, offset)


def _one(
    store: ReadStore, recorder: AggregateRecorder, principal: Principal, conversation_id: UUID
) -> ConversationOut:
    row, caller, place = _member(store, recorder, principal, conversation_id)
    return _summary(store, principal, row, caller, place)


@router.get("/{conversation_id}", responses=problems(403, 404))
async def get_conversation(
    conversation_id: UUID, request: Request, principal: Authenticated
) -> ConversationOut:
    """A conversation you take part in."""
    return await run_in_threadpool(_one, _store(request), _app(request).recorder, principal, conversation_id)


def _message(row: dict[str, Any], notice: str) -> MessageOut:
    hidden = row["hidden_at"] is not None
    return MessageOut(
        message_id=row["message_id"],
        seq=row["seq"],
        author_account=row["author_account"],
        author_household=row["author_household"],
        text=None if hidden else row["text"],
        attachment_ids=[] if hidden else [UUID(a) for a in row["attachments"]],
        posted_at=row["posted_at"],
        hidden=hidden,
        hidden_notice=notice.format(reason=row["hidden_reason"]) if hidden else None,
    )


def _page(
    store: ReadStore,
    recorder: AggregateRecorder,
    principal: Principal,
    conversation_id: UUID,
    after: int | UUID | None,
    before: int | None,
    limit: int,
    notice: str,
) -> MessagesOut:
    row = _member(store, recorder, principal, conversation_id)[0]
    place = after if not isinstance(after, UUID) else None
    if isinstance(after, UUID):
        seen = reads.message_row(store, conversation_id, after)
        if seen is None:
            raise ProblemError(404, "communication.conversation.message_not_found")
        place = int(seen["seq"])
    rows = reads.messages_of(store, conversation_id, place, before, limit)
    return MessagesOut(messages=[_message(r, notice) for r in rows], last_seq=row["last_seq"])


@router.get("/{conversation_id}/messages", responses=problems(403, 404))
async def list_messages(
    conversation_id: UUID,
    request: Request,
    principal: Authenticated,
    after: Annotated[
        NonNegativeInt | UUID | None,
        Query(description="Only messages after this place or this message's id: what is new since."),
    ] = None,
    before: Annotated[int | None, Query(ge=1, description="The page of messages before this place.")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> MessagesOut:
    """A page of a conversation's messages, in order: the latest ``limit`` (before ``before``), or
    those after ``after`` (a page polls with the place or the id of the last message it shows). A hidden
    message shows who hid it and why, not its text."""
    notice = catalogue_of(request).text("communication.conversation.hidden_notice", language(request))
    return await run_in_threadpool(
        _page,
        _store(request),
        _app(request).recorder,
        principal,
        conversation_id,
        after,
        before,
        limit,
        notice,
    )


def _checked_attachments(store: ReadStore, principal: Principal, ids: list[UUID]) -> None:
    """Each attachment cited was uploaded by the poster (422 otherwise: someone else's file is
    not theirs to show to this conversation)."""
    if not ATTACHMENTS.all_uploaded_by(store, ids, str(principal.account_id)):
        raise ProblemError(422, "communication.conversation.attachment_unknown")


def _poster(
    store: ReadStore,
    recorder: AggregateRecorder,
    principal: Principal,
    conversation_id: UUID,
    body: MessageIn,
) -> UUID | None:
    """The household the message speaks for (a resident's), once the poster is found a member."""
    _row, caller, place = _member(store, recorder, principal, conversation_id)
    _checked_attachments(store, principal, body.attachment_ids)
    return principal.household_id if as_resident(caller, place) else None


@router.post("/{conversation_id}/messages", status_code=201, responses=problems(403, 404, 422))
async def post_message(
    conversation_id: UUID, body: MessageIn, request: Request, principal: Authenticated
) -> MessageOut:
    """Post a message to a conversation you take part in."""
    store = _store(request)
    household = await run_in_threadpool(
        _poster, store, _app(request).recorder, principal, conversation_id, body
    )
    message_id, at = uuid4(), datetime.now(UTC)
    seq = await run_command(
        request,
        _app(request).post_message,
        conversation_id,
        message_id,
        body.text,
        body.attachment_ids,
        str(principal.account_id),
        household,
        at,
    )
    return MessageOut(
        message_id=message_id,
        seq=seq,
        author_account=str(principal.account_id),
        author_household=household,
        text=message_text(body.text),  # as the conversation kept it
        attachment_ids=body.attachment_ids,
        posted_at=at,
        hidden=False,
        hidden_notice=None,
    )


def _moderator(
    store: ReadStore, recorder: AggregateRecorder, principal: Principal, conversation_id: UUID
) -> None:
    _row, caller, place = _member(store, recorder, principal, conversation_id)
    if not moderates(caller, place):
        raise ProblemError(403, "auth.forbidden")


@router.post(
    "/{conversation_id}/messages/{message_id}/hide", status_code=204, responses=problems(403, 404, 409, 422)
)
async def hide_message(
    conversation_id: UUID, message_id: UUID, body: HideIn, request: Request, principal: Authenticated
) -> Response:
    """Hide a message of a group's channel you moderate, with the reason its members will see
    (its text stays in the conversation's events, for audit)."""
    store = _store(request)
    await run_in_threadpool(_moderator, store, _app(request).recorder, principal, conversation_id)
    await run_command(
        request,
        _app(request).hide_message,
        conversation_id,
        message_id,
        str(principal.account_id),
        body.reason,
        datetime.now(UTC),
    )
    return Response(status_code=204)


def _reader(
    store: ReadStore, recorder: AggregateRecorder, principal: Principal, conversation_id: UUID
) -> None:
    _member(store, recorder, principal, conversation_id)


@router.post("/{conversation_id}/read", responses=problems(403, 404, 422))
async def mark_read(
    conversation_id: UUID, body: ReadIn, request: Request, principal: Authenticated
) -> ReadOut:
    """Note that you have read the conversation up to the message at place ``up_to``."""
    store = _store(request)
    await run_in_threadpool(_reader, store, _app(request).recorder, principal, conversation_id)
    reader = str(principal.account_id)
    await run_command(request, _app(request).mark_read, conversation_id, reader, body.up_to)
    conversation = await run_in_threadpool(_app(request).conversation, conversation_id)
    return ReadOut(read_up_to=conversation.read_up_to.get(reader, 0), unread=conversation.unread_by(reader))


@router.post("/attachments", status_code=201, responses=problems(401, 413, 415, 422))
async def upload_attachment(request: Request, principal: Authenticated, file: UploadedFile) -> UploadOut:
    """Send a photo or a PDF as the form field ``file`` (its content decides what it is); then cite
    its ``attachment_id`` in a message. Nothing of the camera or its position is kept."""
    return await upload(request, principal, file)


async def upload(request: Request, principal: Principal, file: UploadedFile) -> UploadOut:
    """Keep an upload in the service's attachment store (messages' and notices')."""
    data = await file.read()
    stored = await run_in_threadpool(
        store_upload,
        ATTACHMENTS,
        _store(request),
        data,
        share_location=False,
        uploader=str(principal.account_id),
        at=datetime.now(UTC),
        max_bytes=LIMITS.file_bytes,
    )
    return UploadOut(
        attachment_id=stored.upload_id,
        kind="pdf" if stored.media_type == PDF else "photo",
        media_type=stored.media_type,
        size=stored.size,
        sha256=stored.sha256,
    )


def _attachment(
    store: ReadStore,
    recorder: AggregateRecorder,
    principal: Principal,
    conversation_id: UUID,
    attachment_id: UUID,
    thumbnail: bool,
) -> tuple[str, bytes]:
    _member(store, recorder, principal, conversation_id)
    upload = ATTACHMENTS.upload(store, attachment_id)
    if upload is None or not reads.cites(store, conversation_id, attachment_id):
        raise ProblemError(404, "communication.conversation.attachment_not_found")
    sha = upload.thumbnail_sha256 if thumbnail and upload.thumbnail_sha256 else upload.sha256
    found = ATTACHMENTS.content(store, sha)
    if found is None:
        raise ProblemError(404, "communication.conversation.attachment_not_found")
    return found


@router.get(
    "/{conversation_id}/attachments/{attachment_id}", response_class=Response, responses=problems(403, 404)
)
async def get_attachment(
    conversation_id: UUID,
    attachment_id: UUID,
    request: Request,
    principal: Authenticated,
    size: Annotated[Literal["full", "thumb"], Query()] = "full",
) -> Response:
    """A file cited by a message still shown in a conversation you take part in."""
    media_type, content = await run_in_threadpool(
        _attachment,
        _store(request),
        _app(request).recorder,
        principal,
        conversation_id,
        attachment_id,
        size == "thumb",
    )
    return file_response(media_type, content, f"tep-{attachment_id}", "private, max-age=3600")
