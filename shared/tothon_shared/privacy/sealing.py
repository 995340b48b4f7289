"""Sealing an event's personal fields with the data subject's own key.

An event class lists its personal fields in ``PERSONAL_FIELDS``; the subject is the aggregate the
event belongs to (``originator_id``). Those fields are encrypted together (AES-GCM, bound to the
event's id and version so a sealed box cannot be moved to another event) and stored under
``__sealed__``; an event about a person kept in another aggregate names the person in its
``SUBJECT_FIELD``, so erasing the person covers it too. Every other field stays readable, so
relays, projections and totals keep working after the key is shredded. A shredded subject's
fields decode as ``None``.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable, Mapping
from typing import Any
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from tothon_shared.privacy.keys import SubjectKeyStore

SEALED_KEY = "__sealed__"
_NONCE = 12


class NoKeyStoreError(RuntimeError):
    """An event with personal fields was saved by an application without a key store."""


def personal_fields(event_class: type) -> tuple[str, ...]:
    """The personal fields an event class declares (none for most)."""
    fields: tuple[str, ...] = getattr(event_class, "PERSONAL_FIELDS", ())
    return fields


def subject_of(event_class: type, state: Mapping[str, Any], originator_id: UUID) -> UUID:
    """Whose key seals an event: the person named by its ``SUBJECT_FIELD`` (an event about a
    person, kept in another aggregate), else the aggregate itself."""
    field: str | None = getattr(event_class, "SUBJECT_FIELD", None)
    value = state.get(field) if field else None
    return value if isinstance(value, UUID) else originator_id


def _binding(originator: UUID, version: int) -> bytes:
    return originator.bytes + version.to_bytes(8, "big")


def seal(
    state: dict[str, Any],
    fields: tuple[str, ...],
    keys: SubjectKeyStore | None,
    encode: Callable[[Any], bytes],
    subject: UUID,
    originator: UUID,
    version: int,
) -> None:
    """Replace ``fields`` of an event's state with one box sealed by the subject's key."""
    if keys is None:
        raise NoKeyStoreError("this application stores personal data but has no key store")
    key = keys.ensure_keys([subject])[subject]
    plain = encode({f: state.pop(f) for f in fields})
    nonce = os.urandom(_NONCE)
    box = nonce + AESGCM(key).encrypt(nonce, plain, _binding(originator, version))
    state[SEALED_KEY] = base64.b64encode(box).decode()


def unseal(
    state: dict[str, Any],
    fields: tuple[str, ...],
    keys: SubjectKeyStore | None,
    decode: Callable[[bytes], Any],
    subject: UUID,
    originator: UUID,
    version: int,
) -> None:
    """Put a sealed event's personal fields back, or ``None`` for each when the key is gone."""
    box = state.pop(SEALED_KEY, None)
    if box is None:
        return
    key = keys.key_for(subject) if keys is not None else None
    if key is None:
        state.update(dict.fromkeys(fields))
        return
    raw = base64.b64decode(box)
    plain = AESGCM(key).decrypt(raw[:_NONCE], raw[_NONCE:], _binding(originator, version))
    state.update(decode(plain))
