"""Conversations for the access matrix: per call, a conversation of the target (its household's
with the group leader or the area's police officer, the group's channel, the ward's officials),
with a message (and a photo) when the call needs one, made through the communication service's
application as the system and awaited in its read models; and who the matrix expects to be a
member of each, from the roles' permissions and the unit tree (never a list of answers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID, uuid4

from photos import png
from polling import wait_for

from tothon.embedded import Embedded
from tothon_communication.application import CommunicationApplication
from tothon_communication.domain.conversation import ConversationKind
from tothon_communication.domain.household_notice import CaseFollow, HouseholdNotice
from tothon_communication.domain.outbound import Delivery
from tothon_communication.permissions import CommunicationPermission
from tothon_communication.readmodels.conversations import ATTACHMENTS, conversation_row, message_row
from tothon_communication.readmodels.tables import DIRECTORY
from tothon_registry.application import RegistryApplication
from tothon_shared.attachments.uploads import store_upload
from tothon_shared.auth.lineage import lineage
from tothon_shared.auth.roles import Permission, Role
from tothon_shared.eventstore.context import acting_as
from tothon_shared.eventstore.notification_log import NotificationLog

CONVERSATIONS = "/communication/api/v1/conversations"

# What the worker writes by itself, not a request: outbound deliveries, households' own notices.
_BACKGROUND = (
    Delivery.Queued,
    Delivery.Claimed,
    Delivery.Failed,
    Delivery.Delivered,
    Delivery.Dropped,
    HouseholdNotice.Posted,
    CaseFollow.Started,
)


@dataclass(frozen=True)
class ConversationSubject:
    """A conversation made for one call, with its latest message and a photo it cites."""

    kind: ConversationKind
    conversation: str
    message: str = ""
    attachment: str = ""


class ConversationSubjects:
    """Makes, per call, the conversation a conversations case acts on, about a target group."""

    def __init__(self, embedded: Embedded, units: dict[str, str], households: dict[str, str]) -> None:
        app = embedded.runtimes["communication"].app
        registry = embedded.runtimes["registry"].app
        assert isinstance(app, CommunicationApplication)
        assert isinstance(registry, RegistryApplication)
        self._app, self._registry, self._units, self._households = app, registry, units, households
        self._store = embedded.runtimes["communication"].store

    def ward(self, target: str) -> UUID:
        parent = self._registry.get_unit(UUID(self._units[target])).parent_id
        assert parent is not None
        return parent

    def conversation(
        self, target: str, kind: ConversationKind, message: bool = False, photo: bool = False
    ) -> ConversationSubject:
        """A conversation of ``kind`` about ``target`` (its first household's; the area and the
        officials' room at its ward), with a new message (citing a new photo) if asked."""
        group, household = UUID(self._units[target]), UUID(self._households[target])
        unit = (
            self.ward(target)
            if kind in (ConversationKind.RESIDENT_POLICE, ConversationKind.OFFICIALS)
            else group
        )
        at = datetime.now(UTC)
        with acting_as("matrix"):
            conversation_id, _ = self._app.open_conversation(
                kind, unit, household if kind.with_household else None, "matrix", at
            )
            message_id, attachment_id = "", ""
            if message or photo:
                attachments = []
                if photo:
                    upload = store_upload(
                        ATTACHMENTS,
                        self._store,
                        png(),
                        share_location=False,
                        uploader="matrix",
                        at=at,
                        max_bytes=10_000_000,
                    )
                    attachments = [upload.upload_id]
                    attachment_id = str(upload.upload_id)
                posted = uuid4()
                self._app.post_message(
                    conversation_id, posted, "Tin nhắn thử", attachments, "matrix", None, at
                )
                message_id = str(posted)
        if message_id:
            wait_for(lambda: message_row(self._store, conversation_id, UUID(message_id)), what="the message")
        else:
            wait_for(lambda: conversation_row(self._store, conversation_id), what="the conversation")
        return ConversationSubject(kind, str(conversation_id), message_id, attachment_id)

    def seen(self, unit: str) -> str:
        """``unit`` once the communication service's directory knows it."""
        wait_for(
            lambda: lineage(self._store, DIRECTORY.units, UUID(unit)), what="the new group in communication"
        )
        return unit

    def stored(self) -> int:
        """The communication service's last stored event that a request could have written: a
        refused write adds none. The worker's own writes meanwhile (deliveries of the matrix's
        urgent notices, households told of their cases and dues) are not a request's."""
        top = self._app.recorder.max_notification_id() or 0
        recent = NotificationLog(self._app).read(max(0, top - 1000), 1000)
        return max((e.position for e in recent if not isinstance(e.event, _BACKGROUND)), default=0)

    def chain(self, unit: str) -> list[str]:
        """A unit and the units above it, from the registry."""
        chain: list[str] = []
        current: UUID | None = UUID(unit)
        while current is not None:
            chain.append(str(current))
            current = self._registry.get_unit(current).parent_id
        return chain


def member(
    permissions: frozenset[Permission],
    role: Role,
    unit: str,
    own_household: bool,
    kind: ConversationKind,
    target_lineage: list[str],
    unit_chain: list[str],
) -> bool:
    """Whether an account (its role at ``unit``; whether the target's household is its own) takes
    part in a ``kind`` conversation about the target group (``target_lineage``: the group, its
    ward, …; ``unit_chain``: the account's unit and those above it)."""
    group, ward = target_lineage[0], target_lineage[1]
    takes = CommunicationPermission.CONVERSATIONS_TAKE_PART in permissions
    match kind:
        case ConversationKind.RESIDENT_LEADER:
            return own_household or (takes and role is Role.GROUP_LEADER and unit == group)
        case ConversationKind.RESIDENT_POLICE:
            return own_household or (takes and role is Role.AREA_POLICE and unit == ward)
        case ConversationKind.GROUP_CHANNEL:
            return own_household or (takes and unit in target_lineage)
        case ConversationKind.OFFICIALS:
            return takes and ward in unit_chain


def moderator(permissions: frozenset[Permission], unit: str, target_lineage: list[str]) -> bool:
    """Whether an account moderates the target group's channel."""
    return CommunicationPermission.CONVERSATIONS_MODERATE in permissions and unit in target_lineage
