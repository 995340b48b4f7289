"""What the feedback routes take and give."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from tothon_feedback.domain.calendar import DeadlineStatus

Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Reason = Annotated[str, Field(max_length=2000)]
Text = Annotated[str, Field(max_length=4000)]


class Position(BaseModel):
    """A phone's position, sent only when the resident allows it."""

    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)


class SubmissionIn(BaseModel):
    """A case as filed. A resident files online for their household; an official files a walk-in
    or a call for a resident of a unit they serve (``unit_id``, or the household's)."""

    model_config = ConfigDict(extra="forbid")

    category: Annotated[str, Field(min_length=1, max_length=60)]
    text: Text
    address: Annotated[str, Field(max_length=300)] = ""
    # Kept only with ``share_position``: a position sent by mistake is dropped, not stored.
    position: Position | None = None
    share_position: bool = False
    attachments: Annotated[list[Sha256], Field(max_length=5)] = []
    name_public: bool = False
    channel: Literal["online", "walk_in", "phone"] = "online"
    unit_id: UUID | None = None
    household_id: UUID | None = None
    # The resident read the warning and it is feedback, not a complaint or denunciation.
    not_a_complaint: bool = False
    # The resident saw their open case that this one seems to repeat and files it anyway.
    not_a_repeat: bool = False


class ReasonIn(BaseModel):
    """A step that needs (or may carry) a reason."""

    model_config = ConfigDict(extra="forbid")

    reason: Reason = ""


class ResolutionIn(BaseModel):
    """The public answer and its evidence (references of uploaded photos or documents)."""

    model_config = ConfigDict(extra="forbid")

    answer: Text
    evidence: Annotated[list[Sha256], Field(max_length=10)]


class RatingIn(BaseModel):
    """The resident confirms the resolution and rates it."""

    model_config = ConfigDict(extra="forbid")

    rating: int
    reason: Reason = ""


class MergeIn(BaseModel):
    """The case is a duplicate of ``into``."""

    model_config = ConfigDict(extra="forbid")

    into: UUID
    reason: Reason


class ReturnIn(BaseModel):
    """The case goes down to ``unit_id`` (below its unit), with the reason."""

    model_config = ConfigDict(extra="forbid")

    unit_id: UUID
    reason: Reason


class AssignIn(BaseModel):
    """The official the case is given to (an account id; empty: nobody)."""

    model_config = ConfigDict(extra="forbid")

    official: Annotated[str, Field(max_length=80)]


class TextIn(BaseModel):
    """An internal note or a public reply."""

    model_config = ConfigDict(extra="forbid")

    text: Text


class CaseOut(BaseModel):
    """A case, for its resident and the officials who may see it (``assignee`` for officials)."""

    case_id: UUID
    category: str
    status: str
    level: str
    unit_id: UUID
    origin_unit_id: UUID
    channel: str
    text: str
    address: str
    position: Position | None
    attachments: list[str]
    name_public: bool
    submitted_at: datetime
    accept_by: datetime
    resolve_by: datetime
    due: datetime | None
    deadline_status: DeadlineStatus | None
    answer: str | None
    evidence: list[str]
    rating: int | None
    escalations: int
    reopenings: int
    merged_into: UUID | None
    assignee: str | None = None


class QueueItemOut(BaseModel):
    """A case in a unit's queue."""

    case_id: UUID
    category: str
    status: str
    level: str
    unit_id: UUID
    origin_unit_id: UUID
    channel: str
    text: str
    address: str
    submitted_at: datetime
    arrived_at: datetime
    due: datetime | None
    deadline_status: DeadlineStatus | None
    assignee: str | None
    escalations: int
    reopenings: int


class StepOut(BaseModel):
    """One step of a case's timeline."""

    version: int
    step: str
    actor: str
    reason: str
    at: datetime
    public: bool
    text: str | None
    unit_id: UUID | None
    level: str | None
    detail: dict[str, object]


class PublicCaseOut(BaseModel):
    """A resolved case as the public sees it: no resident, no words of theirs, no address."""

    case_id: UUID
    category: str
    status: str
    level: str
    origin_unit_id: UUID
    unit_id: UUID
    submitted_at: datetime
    resolved_at: datetime | None
    answer: str | None
    evidence: list[str]
    rating: int | None
    public_name: str | None = Field(description="The resident's name, shown only when they allowed it.")


class CategoryOut(BaseModel):
    """A category a resident may choose (or is told to take elsewhere: ``formal_procedure``)."""

    code: str
    name_vi: str
    name_en: str
    level: str
    formal_procedure: bool
