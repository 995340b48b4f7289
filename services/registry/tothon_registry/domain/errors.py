"""Named refusals of the registry's domain, and why an item was closed without a decision."""

from enum import StrEnum


class RegistryError(Exception):
    """Base of the registry's domain errors. Where one class covers several rules, ``code`` names
    the rule broken: a stable identifier the API's error map turns into a message, never text
    shown to anyone (the message is for logs)."""

    code: str | None = None

    def __init__(self, *args: object, code: str | None = None) -> None:
        super().__init__(*(args or (code,)))
        if code is not None:
            self.code = code


class Closure(StrEnum):
    """Why an item awaiting a decision (a correction, a presence flag) was closed without one. A
    code, never free text: it is stored unsealed and stays readable."""

    # The person it is about was erased: nothing about them may be recorded or decided any more.
    PERSON_ERASED = "person_erased"


class HeadOfHouseholdError(RegistryError):
    """A household needs exactly one head."""


class NotResidentialUnitError(RegistryError):
    """Households belong to residential groups or villages only."""
