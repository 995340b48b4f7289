"""Which of a person's fields an official sees, for which purpose (Law 91/2025: minimisation).

Two limits apply together: the caller's role (a volunteer group leader sees less than the ward
official who answers for the register) and the purpose the caller states (a phone call needs the
phone, not the religion). A field is shown in full, masked, or hidden; the stricter limit wins,
and among several roles over the same unit the most generous one counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum, StrEnum
from uuid import UUID

from tothon_registry.permissions import RegistryPermission
from tothon_shared.auth.principal import Principal, covers
from tothon_shared.auth.roles import Role


class PersonField(StrEnum):
    """The personal fields of the register."""

    FULL_NAME = "full_name"
    SEX = "sex"
    BIRTH_DATE = "birth_date"
    CITIZEN_ID = "citizen_id"
    PHONE = "phone"
    ETHNICITY = "ethnicity"
    RELIGION = "religion"
    OCCUPATION = "occupation"
    HEALTH_STATUS = "health_status"
    POVERTY_STATUS = "poverty_status"
    RESIDENCE_STATUS = "residence_status"


class Disclosure(IntEnum):
    """How much of a field is shown, least first."""

    HIDDEN = 0
    MASKED = 1
    FULL = 2


class Purpose(StrEnum):
    """Why an official reads a person's record; stated with every read and logged."""

    RESIDENCE_MANAGEMENT = "residence_management"
    SOCIAL_WELFARE = "social_welfare"
    CONTACT = "contact"
    SECURITY = "security"
    DATA_QUALITY = "data_quality"
    # Finding who needs help first in a typhoon or a flood (Law 91/2025 lets personal data be
    # processed without consent to protect a person's life and health in an emergency).
    EMERGENCY_RESPONSE = "emergency_response"


F, M, H = Disclosure.FULL, Disclosure.MASKED, Disclosure.HIDDEN
_FIELDS = tuple(PersonField)


def _row(*levels: Disclosure) -> dict[PersonField, Disclosure]:
    return dict(zip(_FIELDS, levels, strict=True))


# Columns: full_name, sex, birth_date, citizen_id, phone, ethnicity, religion, occupation, health,
# poverty, residence status.
ROLE_LIMITS: dict[Role, dict[PersonField, Disclosure]] = {
    Role.RESIDENT: _row(H, H, H, H, H, H, H, H, H, H, H),
    # Volunteers: enough to know and reach the households of their own group, and to flag who
    # lives there; legal residence is read-only to them.
    Role.GROUP_LEADER: _row(F, F, M, M, F, H, H, F, H, H, F),
    # Residence management and public order: identity and residence, not beliefs, health or welfare.
    Role.AREA_POLICE: _row(F, F, F, F, F, H, H, F, H, H, F),
    # The ward answers for the register and runs the welfare programmes.
    Role.WARD_OFFICIAL: _row(F, F, F, F, F, F, F, F, F, F, F),
    # Supervision and city programmes: identity masked, welfare status for the programmes.
    Role.CITY_OFFICIAL: _row(F, F, M, M, M, H, H, F, H, F, F),
    Role.CITY_IT_ADMIN: _row(H, H, H, H, H, H, H, H, H, H, H),
}

PURPOSE_LIMITS: dict[Purpose, dict[PersonField, Disclosure]] = {
    Purpose.RESIDENCE_MANAGEMENT: _row(F, F, F, F, F, H, H, F, H, H, F),
    Purpose.SOCIAL_WELFARE: _row(F, F, F, F, F, F, H, F, F, F, F),
    Purpose.CONTACT: _row(F, F, H, H, F, H, H, H, H, H, H),
    Purpose.SECURITY: _row(F, F, F, F, F, H, H, F, H, H, F),
    Purpose.DATA_QUALITY: _row(F, F, F, F, M, H, H, F, H, H, F),
    # Whom to reach and what help they need: name, phone, age, health; nothing else.
    Purpose.EMERGENCY_RESPONSE: _row(F, F, M, H, F, H, H, H, F, H, H),
}


def disclosure_for(
    principal: Principal, lineage: Iterable[UUID], purpose: Purpose
) -> dict[PersonField, Disclosure]:
    """What ``principal`` may see of a person in the unit whose lineage is given, for ``purpose``."""
    lineage = list(lineage)
    allowed = dict.fromkeys(_FIELDS, Disclosure.HIDDEN)
    for grant in principal.grants:
        if covers([grant.unit_id], lineage) and _reads_households(grant.role):
            for name, level in ROLE_LIMITS[grant.role].items():
                allowed[name] = max(allowed[name], level)
    return {name: min(level, PURPOSE_LIMITS[purpose][name]) for name, level in allowed.items()}


def _reads_households(role: Role) -> bool:
    return role in RegistryPermission.HOUSEHOLDS_READ.carriers()


def mask(name: PersonField, value: object) -> str | None:
    """A field's masked form: enough to recognise a record, not to use it."""
    if value is None:
        return None
    text = str(value)
    if name is PersonField.BIRTH_DATE:
        return text[:4]  # the year
    if name is PersonField.CITIZEN_ID:
        return "•" * (len(text) - 3) + text[-3:]
    if name is PersonField.PHONE:
        return text[:5] + "•" * max(len(text) - 7, 0) + text[-2:]
    return "•••"
