"""Named refusals of the registry's domain."""


class RegistryError(Exception):
    """Base of the registry's domain errors."""


class HeadOfHouseholdError(RegistryError):
    """A household needs exactly one head."""


class NotResidentialUnitError(RegistryError):
    """Households belong to residential groups or villages only."""
