"""VietQR: the NAPAS profile of the EMVCo merchant-presented QR that every Vietnamese banking app
scans to fill in a transfer — the group's bank account, the amount, and a note carrying the
household's payment reference, which the bank statement brings back for matching.

The payload is a string of data objects, each an id of two digits, a length of two digits and
the value; the account sits in the NAPAS template (id 38: NAPAS's application id, the bank's BIN
and the account, the service "to an account"); the last object is a CRC-16/CCITT-FALSE of
everything before it, its own id and length included."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tothon_funds.domain.errors import QrError

NAPAS = "A000000727"  # NAPAS's application id (the template's globally unique identifier)
TO_ACCOUNT = "QRIBFTTA"  # inter-bank fast transfer to an account ("…TTC": to a card)
VND = "704"  # ISO 4217
STATIC, DYNAMIC = "11", "12"  # point of initiation: reusable, or for one payment with its amount
# What banking apps accept in the transfer note: letters, digits, spaces (no marks), at most 25.
NOTE = re.compile(r"^[A-Za-z0-9 ]{1,25}$")
_BIN = re.compile(r"^\d{6}$")
_ACCOUNT = re.compile(r"^[0-9A-Za-z]{1,19}$")


def crc16(data: str) -> str:
    """CRC-16/CCITT-FALSE (polynomial 0x1021, start 0xFFFF) as four upper-case hex digits."""
    crc = 0xFFFF
    for byte in data.encode("utf-8"):
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return f"{crc:04X}"


def _object(tag: str, value: str) -> str:
    if len(value) > 99:
        raise QrError(code="too_long")
    return f"{tag}{len(value):02d}{value}"


@dataclass(frozen=True)
class Transfer:
    """What a VietQR asks a banking app to send: to which account, how much, with which note."""

    bank_bin: str
    account: str
    amount: int | None = None  # VND; none: the payer types it (a reusable QR)
    note: str = ""

    def __post_init__(self) -> None:
        if not _BIN.match(self.bank_bin):
            raise QrError(code="bank_bin")
        if not _ACCOUNT.match(self.account):
            raise QrError(code="account")
        if self.amount is not None and (isinstance(self.amount, bool) or self.amount <= 0):
            raise QrError(code="amount")
        if self.note and not NOTE.match(self.note):
            raise QrError(code="note")


def encode(transfer: Transfer) -> str:
    """The payload of a VietQR for ``transfer`` (dynamic when it has an amount)."""
    beneficiary = _object("00", transfer.bank_bin) + _object("01", transfer.account)
    napas = _object("00", NAPAS) + _object("01", beneficiary) + _object("02", TO_ACCOUNT)
    payload = _object("00", "01") + _object("01", DYNAMIC if transfer.amount else STATIC)
    payload += _object("38", napas) + _object("53", VND)
    if transfer.amount is not None:
        payload += _object("54", str(transfer.amount))
    payload += _object("58", "VN")
    if transfer.note:
        payload += _object("62", _object("08", transfer.note))
    payload += "6304"
    return payload + crc16(payload)


def objects(payload: str) -> dict[str, str]:
    """The data objects of a payload (or of a template's value), by id."""
    found: dict[str, str] = {}
    at = 0
    while at < len(payload):
        tag, size = payload[at : at + 2], payload[at + 2 : at + 4]
        if len(tag) < 2 or not size.isdigit() or at + 4 + int(size) > len(payload):
            raise QrError(code="malformed")
        found[tag] = payload[at + 4 : at + 4 + int(size)]
        at += 4 + int(size)
    return found


def decode(payload: str) -> Transfer:
    """The transfer a VietQR payload asks for; ``QrError`` when its CRC or structure is wrong."""
    if len(payload) < 8 or payload[-8:-4] != "6304" or crc16(payload[:-4]) != payload[-4:].upper():
        raise QrError(code="crc")
    root = objects(payload[:-8])
    napas = objects(root.get("38", ""))
    if napas.get("00") != NAPAS or root.get("53") != VND or root.get("58") != "VN":
        raise QrError(code="not_vietqr")
    beneficiary = objects(napas.get("01", ""))
    amount = root.get("54")
    if amount is not None and not amount.isdigit():
        raise QrError(code="amount")
    note = objects(root["62"]).get("08", "") if "62" in root else ""
    return Transfer(
        beneficiary.get("00", ""), beneficiary.get("01", ""), int(amount) if amount else None, note
    )
