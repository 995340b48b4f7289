"""Named refusals of the funds domain, each with a code its API's error map will turn into a
message (the message here is for logs)."""

from __future__ import annotations

from tothon_shared.kernel.errors import CodedError


class FundsError(CodedError):
    """Base of the funds service's domain errors."""


class MoneyError(FundsError):
    """An amount that is not a whole, positive number of đồng (``not_integer``, ``not_positive``)."""


class LedgerError(FundsError):
    """An entry the books refuse: unbalanced, with a line of no amount, too few lines, an unknown
    entry to reverse, a reversal reversed, an entry reversed twice."""


class QrError(FundsError):
    """A VietQR that cannot be made (bank, account, amount, note) or read (CRC, structure)."""
