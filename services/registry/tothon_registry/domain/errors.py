"""Named refusals of the registry's domain, and why an item was closed without a decision."""

from enum import StrEnum

from tothon_shared.kernel.errors import CodedError


class RegistryError(CodedError):
    """Base of the registry's domain errors (named by a code where one class covers several rules)."""


class Closure(StrEnum):
    """Why an item awaiting a decision (a correction, a presence flag) was closed without one. A
    code, never free text: it is stored unsealed and stays readable."""

    # The person it is about was erased: nothing about them may be recorded or decided any more.
    PERSON_ERASED = "person_erased"


class HeadOfHouseholdError(RegistryError):
    """A household needs exactly one head."""


class NotResidentialUnitError(RegistryError):
    """Households belong to residential groups or villages only."""
