"""The communication service's permissions and the roles that carry them."""

from __future__ import annotations

from tothon_shared.auth.roles import Permission, Role, carriers_from


class CommunicationPermission(Permission):
    """What the communication service's endpoints may require (a resident's own household's feed,
    check-in and vote are checked against their household binding, not a unit-wide permission)."""

    # Writing announcements for a unit's subtree: compose, schedule, edit, retract.
    ANNOUNCEMENTS_PUBLISH = "announcements:publish"
    # A unit's announcements and their delivery: who read and acknowledged, statistics.
    ANNOUNCEMENTS_READ = "announcements:read"
    # Recording that a household was told in person or by loudspeaker.
    DELIVERIES_RECORD = "deliveries:record"
    # Conversations with residents and among officials of the unit.
    CONVERSATIONS_TAKE_PART = "conversations:take-part"
    # Hiding a message of a group's channel, with a reason.
    CONVERSATIONS_MODERATE = "conversations:moderate"
    # Meeting notices and household polls (Law 10/2022).
    POLLS_MANAGE = "polls:manage"
    # Emergency notices, the check-in list of households not heard from and of vulnerable people.
    EMERGENCIES_MANAGE = "emergencies:manage"
    # Outbound channels: the webhook of an SMS or Zalo gateway, the delivery log.
    CHANNELS_MANAGE = "channels:manage"

    def carriers(self) -> frozenset[Role]:
        """The roles that list this permission in ``ROLE_PERMISSIONS``."""
        return _CARRIERS[self]


_P = CommunicationPermission

# The group leader informs the households of the group and hears from them; the area police
# officer talks with residents and helps in emergencies; the ward and the city write to their
# whole subtree and oversee delivery; city IT runs the outbound gateways.
ROLE_PERMISSIONS: dict[Role, frozenset[CommunicationPermission]] = {
    Role.GROUP_LEADER: frozenset(
        {
            _P.ANNOUNCEMENTS_PUBLISH,
            _P.ANNOUNCEMENTS_READ,
            _P.DELIVERIES_RECORD,
            _P.CONVERSATIONS_TAKE_PART,
            _P.CONVERSATIONS_MODERATE,
            _P.POLLS_MANAGE,
            _P.EMERGENCIES_MANAGE,
        }
    ),
    Role.AREA_POLICE: frozenset({_P.ANNOUNCEMENTS_READ, _P.CONVERSATIONS_TAKE_PART, _P.EMERGENCIES_MANAGE}),
    Role.WARD_OFFICIAL: frozenset(
        {
            _P.ANNOUNCEMENTS_PUBLISH,
            _P.ANNOUNCEMENTS_READ,
            _P.DELIVERIES_RECORD,
            _P.CONVERSATIONS_TAKE_PART,
            _P.CONVERSATIONS_MODERATE,
            _P.POLLS_MANAGE,
            _P.EMERGENCIES_MANAGE,
        }
    ),
    Role.CITY_OFFICIAL: frozenset(
        {_P.ANNOUNCEMENTS_PUBLISH, _P.ANNOUNCEMENTS_READ, _P.CONVERSATIONS_TAKE_PART, _P.EMERGENCIES_MANAGE}
    ),
    Role.CITY_IT_ADMIN: frozenset({_P.CHANNELS_MANAGE}),
}

# Read on every authorised request: worked out once.
_CARRIERS = {
    permission: carriers_from(ROLE_PERMISSIONS, permission) for permission in CommunicationPermission
}
