"""A small OpenID Connect provider for tests: it publishes its keys (JWKS) over real HTTP and signs
tokens for any subject, as a city's identity provider would."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

ISSUER = "https://sso.danang.gov.vn"


@dataclass
class Provider:
    """The running provider: where its keys are published, and how it signs."""

    jwks_url: str
    key: RSAKey
    issuer: str = ISSUER

    def token(self, subject: str, lifetime: int = 60, **claims: Any) -> str:
        """A token for ``subject`` signed with the published key."""
        body = {"iss": self.issuer, "sub": subject, "exp": int(time.time()) + lifetime} | claims
        return jwt.encode({"alg": "RS256", "kid": "k1"}, body, self.key)


@contextmanager
def oidc_provider() -> Iterator[Provider]:
    """Serve a fresh key set on a free local port for the duration of the block."""
    key = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    published = json.dumps(KeySet([key]).as_dict(private=False)).encode()

    class Keys(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(published)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Keys)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield Provider(f"http://127.0.0.1:{server.server_port}/jwks", key)
    finally:
        server.shutdown()
