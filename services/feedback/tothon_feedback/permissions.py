"""The feedback service's permissions, the roles that carry them, and which role handles a case at
each level."""

from __future__ import annotations

from tothon_feedback.domain.levels import Level
from tothon_shared.auth.roles import Permission, Role, carriers_from


class FeedbackPermission(Permission):
    """What the feedback service's endpoints may require."""

    # The cases of the units one serves: the queue, a case's timeline and internal notes.
    CASES_READ = "feedback-cases:read"
    # Taking the workflow's steps on a case at one's own level (``HANDLERS``).
    CASES_HANDLE = "feedback-cases:handle"
    # Filing a case for a resident who came in or called.
    CASES_FILE = "feedback-cases:file"
    # The city's categories, deadlines, office hours and days off.
    CATALOGUE_EDIT = "feedback-catalogue:edit"
    # Keys of the other systems that file cases through Open311.
    OPEN311_KEYS = "open311-keys:manage"

    def carriers(self) -> frozenset[Role]:
        """The roles that list this permission in ``ROLE_PERMISSIONS``."""
        return _CARRIERS[self]


_P = FeedbackPermission

# A resident files, follows, closes and reopens their own cases through their household's binding
# (the routes check it), not a unit-wide permission. The area police read the cases of their area
# (order and security are among the categories) but the group, the ward and the city handle them.
ROLE_PERMISSIONS: dict[Role, frozenset[FeedbackPermission]] = {
    Role.GROUP_LEADER: frozenset({_P.CASES_READ, _P.CASES_HANDLE, _P.CASES_FILE}),
    Role.AREA_POLICE: frozenset({_P.CASES_READ}),
    Role.WARD_OFFICIAL: frozenset({_P.CASES_READ, _P.CASES_HANDLE, _P.CASES_FILE}),
    Role.CITY_OFFICIAL: frozenset({_P.CASES_READ, _P.CASES_HANDLE, _P.CASES_FILE, _P.CATALOGUE_EDIT}),
    Role.CITY_IT_ADMIN: frozenset({_P.CATALOGUE_EDIT, _P.OPEN311_KEYS}),
}

# Who takes the steps on a case at each level: lowest competent level first, so a ward official
# oversees the groups' queues but does not take a group's case from it (they escalate it up to
# the ward, or it escalates itself when its deadline passes).
HANDLERS: dict[Level, Role] = {
    Level.GROUP: Role.GROUP_LEADER,
    Level.WARD: Role.WARD_OFFICIAL,
    Level.CITY: Role.CITY_OFFICIAL,
}

# Read on every authorised request: worked out once.
_CARRIERS = {permission: carriers_from(ROLE_PERMISSIONS, permission) for permission in FeedbackPermission}
