"""What is filed: by the resident, or by an official for a resident who came in or called."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from uuid import UUID

from tothon_feedback.domain.errors import SubmissionError
from tothon_feedback.domain.levels import Level


class Channel(StrEnum):
    """How a case came in: from the resident, or from an official on the resident's behalf."""

    ONLINE = "online"  # the resident, in the app or on the web
    WALK_IN = "walk_in"  # at the office, written down by an official
    PHONE = "phone"  # a call, written down by an official
    SYSTEM = "system"  # another city system (a hotline, through Open311), for its caller

    @property
    def on_behalf(self) -> bool:
        """Whether an official files the case for the resident."""
        return self is not Channel.ONLINE


@dataclass(frozen=True)
class Submission:
    """A case as filed: who it is for (``resident``), who filed it (``actor``: the resident
    online, an official otherwise), its text, and the unit it comes from (the resident's group or
    village, or the unit it is about) at that unit's ``level``; where it is (an address, and the
    phone's position only when the resident chose to share it), the references of its photos and
    files, and whether the resident's name may be shown publicly."""

    resident: str
    actor: str
    channel: Channel
    text: str
    unit_id: UUID
    level: Level
    reason: str = ""
    address: str = ""
    position: tuple[float, float] | None = None
    attachments: tuple[str, ...] = field(default_factory=tuple)
    name_public: bool = False
    # The name shown with the case's public outcome, when the resident allowed it.
    public_name: str = ""
    # The resident's household, when known (online, from the account's binding): the household
    # other services tell of the case's steps.
    household_id: UUID | None = None

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise SubmissionError(code="text_required")
        # Online is the resident's own channel; at the counter or on the phone an official writes
        # the case down, and the case says so.
        if self.channel.on_behalf == (self.actor == self.resident):
            raise SubmissionError(code="channel")
        if self.public_name and not self.name_public:
            raise SubmissionError(code="name_not_public")
        if self.position is not None:
            latitude, longitude = self.position
            if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
                raise SubmissionError(code="position")
