"""The two ways a message leaves: e-mail over SMTP, and a signed webhook (HTTP POST of JSON) for an
SMS or Zalo gateway. Each raises ``SendError`` with what went wrong; the caller retries later.

The webhook's request carries ``X-Tothon-Timestamp`` and ``X-Tothon-Signature`` (``sha256=`` and
the hex HMAC-SHA256, under the gateway's secret, of the timestamp, a dot and the body), so a
gateway can check that the request is ours and recent; and ``X-Tothon-Delivery``, the delivery's
id, the same on every retry, so a gateway that answered but whose answer was lost can tell a retry
from a new message."""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from uuid import UUID


class SendError(Exception):
    """The message was not taken by the receiving server (yet): try again later."""


@dataclass(frozen=True)
class Message:
    delivery_id: UUID
    to: str
    text: str
    subject: str = "Thông báo từ tổ, thôn điện tử"


def send_email(host: str, port: int, sender: str, message: Message, timeout: float) -> None:
    """Hand the message to the SMTP server (its Message-ID is the delivery's: resent, the same)."""
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = message.to
    mail["Subject"] = message.subject
    mail["Message-ID"] = f"<{message.delivery_id}@tothon>"
    mail.set_content(message.text)
    try:
        with smtplib.SMTP(host, port, timeout=timeout) as server:
            server.send_message(mail)
    except (smtplib.SMTPException, OSError) as error:
        raise SendError(f"SMTP: {error}") from error


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The value of ``X-Tothon-Signature`` for a request."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def send_webhook(url: str, secret: str, means: str, message: Message, timeout: float) -> None:
    """POST the message to the gateway; any answer but 2xx is a failure."""
    body = json.dumps(
        {"delivery_id": str(message.delivery_id), "means": means, "to": message.to, "text": message.text},
        ensure_ascii=False,
    ).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 - the URL is city IT's, checked to be https
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "X-Tothon-Timestamp": timestamp,
            "X-Tothon-Signature": signature(secret, timestamp, body),
            "X-Tothon-Delivery": str(message.delivery_id),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as error:
        raise SendError(f"HTTP {error.code}") from error
    except (urllib.error.URLError, OSError) as error:
        raise SendError(f"HTTP: {error}") from error
    if not 200 <= status < 300:
        raise SendError(f"HTTP {status}")
