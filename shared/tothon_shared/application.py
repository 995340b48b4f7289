"""The base of every service's ``eventsourcing`` application: transcodings for our value types."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder, Transcoding


class DateAsISO(Transcoding):
    """Calendar dates (birth dates, effective dates) as ``YYYY-MM-DD``."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class TothonApplication(Application[UUID]):
    """An application whose events may carry dates as well as the library's default types."""

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
