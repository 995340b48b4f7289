"""The registry's one map from its domain errors to problem details.

Every route answers these errors this way unless it says otherwise (``overriding``) where an
error means something else there: a unit or household looked up by the path is not found (404)
where one named in the body is a refusal of the command (422)."""

from __future__ import annotations

from tothon_registry.accounts import (
    AccountNotFoundError,
    NotAllowedError,
    SignInRefusedError,
    WeakPasswordError,
)
from tothon_registry.application import (
    CorrectionNotFoundError,
    FlagNotFoundError,
    HouseholdNotFoundError,
    PersonNotFoundError,
    UnitNotFoundError,
)
from tothon_registry.domain.account import AccountLockedError, AssignmentError, SessionEndedError
from tothon_registry.domain.correction import CorrectionError
from tothon_registry.domain.errors import HeadOfHouseholdError, NotResidentialUnitError, RegistryError
from tothon_registry.domain.household import NotAMemberError
from tothon_registry.domain.names import InvalidNameError
from tothon_registry.domain.person import (
    ConsentError,
    PersonDateError,
    PersonErasedError,
    RepeatedConsentError,
    ResidenceError,
)
from tothon_registry.domain.presence import FlagError
from tothon_registry.domain.unit import UnitError
from tothon_registry.readmodels.refusals import ReadRefusedError
from tothon_shared.auth.tokens import InvalidTokenError
from tothon_shared.http.error_map import ErrorMap, Overrides, Refusal
from tothon_shared.privacy.keys import SubjectShreddedError

REGISTRY_ERRORS = ErrorMap(
    {
        # Units: one named by a command that does not exist refuses the command.
        UnitNotFoundError: Refusal(422, "unit.not_found"),
        NotResidentialUnitError: Refusal(422, "unit.not_residential"),
        UnitError: Refusal(422, "unit.{code}"),
        # Households and their members.
        HouseholdNotFoundError: Refusal(404, "household.not_found"),
        NotAMemberError: Refusal(404, "household.not_a_member"),
        HeadOfHouseholdError: Refusal(422, "household.{code}"),
        (RegistryError, "household_already_there"): Refusal(409, "household.already_there"),
        # The head leaving (or leaving with the household) conflicts with the household as it is.
        (HeadOfHouseholdError, "head_leaving"): Refusal(409, "household.head_leaving"),
        # Persons.
        PersonNotFoundError: Refusal(404, "person.not_found"),
        PersonDateError: Refusal(422, "person.{code}"),
        InvalidNameError: Refusal(422, "person.invalid_name"),
        ConsentError: Refusal(422, "person.{code}"),
        RepeatedConsentError: Refusal(422, "person.consent_repeated"),
        (ConsentError, "not_given"): Refusal(409, "consent.not_given"),
        # Erased, or erased while the request ran (its key shredded).
        PersonErasedError: Refusal(409, "person.erased"),
        SubjectShreddedError: Refusal(409, "person.erased"),
        ResidenceError: Refusal(422, "presence.inconsistent"),
        # Presence flags and corrections.
        FlagNotFoundError: Refusal(404, "presence.not_found"),
        (FlagError, "inconsistent"): Refusal(422, "presence.inconsistent"),
        (FlagError, "reviewed"): Refusal(409, "presence.reviewed"),
        # A flag naming someone who is not a member of the household named beside them.
        (FlagError, "not_a_member"): Refusal(422, "household.not_a_member"),
        CorrectionNotFoundError: Refusal(404, "correction.not_found"),
        (CorrectionError, "empty"): Refusal(422, "correction.empty"),
        (CorrectionError, "decided"): Refusal(409, "correction.decided"),
        # Reads refused by the read side's policy (``readmodels``), and lookups before a command.
        (ReadRefusedError, "person_not_found"): Refusal(404, "person.not_found"),
        (ReadRefusedError, "household_not_found"): Refusal(404, "household.not_found"),
        (ReadRefusedError, "flag_not_found"): Refusal(404, "presence.not_found"),
        (ReadRefusedError, "not_own_household"): Refusal(403, "consent.own_household"),
        (ReadRefusedError, "purpose_required"): Refusal(422, "person.purpose_required"),
        (ReadRefusedError, "field_not_searchable"): Refusal(403, "auth.forbidden"),
        (ReadRefusedError, "search_empty"): Refusal(422, "person.search_empty"),
        (ReadRefusedError, "search_cursor"): Refusal(422, "person.search_cursor"),
        # Accounts and sessions.
        SignInRefusedError: Refusal(401, "auth.refused"),
        AccountLockedError: Refusal(
            423, "auth.locked", fields=lambda locked: {"locked_until": locked.until.isoformat()}
        ),
        SessionEndedError: Refusal(401, "auth.revoked"),
        WeakPasswordError: Refusal(422, "account.weak_password"),
        NotAllowedError: Refusal(403, "auth.forbidden"),
        AccountNotFoundError: Refusal(404, "account.not_found"),
        AssignmentError: Refusal(409, "role.not_assigned", "conflict.title"),
    }
)

# Overrides of the routes where an error means something else.
UNIT_IN_PATH: Overrides = {UnitNotFoundError: Refusal(404, "unit.not_found")}
HOUSEHOLD_OF_ACCOUNT: Overrides = {HouseholdNotFoundError: Refusal(422, "account.household_not_found")}
# Signing in with the city's identity provider: its token refused, or an identity no account has.
EXTERNAL_SIGN_IN: Overrides = {
    InvalidTokenError: Refusal(401, "auth.invalid"),
    SignInRefusedError: Refusal(401, "auth.external_unknown"),
}
