"""The registry's token signing keys (Ed25519) and the key set it publishes (JWKS).

Only the registry holds a private key; every other service verifies with the public keys it
fetches from the registry, so no other process can issue a token. A rotation publishes the next
key before it signs and keeps the previous one published until its tokens have expired
(``TOTHON_TOKEN_OTHER_KEYS``), so no token is refused along the way.

``python -m tothon_shared.auth.keys`` prints a new private key (a JWK with its ``kid``);
``python -m tothon_shared.auth.keys public < key.json`` prints its public key set.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

from tothon_shared.runtime.settings import Mode, Settings

ALGORITHM = "Ed25519"  # RFC 9864: EdDSA over Ed25519
MAX_PUBLISHED = 16  # keys in a set: a rotation needs three; more is a mistake or an attack
EMBEDDED_KEY_FILE = "token-signing-key.json"


class SigningKeyError(ValueError):
    """The signing key is missing or is not an Ed25519 key."""


@dataclass(frozen=True)
class SigningKeys:
    """The key that signs, and the public keys published beside it (previous and next)."""

    current: OKPKey
    others: tuple[OKPKey, ...] = ()

    def jwks(self) -> dict[str, Any]:
        """The public key set: what the services verify with."""
        keys = [self.current, *(k for k in self.others if k.kid != self.current.kid)]
        return {"keys": [_public(key) for key in keys]}


def new_signing_key() -> OKPKey:
    """A fresh Ed25519 private key named by its RFC 7638 thumbprint."""
    key = OKPKey.generate_key("Ed25519", parameters={"use": "sig", "alg": ALGORITHM})
    key.ensure_kid()
    return key


def import_key(text: str, *, private: bool) -> OKPKey:
    """An Ed25519 key from a JWK (JSON) or PEM; its ``kid`` is its thumbprint unless given."""
    text = text.strip()
    try:
        data: str | dict[str, Any] = json.loads(text) if text.startswith("{") else text
        key = OKPKey.import_key(data)
    except (JoseError, ValueError, TypeError, KeyError) as error:  # KeyError: another curve
        raise SigningKeyError(f"not an Ed25519 key (JWK or PEM): {error}") from None
    if key.curve_name != "Ed25519":
        raise SigningKeyError(f"an Ed25519 key is needed, not {key.curve_name}")
    if private and not key.is_private:
        raise SigningKeyError("the signing key must be a private key")
    key.ensure_kid()
    return key


def key_set(text: str) -> tuple[OKPKey, ...]:
    """The keys of a JWK Set or of a single JWK, in JSON (public parts kept only)."""
    try:
        parsed = json.loads(text)
    except ValueError:
        raise SigningKeyError("TOTHON_TOKEN_OTHER_KEYS is not JSON (a JWK Set)") from None
    items = parsed.get("keys", [parsed]) if isinstance(parsed, dict) else parsed
    if not isinstance(items, list) or len(items) > MAX_PUBLISHED:
        raise SigningKeyError(f"TOTHON_TOKEN_OTHER_KEYS holds a JWK Set of at most {MAX_PUBLISHED} keys")
    return tuple(import_key(json.dumps(_public_of(item)), private=False) for item in items)


def signing_keys_from(settings: Settings) -> SigningKeys:
    """The registry's keys from the settings; the embedded demo makes one in its data folder.

    Outside the embedded demo a missing key stops the registry at start."""
    others = key_set(settings.token_other_keys) if settings.token_other_keys else ()
    if settings.token_signing_key is not None:
        return SigningKeys(import_key(settings.token_signing_key.get_secret_value(), private=True), others)
    if settings.token_signing_key_file is not None:
        try:
            text = settings.token_signing_key_file.read_text(encoding="utf-8")
        except OSError as error:
            raise SigningKeyError(f"TOTHON_TOKEN_SIGNING_KEY_FILE cannot be read: {error}") from None
        return SigningKeys(import_key(text, private=True), others)
    if settings.mode is Mode.EMBEDDED:
        return SigningKeys(_embedded_key(settings.data_dir / EMBEDDED_KEY_FILE), others)
    raise SigningKeyError(
        "set TOTHON_TOKEN_SIGNING_KEY or TOTHON_TOKEN_SIGNING_KEY_FILE to the registry's private "
        "key (make one with: python -m tothon_shared.auth.keys)"
    )


def _embedded_key(path: Path) -> OKPKey:
    """The demo's key, kept in its data folder (made once, readable by its owner only)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside, then linked in place: a reader never sees a half-written key, and of two
        # processes starting at once the first one's key is everybody's.
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as out:
            out.write(json.dumps(new_signing_key().as_dict(private=True)))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return import_key(path.read_text(encoding="utf-8"), private=True)


def _public(key: OKPKey) -> dict[str, Any]:
    return {**key.as_dict(private=False), "use": "sig", "alg": ALGORITHM, "kid": key.kid}


def _public_of(item: object) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise SigningKeyError("a key set holds JWK objects")
    return {k: v for k, v in item.items() if k != "d"}  # a private key given: its public part


def main(argv: list[str]) -> None:
    """Print a new private key, or (``public``) the key set of the private key on stdin."""
    if argv[:1] == ["public"]:
        print(json.dumps(SigningKeys(import_key(sys.stdin.read(), private=True)).jwks()))  # noqa: T201
    else:
        print(json.dumps(new_signing_key().as_dict(private=True)))  # noqa: T201 - the command's output


if __name__ == "__main__":
    main(sys.argv[1:])
