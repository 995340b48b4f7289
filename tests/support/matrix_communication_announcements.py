"""Announcements and emergencies for the access matrix: per call, an urgent notice of the target
unit (so its households are asked to acknowledge) or an open emergency, made through the
communication service's application as the system and awaited in its read model."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from photos import png
from polling import wait_for

from tothon.embedded import Embedded
from tothon_communication.application import CommunicationApplication
from tothon_communication.domain.announcement import Category, Priority
from tothon_communication.domain.emergency import Hazard
from tothon_communication.domain.outbound import Means
from tothon_communication.readmodels.announcements import notice
from tothon_communication.readmodels.conversations import ATTACHMENTS
from tothon_communication.readmodels.emergencies import emergency
from tothon_communication.readmodels.outbound import consenting, household_contacts
from tothon_communication.readmodels.polls import poll as poll_row
from tothon_registry.application import RegistryApplication
from tothon_registry.domain.person import ConsentPurpose
from tothon_shared.attachments.uploads import store_upload
from tothon_shared.eventstore.context import acting_as

ANNOUNCEMENTS = "/communication/api/v1/announcements"


def _communication(embedded: Embedded) -> CommunicationApplication:
    app = embedded.runtimes["communication"].app
    assert isinstance(app, CommunicationApplication)
    return app


class _UnitSubjects:
    """Makes subjects of the matrix's target units through the embedded communication service."""

    def __init__(self, embedded: Embedded, units: dict[str, str]) -> None:
        self._runtime = embedded.runtimes["communication"]
        self._app, self._units = _communication(embedded), units


class AnnouncementSubjects(_UnitSubjects):
    """Makes, per call, a notice of a target unit of the matrix."""

    def notice_with_file(self, target: str) -> tuple[str, str]:
        """A notice of ``target``'s subtree carrying a photo: the notice's id and the photo's."""
        upload = store_upload(
            ATTACHMENTS,
            self._runtime.store,
            png(),
            share_location=False,
            uploader="matrix",
            at=datetime.now(UTC),
            max_bytes=10_000_000,
        )
        return self.notice(target, [upload.upload_id]), str(upload.upload_id)

    def notice(self, target: str, attachments: list[UUID] | None = None) -> str:
        """An urgent notice of ``target``'s subtree, once the read model has it."""
        with acting_as("matrix"):
            written = self._app.write_announcement(
                UUID(self._units[target]),
                [],
                "Thông báo thử",
                "Nội dung thử",
                Category.LOCAL_NOTICE,
                Priority.URGENT,
                datetime.now(UTC),
                None,
                "matrix",
                attachments=attachments or [],
            )
        store = self._runtime.store
        wait_for(lambda: notice(store, written.id) is not None, what="the notice in its read model")
        return str(written.id)


EMERGENCIES = "/communication/api/v1/emergencies"


class EmergencySubjects(_UnitSubjects):
    """Makes, per call, an open emergency (a typhoon) of a target unit of the matrix."""

    def emergency(self, target: str) -> str:
        """An open emergency of ``target``'s subtree, once the read model has it."""
        with acting_as("matrix"):
            declared = self._app.declare_emergency(
                UUID(self._units[target]),
                [],
                Hazard.TYPHOON,
                "Bão thử",
                "Báo tình hình thử",
                "matrix",
                datetime.now(UTC),
            )
        store = self._runtime.store
        wait_for(lambda: emergency(store, declared.id) is not None, what="the emergency in its read model")
        return str(declared.id)


class ContactSubjects:
    """Makes, per call, a target household's head consenting in the registry (as communication
    has heard) and, when asked, a contact given for them."""

    def __init__(self, embedded: Embedded, households: dict[str, str], heads: dict[str, str]) -> None:
        self._runtime = embedded.runtimes["communication"]
        registry = embedded.runtimes["registry"].app
        assert isinstance(registry, RegistryApplication)
        self._app, self._registry = _communication(embedded), registry
        self._households, self._heads = households, heads

    def consented(self, target: str) -> str:
        """The head's consent given (again) in the registry, once communication knows it."""
        head = self._heads[target]
        with acting_as("matrix"):
            self._registry.give_consent(UUID(head), ConsentPurpose.NOTIFICATIONS_PHONE, "0905000017")
        store = self._runtime.store
        household = UUID(self._households[target])
        wait_for(lambda: consenting(store, household).get(UUID(head)), what="the consent in communication")
        return head

    def contact(self, target: str) -> str:
        """A Zalo contact of the head, given; the head's id."""
        head = self.consented(target)
        with acting_as("matrix"):
            self._app.give_contact(UUID(head), UUID(self._households[target]), Means.ZALO, "0905000017")
        store = self._runtime.store
        household = UUID(self._households[target])
        wait_for(
            lambda: any(
                c["means"] == "zalo" and not c["removed"] for c in household_contacts(store, household)
            ),
            what="the contact in communication",
        )
        return head


POLLS = "/communication/api/v1/polls"


class PollSubjects(_UnitSubjects):
    """Makes, per call, an open poll of a target unit of the matrix."""

    def poll(self, target: str) -> str:
        """A poll of ``target``'s households open for a week, once the read model has it."""
        now = datetime.now(UTC)
        with acting_as("matrix"):
            opened = self._app.open_poll(
                UUID(self._units[target]),
                "Biểu quyết thử?",
                ["Đồng ý", "Không"],
                now,
                now + timedelta(days=7),
                50,
                3,
                "m",
            )
        store = self._runtime.store
        wait_for(lambda: poll_row(store, opened.id) is not None, what="the poll in its read model")
        return str(opened.id)
