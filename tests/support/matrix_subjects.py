"""Fresh subjects for the access matrix's write cases: each call acts on something of its own
(a household, groups, a flag, a correction, an account, a person to erase, a consent), made in the
target unit through the registry's application and awaited in its read models, so no case depends
on another's outcome."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

from fastapi.testclient import TestClient
from photos import phone_jpeg
from polling import wait_for
from sqlalchemy import func, select

from tothon.embedded import Embedded
from tothon_feedback.application import FeedbackApplication
from tothon_feedback.domain.categories import Category, Deadline
from tothon_feedback.domain.levels import Level
from tothon_feedback.domain.submission import Channel, Submission
from tothon_feedback.places import parent_lookup
from tothon_feedback.readmodels.queries import cases_citing
from tothon_feedback.readmodels.tables import ATTACHMENTS
from tothon_registry.application import NewMember, RegistryApplication
from tothon_registry.domain.person import PersonDetails
from tothon_registry.domain.person_details import ConsentPurpose
from tothon_registry.domain.presence import FlagKind
from tothon_registry.domain.unit import UnitKind
from tothon_registry.imports.households import Plan
from tothon_registry.imports.job import start as start_import
from tothon_shared.attachments.processing import process
from tothon_shared.auth.principal import Grant, Principal
from tothon_shared.auth.roles import Role
from tothon_shared.eventstore.context import acting_as

API = "/registry/api/v1"
ON = date(2026, 11, 1)
_serial = itertools.count(1)


class Subjects:
    """Makes, per call, what a write case acts on, in a target unit of the matrix."""

    def __init__(
        self, embedded: Embedded, client: TestClient, reader: dict[str, str], units: dict[str, str]
    ) -> None:
        registry = embedded.runtimes["registry"].app
        assert isinstance(registry, RegistryApplication)
        self._embedded = embedded
        self._registry = registry
        self._client = client
        self._reader = reader  # an official who reads every unit: awaits the read models
        self._units = units
        self._photos: dict[str, str] = {}  # each feedback case's photo
        ward = registry.get_unit(UUID(next(iter(units.values())))).parent_id
        city = registry.get_unit(ward).parent_id if ward else None
        assert city is not None, "the targets are groups of a ward of the city"
        # Who opens the accounts administered in the matrix, as the installation does.
        self._installer = Principal(
            UUID(int=0),
            "matrix",
            "matrix",
            (Grant(Role.CITY_IT_ADMIN, city), Grant(Role.WARD_OFFICIAL, city)),
        )

    def household(self, target: str) -> dict[str, str]:
        """A household of a head and a child in ``target``: its id and its members' ids."""
        with acting_as("matrix"):
            household_id = self._registry.register_household(
                UUID(self._units[target]),
                f"FS-{next(_serial)}",
                [
                    NewMember("head", PersonDetails(full_name="Trần Văn Phúc", birth_year=1970)),
                    NewMember("child", PersonDetails(full_name="Trần Thị Ngọc", birth_year=2000)),
                ],
                ON,
            )
        household = self._registry.get_household(household_id)
        head, child = (str(m.person_id) for m in household.members)
        self._visible(f"{API}/households/{household_id}")
        return {"household": str(household_id), "head": head, "child": child}

    def groups(self, target: str, count: int) -> list[str]:
        """``count`` new residential groups beside ``target`` (under its ward)."""
        parent = self._registry.get_unit(UUID(self._units[target])).parent_id
        with acting_as("matrix"):
            return [
                str(
                    self._registry.establish_unit(
                        UnitKind.RESIDENTIAL_GROUP, f"Tổ thử {next(_serial)}", None, None, parent, ON
                    )
                )
                for _ in range(count)
            ]

    def flag(self, target: str) -> str:
        """An open presence flag on a household of ``target``."""
        household = self.household(target)
        with acting_as("matrix"):
            flag_id = self._registry.raise_presence_flag(
                UUID(household["household"]), None, FlagKind.LIVING_NOT_REGISTERED, ON, "Có người ở cùng"
            )
        wait_for(
            lambda: str(flag_id) in self._ids(f"{API}/presence-flags", {"unit_id": self._units[target]}),
            what="the new presence flag",
        )
        return str(flag_id)

    def correction(self, target: str) -> str:
        """A correction awaiting a decision, about a person of ``target``."""
        household = self.household(target)
        with acting_as("matrix"):
            return str(
                self._registry.propose_correction(
                    UUID(household["child"]), {"occupation": "Giáo viên"}, "Đổi nghề", "group_leader"
                )
            )

    def account(self, target: str, role: Role, household: str | None = None) -> str:
        """An account holding ``role`` at ``target`` (and bound to ``household`` if given)."""
        with acting_as("matrix"):
            account = self._registry.open_account(
                f"phuc-vu-{next(_serial)}",
                "Người phục vụ",
                "mật-khẩu-2026",
                UUID(household) if household else None,
                "matrix",
            )
            self._registry.assign_role(self._installer, account, role, UUID(self._units[target]), "kiểm thử")
        return str(account)

    def lone_person(self, target: str) -> str:
        """The only member of a new household in ``target`` (erasing them leaves no household headless)."""
        with acting_as("matrix"):
            household_id = self._registry.register_household(
                UUID(self._units[target]),
                f"ER-{next(_serial)}",
                [NewMember("head", PersonDetails(full_name="Người thử xoá"))],
                ON,
            )
        person = str(self._registry.get_household(household_id).head.person_id)
        self._visible(f"{API}/persons/{person}?purpose=contact")
        return person

    def consent(self, person_id: str) -> None:
        """The person's consent to phone notifications, given (again) so a withdrawal has one to withdraw."""
        with acting_as("matrix"):
            self._registry.give_consent(UUID(person_id), ConsentPurpose.NOTIFICATIONS_PHONE, "0905000017")

    def import_job(self, target: str) -> str:
        """An import of ``target`` as the read side records it (its rows need not run)."""
        import_id = UUID(int=next(_serial))
        store = self._embedded.runtimes["registry"].store
        start_import(
            store, import_id, UUID(self._units[target]), "so-ho.csv", UUID(int=0), Plan([], [], set()), 0
        )
        return str(import_id)

    def feedback_case(
        self, target: str, household: str, category: str = "sanitation", steps: tuple[str, ...] = ()
    ) -> str:
        """A case an official filed at the counter for a household of ``target`` (at its category's
        level: the group's for sanitation, the ward's for infrastructure), then taken through
        ``steps`` (``accept``, ``resolve``) by its handling unit."""
        runtime = self._embedded.runtimes["feedback"]
        app, at = runtime.app, datetime.now(UTC)
        assert isinstance(app, FeedbackApplication)
        submission = Submission(
            resident=f"household:{household}",
            actor="matrix",
            channel=Channel.WALK_IN,
            text=f"Phản ánh thử số {next(_serial)}",
            unit_id=UUID(self._units[target]),
            level=Level.GROUP,
            attachments=(photo := self._feedback_photo(),),
        )
        case_id = app.submit(uuid4(), submission, category, at, parent_lookup(runtime.store)).id
        self._photos[str(case_id)] = photo
        if "accept" in steps:
            app.accept(case_id, "matrix", at)
        if "resolve" in steps:
            app.resolve(case_id, "matrix", at, "Đã xử lý xong", [photo])
        return str(case_id)

    def _feedback_photo(self) -> str:
        """A photo of its own for each case (content decides who may see a file: two cases citing
        the same photo would open it to the officials of both)."""
        store = self._embedded.runtimes["feedback"].store
        n = next(_serial)
        photo = process(
            phone_jpeg(64 + n % 50, 48 + n // 50), share_location=False, max_bytes=10 * 1024 * 1024
        )
        return ATTACHMENTS.put(store, photo, "matrix", datetime.now(UTC)).sha256

    def feedback_photo(self, case_id: str) -> str:
        """The photo a matrix case came with (a resolution may cite it as evidence)."""
        return self._photos[case_id]

    def feedback_case_with_its_photo(self, target: str, household: str) -> str:
        """A case whose photo the feedback service's read model already cites: the photo's hash."""
        photo = self.feedback_photo(self.feedback_case(target, household))
        store = self._embedded.runtimes["feedback"].store
        wait_for(lambda: cases_citing(store, photo), what="the matrix case's photo cited")
        return photo

    def feedback_category(self) -> str:
        """A category of the city's catalogue of its own (to retire)."""
        app = self._embedded.runtimes["feedback"].app
        assert isinstance(app, FeedbackApplication)
        code = f"matrix_{next(_serial)}"
        deadline = Deadline(8, 5)
        category = Category(
            code, "Thử", "Trial", Level.WARD, deadlines={Level.WARD: deadline, Level.CITY: deadline}
        )
        app.add_category(category, "matrix", "Thử")
        return code

    def feedback_day_off(self, day: str) -> str:
        """A day off the city gave (to take back)."""
        app = self._embedded.runtimes["feedback"].app
        assert isinstance(app, FeedbackApplication)
        app.add_day_off(date.fromisoformat(day), "matrix", "Thử")
        return day

    def open311_key(self) -> str:
        """A key issued to a system (to revoke)."""
        app = self._embedded.runtimes["feedback"].app
        assert isinstance(app, FeedbackApplication)
        key_id, _secret = app.issue_open311_key("Hệ thống thử", "matrix", "Thử")
        return str(key_id)

    def rows_of(self, service: str, table: str) -> int:
        """How many rows a table of a service's read database holds (what a refused write keeps)."""
        store = self._embedded.runtimes[service].store
        with store.engine.connect() as connection:
            query = select(func.count()).select_from(store.metadata.tables[table])
            return int(connection.execute(query).scalar_one())

    def _visible(self, path: str) -> None:
        wait_for(lambda: self._client.get(path, headers=self._reader).status_code == 200, what=path)

    def _ids(self, path: str, params: dict[str, str]) -> set[str]:
        rows: list[dict[str, Any]] = self._client.get(path, headers=self._reader, params=params).json()
        return {str(r.get("flag_id")) for r in rows}
