"""Announcements: a notice written at a unit for its subtree (optionally narrowed to some of its
groups), with a category and a priority, published at once or at a time, until an expiry; edited
as new versions (each kept), retracted with a reason. Its households are never listed in it: who
receives it is worked out from the unit tree when a household reads its feed, so a city-wide
notice is one event, whatever the audience. A household's receipt (read, acknowledged, told in
person or by loudspeaker) is an aggregate of its own, one per household that acts."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from tothon_shared.kernel.errors import CodedError

MAX_TITLE = 200
MAX_BODY = 10_000
MAX_GROUPS = 200
MAX_REASON = 500
MAX_ATTACHMENTS = 5


class AnnouncementError(CodedError):
    """A notice or a step refused: ``title_required``, ``title_too_long``, ``body_required``,
    ``body_too_long``, ``text_unsafe``, ``expiry_before_publication``, ``too_many_groups``,
    ``retracted``, ``reason_required``, ``not_found``, ``means_invalid``."""


class Category(StrEnum):
    """What a notice is about (the Law on Grassroots Democracy's kinds of disclosure)."""

    POLICY_LAW = "policy_law"
    LOCAL_NOTICE = "local_notice"
    MEETING_NOTICE = "meeting_notice"
    EMERGENCY = "emergency"


class Priority(StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"


class Band(StrEnum):
    """An age band of the registry's published counts: a notice may be for households with a
    member in some of them (a vaccination day for families with children, say)."""

    CHILDREN = "children"
    WORKING_AGE = "working_age"
    RETIRED = "retired"


class Means(StrEnum):
    """How a household came to know: on its own page, or told by the group leader."""

    APP = "app"
    IN_PERSON = "in_person"
    LOUDSPEAKER = "loudspeaker"


def clean_text(text: str, limit: int, field: str) -> str:
    """``text`` as kept: NFC, trimmed, line breaks as ``\\n``; refused when empty, too long, or
    holding a control or invisible character (text a screen would show other than it reads)."""
    cleaned = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not cleaned:
        raise AnnouncementError(code=f"{field}_required")
    if len(cleaned) > limit:
        raise AnnouncementError(code=f"{field}_too_long")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs") and c not in "\n\t" for c in cleaned):
        raise AnnouncementError(code="text_unsafe")
    return cleaned


def requires_acknowledgement(category: Category, priority: Priority) -> bool:
    """Urgent notices, emergencies and meeting notices (the law's evidence that each household was
    told in time) ask every household to say it has read them."""
    return priority is Priority.URGENT or category in (Category.EMERGENCY, Category.MEETING_NOTICE)


class Announcement(Aggregate):
    """A notice and its versions."""

    TOPIC = "communication:Announcement:v1"

    class Created(Aggregate.Created):
        TOPIC = "communication:Announcement.Created:v1"

    @classmethod
    def write(
        cls,
        unit_id: UUID,
        groups: list[UUID],
        title: str,
        body: str,
        category: Category,
        priority: Priority,
        publish_at: datetime,
        expires_at: datetime | None,
        author: str,
        bands: Sequence[Band] = (),
        heads_only: bool = False,
        attachments: Sequence[UUID] = (),
    ) -> Announcement:
        """A notice for ``unit_id``'s subtree (only ``groups`` of it, if any are named; only the
        households with a member in ``bands``, if any; addressed to the heads of household when
        ``heads_only``: every household still receives it, its head is the one asked)."""
        if expires_at is not None and expires_at <= publish_at:
            raise AnnouncementError(code="expiry_before_publication")
        if len(groups) > MAX_GROUPS:
            raise AnnouncementError(code="too_many_groups")
        if len(set(attachments)) > MAX_ATTACHMENTS:
            raise AnnouncementError(code="too_many_attachments")
        return cls(
            unit_id=unit_id,
            groups=sorted(set(groups)),
            title=clean_text(title, MAX_TITLE, "title"),
            body=clean_text(body, MAX_BODY, "body"),
            category=category.value,
            priority=priority.value,
            requires_ack=requires_acknowledgement(category, priority),
            publish_at=publish_at,
            expires_at=expires_at,
            author=author,
            bands=tuple(sorted({Band(b).value for b in bands})),
            heads_only=heads_only,
            attachments=tuple(str(a) for a in dict.fromkeys(attachments)),
        )

    class Written(Created):
        """A notice was written, to be shown from ``publish_at``."""

        TOPIC = "communication:Announcement.Written:v1"
        unit_id: UUID
        groups: list[UUID]
        title: str
        body: str
        category: str
        priority: str
        requires_ack: bool
        publish_at: datetime
        expires_at: datetime | None
        author: str
        # Added later: a notice written before has neither (every household, as a whole).
        bands: tuple[str, ...] = ()
        heads_only: bool = False
        attachments: tuple[str, ...] = ()  # the uploads it carries (photos, PDFs), by id

    @event(Written)
    def __init__(
        self,
        unit_id: UUID,
        groups: list[UUID],
        title: str,
        body: str,
        category: str,
        priority: str,
        requires_ack: bool,
        publish_at: datetime,
        expires_at: datetime | None,
        author: str,
        bands: tuple[str, ...] = (),
        heads_only: bool = False,
        attachments: tuple[str, ...] = (),
    ) -> None:
        self.unit_id = unit_id
        self.attachments = [UUID(a) for a in attachments]
        self.groups = list(groups)
        self.title = title
        self.body = body
        self.category = Category(category)
        self.priority = Priority(priority)
        self.requires_ack = requires_ack
        self.publish_at = publish_at
        self.expires_at = expires_at
        self.author = author
        self.bands = [Band(b) for b in bands]
        self.heads_only = heads_only
        self.edition = 1
        self.retracted = False

    def edit(self, title: str, body: str, editor: str, at: datetime) -> None:
        """A new version of the text; the earlier ones stay in the history."""
        if self.retracted:
            raise AnnouncementError(code="retracted")
        self._edited(clean_text(title, MAX_TITLE, "title"), clean_text(body, MAX_BODY, "body"), editor, at)

    class Edited(Aggregate.Event):
        TOPIC = "communication:Announcement.Edited:v1"
        title: str
        body: str
        editor: str
        at: datetime

    @event(Edited)
    def _edited(self, title: str, body: str, editor: str, at: datetime) -> None:
        self.title, self.body = title, body
        self.edition += 1

    def retract(self, reason: str, by: str, at: datetime) -> None:
        """Withdraw the notice, saying why (the reason is shown where the notice was)."""
        if self.retracted:
            raise AnnouncementError(code="retracted")
        self._retracted(clean_text(reason, MAX_REASON, "reason"), by, at)

    class Retracted(Aggregate.Event):
        TOPIC = "communication:Announcement.Retracted:v1"
        reason: str
        by: str
        at: datetime

    @event(Retracted)
    def _retracted(self, reason: str, by: str, at: datetime) -> None:
        self.retracted = True


class Receipt(Aggregate):
    """One household's receipt of one notice: when it was first read and acknowledged, and how."""

    TOPIC = "communication:AnnouncementReceipt:v1"

    @staticmethod
    def create_id(announcement_id: UUID, household_id: UUID) -> UUID:
        # One per notice and household: a second acknowledgement finds the first.
        return uuid5(NAMESPACE_URL, f"tothon:announcement-receipt:{announcement_id}:{household_id}")

    class Created(Aggregate.Created):
        TOPIC = "communication:AnnouncementReceipt.Created:v1"

    class Opened(Created):
        TOPIC = "communication:AnnouncementReceipt.Opened:v1"
        announcement_id: UUID
        household_id: UUID
        unit_id: UUID

    @event(Opened)
    def __init__(self, announcement_id: UUID, household_id: UUID, unit_id: UUID) -> None:
        self.announcement_id = announcement_id
        self.household_id = household_id
        self.unit_id = unit_id
        self.read_at: datetime | None = None
        self.acknowledged_at: datetime | None = None
        self.means: Means | None = None

    def read(self, by: str, at: datetime) -> bool:
        """The household opened the notice; False when it had already."""
        if self.read_at is not None:
            return False
        self._read(by, at)
        return True

    class Read(Aggregate.Event):
        TOPIC = "communication:AnnouncementReceipt.Read:v1"
        by: str
        at: datetime

    @event(Read)
    def _read(self, by: str, at: datetime) -> None:
        self.read_at = at

    def acknowledge(self, means: Means, by: str, at: datetime) -> bool:
        """The household knows the notice (from its page, or told by the leader); False when it
        was acknowledged already (a queued acknowledgement sent twice changes nothing)."""
        if self.acknowledged_at is not None:
            return False
        # Acknowledging is reading too: one event says both (the projection and ``read_at`` follow).
        self._acknowledged(means.value, by, at, self.announcement_id, self.household_id, self.unit_id)
        return True

    class Acknowledged(Aggregate.Event):
        """Names its notice and household (as the receipt's creation does): it is published."""

        TOPIC = "communication:AnnouncementReceipt.Acknowledged:v1"
        means: str
        by: str
        at: datetime
        announcement_id: UUID
        household_id: UUID
        unit_id: UUID

    @event(Acknowledged)
    def _acknowledged(
        self, means: str, by: str, at: datetime, announcement_id: UUID, household_id: UUID, unit_id: UUID
    ) -> None:
        self.acknowledged_at = at
        self.means = Means(means)
        if self.read_at is None:
            self.read_at = at
