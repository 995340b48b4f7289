"""The communication service's use cases: one application, its use cases grouped by capability
(``use_cases/``) as mixins over one event store."""

from tothon_communication.use_cases.announcements import AnnouncementUseCases
from tothon_communication.use_cases.conversations import ConversationUseCases
from tothon_communication.use_cases.emergencies import EmergencyUseCases
from tothon_communication.use_cases.household_notices import HouseholdNoticeUseCases
from tothon_communication.use_cases.outbound import OutboundUseCases
from tothon_communication.use_cases.polls import PollUseCases
from tothon_shared.eventstore.application import TrackingApplication


class CommunicationApplication(
    AnnouncementUseCases,
    ConversationUseCases,
    EmergencyUseCases,
    OutboundUseCases,
    HouseholdNoticeUseCases,
    PollUseCases,
    TrackingApplication,
):
    """The communication service's event store; inbound events (the registry's, feedback's and
    funds') run some use cases, each message applied once."""

    name = "communication"
    # Residents' contacts (e-mail, phone) and gateways' secrets are sealed with keys of their own.
    stores_personal_data = True
