"""Communication's one map from its domain errors to problem details. Each capability keeps its
entries in its own block: invalid input is 422, a step the state does not allow 409, another
household's or unit's data 403, what does not exist 404."""

from __future__ import annotations

from tothon_communication.audio import AudioUnavailableError
from tothon_communication.domain.announcement import AnnouncementError
from tothon_communication.domain.conversation_errors import ConversationError
from tothon_communication.domain.emergency import EmergencyError
from tothon_communication.domain.outbound import OutboundError
from tothon_communication.domain.poll import PollError
from tothon_shared.attachments.errors import AttachmentError
from tothon_shared.http.error_map import ErrorMap, Refusal

COMMUNICATION_ERRORS = ErrorMap(
    {
        # --- announcements ---
        AnnouncementError: Refusal(422, "communication.announcement.{code}"),
        (AnnouncementError, "not_found"): Refusal(404, "communication.announcement.not_found"),
        (AnnouncementError, "retracted"): Refusal(409, "communication.announcement.retracted"),
        # The server's own lack, not the caller's mistake: try again once it is installed.
        AudioUnavailableError: Refusal(503, "communication.audio.unavailable"),
        # --- channels ---
        OutboundError: Refusal(422, "communication.outbound.{code}"),
        (OutboundError, "not_found"): Refusal(404, "communication.outbound.not_found"),
        (OutboundError, "delivered_already"): Refusal(409, "communication.outbound.delivered_already"),
        # --- conversations ---
        ConversationError: Refusal(422, "communication.conversation.{code}"),
        (ConversationError, "not_found"): Refusal(404, "communication.conversation.not_found"),
        (ConversationError, "message_not_found"): Refusal(
            404, "communication.conversation.message_not_found"
        ),
        (ConversationError, "hidden_already"): Refusal(409, "communication.conversation.hidden_already"),
        (ConversationError, "duplicate_message"): Refusal(
            409, "communication.conversation.duplicate_message"
        ),
        AttachmentError: Refusal(422, "communication.attachment.{code}"),
        (AttachmentError, "too_large"): Refusal(413, "communication.attachment.too_large"),
        (AttachmentError, "unsupported_type"): Refusal(415, "communication.attachment.unsupported_type"),
        # --- emergencies ---
        EmergencyError: Refusal(422, "communication.emergency.{code}"),
        (EmergencyError, "not_found"): Refusal(404, "communication.emergency.not_found"),
        (EmergencyError, "closed"): Refusal(409, "communication.emergency.closed"),
        # --- civic ---
        PollError: Refusal(422, "communication.poll.{code}"),
        (PollError, "not_found"): Refusal(404, "communication.poll.not_found"),
        (PollError, "closed"): Refusal(409, "communication.poll.closed"),
        (PollError, "not_open"): Refusal(409, "communication.poll.not_open"),
        (PollError, "voted"): Refusal(409, "communication.poll.voted"),
        (PollError, "busy"): Refusal(409, "communication.poll.busy"),
    }
)
