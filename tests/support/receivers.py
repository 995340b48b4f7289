"""Real receivers on local ports for outbound delivery: an SMTP server (``aiosmtpd``) and an HTTP
server for a gateway's webhook (the standard library's), each able to refuse the first messages
(a server down, then back) and keeping what it took."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Mailbox:
    """What the SMTP server took, and how many more messages it refuses (451, try later)."""

    refuse: int = 0
    refused: int = 0
    messages: list[Message] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 - aiosmtpd's name
        if self.refuse > 0:
            self.refuse -= 1
            self.refused += 1
            return "451 4.3.0 Try again later"
        content = envelope.original_content or b""
        self.messages.append(message_from_bytes(content))
        return "250 OK"


@contextmanager
def smtp_server(refuse: int = 0) -> Iterator[tuple[Mailbox, int]]:
    """A real SMTP server on a free local port."""
    mailbox, port = Mailbox(refuse=refuse), free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


@dataclass
class Hook:
    """What the webhook took (verified requests only), what it refused, and how many more
    requests it answers 500."""

    secret: str
    fail: int = 0
    taken: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    failed: int = 0
    forged: int = 0


def _handler(hook: Hook) -> type[BaseHTTPRequestHandler]:
    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            timestamp = self.headers.get("X-Tothon-Timestamp", "")
            expected = hmac.new(
                hook.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
            ).hexdigest()
            if not hmac.compare_digest(self.headers.get("X-Tothon-Signature", ""), f"sha256={expected}"):
                hook.forged += 1
                self.send_response(401)
                self.end_headers()
                return
            if hook.fail > 0:
                hook.fail -= 1
                hook.failed += 1
                self.send_response(500)
                self.end_headers()
                return
            hook.taken.append(json.loads(body))
            hook.headers.append(dict(self.headers))
            self.send_response(202)
            self.end_headers()

        def log_message(self, *_args: Any) -> None:  # quiet
            return

    return Receiver


@contextmanager
def webhook_server(secret: str, fail: int = 0) -> Iterator[tuple[Hook, str]]:
    """A real HTTP server on a free local port that checks each request's signature."""
    hook = Hook(secret=secret, fail=fail)
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), _handler(hook))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hook, f"http://127.0.0.1:{server.server_address[1]}/sms"
    finally:
        server.shutdown()
        server.server_close()
