"""The feedback service's use cases: the city's category catalogue and the cases, each step loaded,
decided by the domain and saved. The unit tree is the registry's: the caller hands in the lookup of
a unit's parent (``ParentLookup``) from its copy of the directory."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import date, datetime
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from tothon_feedback.domain.api_keys import ApiKeyError, Open311Key, fingerprint
from tothon_feedback.domain.calendar import OfficeHours
from tothon_feedback.domain.case import FeedbackCase
from tothon_feedback.domain.catalogue import CategoryCatalogue
from tothon_feedback.domain.categories import Category
from tothon_feedback.domain.deadlines import DeadlineRule, deadlines_for
from tothon_feedback.domain.errors import CaseNotFoundError
from tothon_feedback.domain.levels import Level
from tothon_feedback.domain.routing import ParentLookup
from tothon_feedback.domain.submission import Submission
from tothon_feedback.domain.workflow import SYSTEM
from tothon_shared.eventstore.application import TothonApplication

# A check of the caller's right to take a step, run on the case as loaded (raises to refuse).
Guard = Callable[[FeedbackCase], None]
# Why the catalogue a city starts with was established (the event's reason).
DEFAULTS_REASON = "defaults"


class FeedbackApplication(TothonApplication):
    """The feedback service's event store: the catalogue and the cases."""

    name = "feedback"

    # --- the catalogue ---

    # Every filing reads the catalogue, which changes a few times a year: it is kept for this long
    # (an edit in another process reaches this one within it; this process's own edits at once).
    CATALOGUE_SECONDS = 5.0
    _kept_catalogue: tuple[float, CategoryCatalogue] | None = None

    def catalogue(self) -> CategoryCatalogue:
        """The city's catalogue, to read (never to change: ``_edit`` loads its own copy)."""
        kept = self._kept_catalogue
        if kept is not None and kept[0] > time.monotonic():
            return kept[1]
        catalogue = self._stored_catalogue()
        self._kept_catalogue = (time.monotonic() + self.CATALOGUE_SECONDS, catalogue)
        return catalogue

    def _stored_catalogue(self) -> CategoryCatalogue:
        """The catalogue as edited, or the defaults until a first edit stores them."""
        try:
            stored: object = self.repository.get(CategoryCatalogue.create_id())
        except AggregateNotFoundError:
            return CategoryCatalogue.establish(SYSTEM, DEFAULTS_REASON)
        assert isinstance(stored, CategoryCatalogue)  # the id is derived for the catalogue only
        return stored

    def _edit(self, change: Callable[[CategoryCatalogue], object]) -> None:
        catalogue = self._stored_catalogue()
        change(catalogue)
        self.save(catalogue)  # the defaults' establishment with the first edit
        self._kept_catalogue = None

    def add_category(self, category: Category, actor: str, reason: str) -> None:
        """A new category, offered from now on."""
        self._edit(lambda c: c.add_category(category, actor, reason))

    def change_category(self, category: Category, actor: str, reason: str) -> None:
        """New names, level or deadlines for a category (cases filed keep their deadlines)."""
        self._edit(lambda c: c.change_category(category, actor, reason))

    def retire_category(self, code: str, actor: str, reason: str) -> None:
        """No new cases under this category; its cases go on."""
        self._edit(lambda c: c.retire_category(code, actor, reason))

    def add_day_off(self, day: date, actor: str, reason: str) -> None:
        """A day off the city gives beyond the national calendar."""
        self._edit(lambda c: c.add_day_off(day, actor, reason))

    def remove_day_off(self, day: date, actor: str, reason: str) -> None:
        """Take back a day off the city gave."""
        self._edit(lambda c: c.remove_day_off(day, actor, reason))

    def change_office_hours(self, office_hours: OfficeHours, actor: str, reason: str) -> None:
        """The hours in which working time counts."""
        self._edit(lambda c: c.change_office_hours(office_hours, actor, reason))

    def _rule(self, category_code: str, catalogue: CategoryCatalogue | None = None) -> DeadlineRule:
        catalogue = catalogue or self.catalogue()
        return deadlines_for(catalogue.category(category_code), catalogue.calendar())

    # --- filing ---

    def submit(
        self,
        case_id: UUID,
        submission: Submission,
        category_code: str,
        at: datetime,
        parent_unit: ParentLookup,
    ) -> FeedbackCase:
        """File a case under an offered category, at its competent unit with that level's deadlines."""
        catalogue = self.catalogue()
        category = catalogue.offered(category_code)
        rule = deadlines_for(category, catalogue.calendar())
        case = FeedbackCase.submit(case_id, submission, category, at, parent_unit, rule)
        self.save(case)
        return case

    # --- the steps on a case ---

    def case(self, case_id: UUID) -> FeedbackCase:
        """A case, or ``CaseNotFoundError``."""
        try:
            case: object = self.repository.get(case_id)
        except AggregateNotFoundError:
            raise CaseNotFoundError from None
        if not isinstance(case, FeedbackCase):
            raise CaseNotFoundError  # another aggregate's id (the catalogue's)
        return case

    def _step(
        self, case_id: UUID, take: Callable[[FeedbackCase], object], guard: Guard | None
    ) -> FeedbackCase:
        case = self.case(case_id)
        if guard is not None:
            guard(case)  # on the case as loaded: the step is decided on what was checked
        take(case)
        self.save(case)
        return case

    def accept(
        self, case_id: UUID, actor: str, at: datetime, reason: str = "", guard: Guard | None = None
    ) -> FeedbackCase:
        """The handling unit takes the case on."""
        return self._step(case_id, lambda c: c.accept(actor, at, reason), guard)

    def start(
        self, case_id: UUID, actor: str, at: datetime, reason: str = "", guard: Guard | None = None
    ) -> FeedbackCase:
        """Work on the case has begun."""
        return self._step(case_id, lambda c: c.start(actor, at, reason), guard)

    def resolve(
        self,
        case_id: UUID,
        actor: str,
        at: datetime,
        answer: str,
        evidence: Sequence[str],
        guard: Guard | None = None,
    ) -> FeedbackCase:
        """The public answer, with its evidence."""
        return self._step(case_id, lambda c: c.resolve(actor, at, answer, evidence), guard)

    def reject(
        self, case_id: UUID, actor: str, reason: str, at: datetime, guard: Guard | None = None
    ) -> FeedbackCase:
        """Refuse the case, with the reason."""
        return self._step(case_id, lambda c: c.reject(actor, reason, at), guard)

    def merge(
        self, case_id: UUID, into: UUID, actor: str, reason: str, at: datetime, guard: Guard | None = None
    ) -> FeedbackCase:
        """Close ``case_id`` as a duplicate of ``into`` (a case that exists and is open)."""
        target = self.case(into)
        if not target.status.is_open:
            raise CaseNotFoundError(code="merge_target")
        return self._step(case_id, lambda c: c.merge_into(into, actor, reason, at), guard)

    def confirm(
        self, case_id: UUID, actor: str, at: datetime, rating: int, guard: Guard | None = None
    ) -> FeedbackCase:
        """The resident confirms the resolution and rates it: the case is closed (not ``close``,
        which releases the application's connections)."""
        return self._step(case_id, lambda c: c.close(actor, at, rating), guard)

    def reopen(
        self,
        case_id: UUID,
        actor: str,
        reason: str,
        at: datetime,
        parent_unit: ParentLookup,
        guard: Guard | None = None,
    ) -> FeedbackCase:
        """The resident is not satisfied: one level up."""
        return self._step(
            case_id, lambda c: c.reopen(actor, reason, at, parent_unit, self._rule(c.category)), guard
        )

    def escalate(
        self,
        case_id: UUID,
        actor: str,
        reason: str,
        at: datetime,
        parent_unit: ParentLookup,
        guard: Guard | None = None,
    ) -> FeedbackCase:
        """Send the case one level up, with the reason."""
        return self._step(
            case_id, lambda c: c.escalate(actor, reason, at, parent_unit, self._rule(c.category)), guard
        )

    def return_to(
        self,
        case_id: UUID,
        unit_id: UUID,
        level: Level,
        actor: str,
        reason: str,
        at: datetime,
        guard: Guard | None = None,
    ) -> FeedbackCase:
        """Send the case down to a lower unit, with the reason."""
        return self._step(
            case_id,
            lambda c: c.return_to(unit_id, level, actor, reason, at, self._rule(c.category)),
            guard,
        )

    def escalate_overdue(
        self, case_id: UUID, at: datetime, parent_unit: ParentLookup, guard: Guard | None = None
    ) -> FeedbackCase:
        """The system's escalation of a case whose deadline has passed at ``at``."""
        return self._step(
            case_id, lambda c: c.escalate_overdue(at, parent_unit, self._rule(c.category)), guard
        )

    def assign(
        self, case_id: UUID, official: str, actor: str, at: datetime, guard: Guard | None = None
    ) -> FeedbackCase:
        """Give the case to a named official of its unit (``""``: to nobody)."""
        return self._step(case_id, lambda c: c.assign(official, actor, at), guard)

    def note(
        self, case_id: UUID, text: str, actor: str, at: datetime, guard: Guard | None = None
    ) -> FeedbackCase:
        """An internal note."""
        return self._step(case_id, lambda c: c.note(text, actor, at), guard)

    def reply(
        self, case_id: UUID, text: str, actor: str, at: datetime, guard: Guard | None = None
    ) -> FeedbackCase:
        """A public reply to the resident."""
        return self._step(case_id, lambda c: c.reply(text, actor, at), guard)

    # --- Open311 keys ---

    def issue_open311_key(self, system: str, actor: str, reason: str) -> tuple[UUID, str]:
        """A key for another city system: its id and its secret (shown once, never stored)."""
        key, secret = Open311Key.issue(system, actor, reason)
        self.save(key)
        return key.id, secret

    def revoke_open311_key(self, key_id: UUID, actor: str, reason: str) -> None:
        """Stop a key at once."""
        key = self._key(key_id)
        if key is None:
            raise ApiKeyError(code="not_found")
        key.revoke(actor, reason)
        self.save(key)

    def open311_key(self, secret: str) -> Open311Key | None:
        """The key a request presents, if it was issued and is not revoked."""
        key = self._key(Open311Key.create_id(fingerprint(secret)))
        return key if key is not None and not key.revoked else None

    def _key(self, key_id: UUID) -> Open311Key | None:
        try:
            key: object = self.repository.get(key_id)
        except AggregateNotFoundError:
            return None
        return key if isinstance(key, Open311Key) else None
