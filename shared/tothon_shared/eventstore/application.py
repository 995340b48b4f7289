"""The base of every service's ``eventsourcing`` application: transcodings for our value types."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.application import (
    Application,
    ProcessingEvent,
    ProjectorFunction,
    Repository,
    project_aggregate,
)
from eventsourcing.domain import Aggregate, DomainEventProtocol, MutableOrImmutableAggregate
from eventsourcing.persistence import (
    ApplicationRecorder,
    JSONTranscoder,
    Mapper,
    Notification,
    ProcessRecorder,
    Recording,
    Tracking,
    Transcoding,
)

from tothon_shared.eventstore.environment import ContextMapper, subject_key_store
from tothon_shared.privacy.keys import SubjectKeyStore
from tothon_shared.privacy.sealing import NoKeyStoreError
from tothon_shared.throughput.group_commit import GroupCommitter


class DateAsISO(Transcoding):
    """Calendar dates (birth dates, effective dates) as ``YYYY-MM-DD``."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class _ProcessingEvent(ProcessingEvent[UUID]):
    """Collects our aggregates' events without ``eventsourcing``'s runtime Protocol checks.

    The library asks each saved object whether it is a ``DomainEventProtocol`` and then a
    ``CollectEventsProtocol``; on Python 3.11 each such check walks the Protocol's members anew
    (about 7 % of a bulk import's CPU). Every aggregate of ours is an ``Aggregate``: that is one
    ordinary ``isinstance``. Anything else still goes the library's way."""

    def collect_events(
        self, *objs: MutableOrImmutableAggregate[UUID] | DomainEventProtocol[UUID] | None, **kwargs: Any
    ) -> None:
        for obj in objs:
            if isinstance(obj, Aggregate):
                self.events.extend(obj.collect_events())
                self.aggregates[obj.id] = obj
            else:
                super().collect_events(obj)
        self.saved_kwargs.update(kwargs)


class TothonApplication(Application[UUID]):
    """An application whose events may carry dates, and whose concurrent saves share a commit."""

    # Whether events of this application seal personal fields with per-person keys.
    stores_personal_data: ClassVar[bool] = False

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        super().__init__(env=env)
        self._committer = GroupCommitter(self.recorder.insert_events)

    def construct_mapper(self) -> Mapper[UUID]:
        mapper = super().construct_mapper()
        if self.stores_personal_data and isinstance(mapper, ContextMapper):
            mapper.subject_keys = subject_key_store(self.env)
        return mapper

    @property
    def subject_keys(self) -> SubjectKeyStore:
        """The per-person key store (applications that store personal data only)."""
        keys = self.mapper.subject_keys if isinstance(self.mapper, ContextMapper) else None
        if keys is None:
            raise NoKeyStoreError(self.name)
        return keys

    def close(self) -> None:
        if isinstance(self.mapper, ContextMapper) and self.mapper.subject_keys is not None:
            self.mapper.subject_keys.dispose()
        super().close()

    def save(
        self,
        *objs: MutableOrImmutableAggregate[UUID] | DomainEventProtocol[UUID] | None,
        tracking: Tracking | None = None,
        **kwargs: Any,
    ) -> list[Recording[UUID]]:
        # The library's ``save`` with a faster collection (see ``_ProcessingEvent``); ``tracking``
        # is the inbound message a use case ran for (``TrackingApplication``).
        processing_event = _ProcessingEvent(tracking)
        processing_event.collect_events(*objs, **kwargs)
        recordings = self._record(processing_event)
        self._take_snapshots(processing_event)
        self._notify(recordings)
        self.notify(processing_event.events)
        return recordings

    def _record(self, processing_event: ProcessingEvent[UUID]) -> list[Recording[UUID]]:
        if processing_event.tracking is not None or processing_event.saved_kwargs:
            # Not through the group commit: a save with tracking must fail alone when its message
            # was applied already (the library's insert takes one tracking record, and a conflict
            # of it is the save's own outcome, not its group's); inbound use cases come one at a
            # time from each partition's consumer, so there is little to share a commit with.
            return super()._record(processing_event)
        # Mapped in the caller's thread, so each stored event carries its own command's context
        # even when another thread's transaction writes it.
        events = processing_event.events
        stored = (
            self.mapper.to_stored_events(events)
            if isinstance(self.mapper, ContextMapper)
            else [self.mapper.to_stored_event(e) for e in events]
        )
        ids = self._committer.insert(stored)
        if self.repository.cache and not self.repository.fastforward:
            for aggregate_id, aggregate in processing_event.aggregates.items():
                self.repository.cache.put(aggregate_id, aggregate)
        return [
            Recording(
                event,
                Notification(
                    originator_id=s.originator_id,
                    originator_version=s.originator_version,
                    topic=s.topic,
                    state=s.state,
                    id=n,
                ),
            )
            for event, s, n in zip(events, stored, ids or (), strict=False)
        ]

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())


