"""A note: the smallest aggregate, for the tests of the event store's base applications."""

from __future__ import annotations

from eventsourcing.domain import Aggregate, event


class Note(Aggregate):
    @event("Written")
    def __init__(self, text: str) -> None:
        self.text = text

    @event("Edited")
    def edit(self, text: str) -> None:
        self.text = text
