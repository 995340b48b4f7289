"""Announcements' use cases: write, edit, retract a notice; a household's receipt of it (read,
acknowledged on its page or told by the group leader). Who may do each is decided before
(``api/announcements.py``); these keep the notice's own rules."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from tothon_communication.domain.announcement import (
    Announcement,
    AnnouncementError,
    Band,
    Category,
    Means,
    Priority,
    Receipt,
)
from tothon_shared.eventstore.application import TrackingApplication


class AnnouncementUseCases(TrackingApplication):
    """Announcements on the communication service's event store."""

    def announcement(self, announcement_id: UUID) -> Announcement:
        """A notice (``AnnouncementError`` ``not_found`` if there is none)."""
        try:
            found: object = self.repository.get(announcement_id)
        except AggregateNotFoundError:
            raise AnnouncementError(code="not_found") from None
        if not isinstance(found, Announcement):
            raise AnnouncementError(code="not_found")
        return found

    def write_announcement(
        self,
        unit_id: UUID,
        groups: list[UUID],
        title: str,
        body: str,
        category: Category,
        priority: Priority,
        publish_at: datetime,
        expires_at: datetime | None,
        author: str,
        bands: Sequence[Band] = (),
        heads_only: bool = False,
        attachments: Sequence[UUID] = (),
    ) -> Announcement:
        """Write a notice; it shows from ``publish_at``."""
        notice = Announcement.write(
            unit_id,
            groups,
            title,
            body,
            category,
            priority,
            publish_at,
            expires_at,
            author,
            bands,
            heads_only,
            attachments,
        )
        self.save(notice)
        return notice

    def edit_announcement(
        self, announcement_id: UUID, title: str, body: str, editor: str, at: datetime
    ) -> int:
        """A new version of a notice's text; its version number."""
        notice = self.announcement(announcement_id)
        notice.edit(title, body, editor, at)
        self.save(notice)
        return notice.edition

    def retract_announcement(self, announcement_id: UUID, reason: str, by: str, at: datetime) -> None:
        """Withdraw a notice with a reason."""
        notice = self.announcement(announcement_id)
        notice.retract(reason, by, at)
        self.save(notice)

    def acknowledge(
        self,
        announcement_id: UUID,
        household_id: UUID,
        unit_id: UUID,
        means: Means | None,
        by: str,
        at: datetime,
    ) -> bool:
        """A household read (``means`` None) or acknowledged a notice; False when that was
        recorded already. Two devices of one household at once: the second finds the first's.

        The caller has found the notice standing (not retracted) in the read model: a city-wide
        notice's receipts come by the thousand a second, and reading the notice's aggregate for
        each would cost more than the receipt itself."""
        fresh = Receipt(announcement_id=announcement_id, household_id=household_id, unit_id=unit_id)
        if means is None:
            fresh.read(by, at)
        else:
            fresh.acknowledge(means, by, at)
        try:
            # Most households act once: the receipt is tried as new before it is looked for.
            self.save(fresh)
            return True
        except IntegrityError:
            pass
        for _ in range(3):
            receipt = self._receipt(announcement_id, household_id, unit_id)
            changed = receipt.read(by, at) if means is None else receipt.acknowledge(means, by, at)
            if not changed:
                return False
            try:
                self.save(receipt)
                return True
            except IntegrityError:
                continue  # the household's other device got there first: look again
        return False

    def acknowledge_many(
        self,
        announcement_id: UUID,
        households: dict[UUID, UUID],
        already: set[UUID],
        means: Means,
        by: str,
        at: datetime,
    ) -> int:
        """Households (each with its unit) told in person or by loudspeaker, all at once: one save
        for them all (a leader's round of a village, hundreds of households). ``already``: those
        with a receipt (found and updated; the others are created). How many were recorded."""
        receipts = []
        for household_id, unit_id in households.items():
            if household_id in already:
                receipt = self._receipt(announcement_id, household_id, unit_id)
            else:
                receipt = Receipt(announcement_id=announcement_id, household_id=household_id, unit_id=unit_id)
            if receipt.acknowledge(means, by, at):
                receipts.append(receipt)
        try:
            self.save(*receipts)
            return len(receipts)
        except IntegrityError:
            pass  # some household acknowledged meanwhile on its own page: one by one
        return sum(
            self.acknowledge(announcement_id, h, households[h], means, by, at)
            for h in (r.household_id for r in receipts)
        )

    def _receipt(self, announcement_id: UUID, household_id: UUID, unit_id: UUID) -> Receipt:
        try:
            found: object = self.repository.get(Receipt.create_id(announcement_id, household_id))
        except AggregateNotFoundError:
            return Receipt(announcement_id=announcement_id, household_id=household_id, unit_id=unit_id)
        assert isinstance(found, Receipt)  # the id is derived for receipts only
        return found