class _BatchRepository(Repository[UUID]):
    """The repository, which during a batch of use cases (``TrackingApplication.batch``) gives
    the batch's own code the aggregates the batch changed so far: those changes are not stored
    until its end, and no other thread or task sees them."""

    pending: ContextVar[dict[UUID, Any] | None]

    def get(
        self,
        aggregate_id: UUID,
        *,
        version: int | None = None,
        projector_func: ProjectorFunction[Any, Any] = project_aggregate,
        fastforward_skipping: bool = False,
        deepcopy_from_cache: bool = True,
    ) -> Any:
        pending = self.pending.get()
        if version is None and pending is not None and aggregate_id in pending:
            return pending[aggregate_id]
        return super().get(
            aggregate_id,
            version=version,
            projector_func=projector_func,
            fastforward_skipping=fastforward_skipping,
            deepcopy_from_cache=deepcopy_from_cache,
        )


class TrackingApplication(TothonApplication):
    """An application that also runs use cases from inbound events, exactly once.

    Its recorder is ``eventsourcing``'s process recorder: a save given ``tracking`` writes that
    tracking record (which inbound message the use case ran for) in the same transaction as its
    events, and a message tracked already makes the save fail with nothing stored
    (``messaging.use_cases`` runs the use cases).

    Inside ``batch()`` the saves of several use cases, run for consecutive messages of one log,
    are gathered and stored at its end in one transaction with the last message's tracking
    record: the library keeps one position a log (the highest applied), so that record covers
    every message of the batch. One commit a message was the funds worker's limit (it fell ten
    seconds behind registrations at 200 a second, docs/benchmarks.md).

    A batch belongs to the thread or task that opened it (a context variable): the API's requests
    and other consumers share this application meanwhile, and a save of theirs is stored at once.
    (It was once the application's attribute: a poll opened while a consumer's batch ran was
    gathered into that batch, answered 201 and lost when the batch failed.)"""

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        super().__init__(env=env)
        self._gathered: ContextVar[_ProcessingEvent | None] = ContextVar(f"{self.name}.batch", default=None)

    def construct_recorder(self) -> ApplicationRecorder:
        return self.factory.process_recorder()

    def construct_repository(self) -> Repository[UUID]:
        base = super().construct_repository()
        repository = _BatchRepository(
            event_store=base.event_store,
            snapshot_store=base.snapshot_store,
            cache_maxsize=None,
            fastforward=base.fastforward,
            fastforward_skipping=base.fastforward_skipping,
            deepcopy_from_cache=base.deepcopy_from_cache,
        )
        repository.cache = base.cache
        repository.pending = ContextVar(f"{self.name}.batch.pending", default=None)
        return repository

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Gather the saves made inside; store them at the end, with the tracking record of the
        last save, in one transaction. Nothing is stored if the block raises (the aggregates it
        changed are dropped with it: they were never put in the repository's cache)."""
        assert self._gathered.get() is None, "batches do not nest"
        repository = self.repository
        assert isinstance(repository, _BatchRepository)  # construct_repository made it
        gathered = _ProcessingEvent(None)
        gathering, pending = self._gathered.set(gathered), repository.pending.set(gathered.aggregates)
        try:
            yield
        finally:
            self._gathered.reset(gathering)
            repository.pending.reset(pending)
        if gathered.events or gathered.tracking is not None:
            recordings = self._record(gathered)
            self._take_snapshots(gathered)
            self._notify(recordings)
            self.notify(gathered.events)

    def save(
        self,
        *objs: MutableOrImmutableAggregate[UUID] | DomainEventProtocol[UUID] | None,
        tracking: Tracking | None = None,
        **kwargs: Any,
    ) -> list[Recording[UUID]]:
        gathered = self._gathered.get()
        if gathered is None:
            return super().save(*objs, tracking=tracking, **kwargs)
        if kwargs:
            raise TypeError("a batch of use cases stores no save options")
        gathered.collect_events(*objs)
        if tracking is not None:
            gathered.tracking = tracking
        return []  # recorded at the batch's end

    @property
    def tracking(self) -> ProcessRecorder:
        """The recorder, as the process recorder it is."""
        recorder = self.recorder
        assert isinstance(recorder, ProcessRecorder)  # construct_recorder made it
        return recorder

    def already_applied(self, tracking: Tracking) -> bool:
        """Whether the message at ``tracking`` (or a later one of its log) was applied."""
        return self.tracking.has_tracking_id(tracking.application_name, tracking.notification_id)
