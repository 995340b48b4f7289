"""Personal fields are sealed with the subject's own key; shredding the key makes them unreadable
for good while the rest of each event stays readable."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, ClassVar
from uuid import UUID, uuid4

import pytest
from cryptography.exceptions import InvalidTag
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from tothon_shared.eventstore.application import TothonApplication
from tothon_shared.eventstore.environment import (
    DEMO_KEY_ALLOWED,
    PERSONAL_DATA_KEY,
    SUBJECT_KEYS_URL,
    SUBJECT_KEYS_WITH_EVENTS,
    ContextMapper,
    event_store_env,
)
from tothon_shared.eventstore.notification_log import NotificationLog
from tothon_shared.privacy import keys as keys_module
from tothon_shared.privacy.keys import (
    InvalidMasterKeyError,
    SubjectKeyStore,
    SubjectShreddedError,
    decode_master_key,
    new_master_key,
)
from tothon_shared.runtime.settings import DEMO_PERSONAL_DATA_KEY, DefaultSecretError, Mode, Settings


class Patient(Aggregate):
    TOPIC = "test:Patient:v1"

    class Created(Aggregate.Created):
        TOPIC = "test:Patient.Created:v1"

    class Admitted(Created):
        TOPIC = "test:PatientAdmitted:v1"
        PERSONAL_FIELDS: ClassVar[tuple[str, ...]] = ("details",)
        ward: str
        details: dict[str, Any] | None

    @event(Admitted)
    def __init__(self, ward: str, details: dict[str, Any] | None) -> None:
        self.ward = ward
        self.details = details


class Clinic(TothonApplication):
    stores_personal_data = True

    def admit(self, ward: str, name: str, born: date) -> UUID:
        patient = Patient(ward, {"name": name, "born": born})
        self.save(patient)
        return patient.id


def _clinic(tmp_path: Path, master: str | None = None) -> Clinic:
    return Clinic(
        env={
            "MAPPER_TOPIC": get_topic(ContextMapper),
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(tmp_path / "events.sqlite"),
            SUBJECT_KEYS_URL: f"sqlite:///{tmp_path / 'keys.sqlite'}",
            PERSONAL_DATA_KEY: master or new_master_key(),
        }
    )


def test_personal_fields_are_not_stored_in_clear_and_read_back_whole(tmp_path: Path) -> None:
    clinic = _clinic(tmp_path)
    patient_id = clinic.admit("Hải Châu", "Nguyễn Thị Bê", date(1949, 3, 2))
    [stored] = clinic.recorder.select_notifications(1, 10)
    assert "Bê".encode() not in stored.state
    assert b"1949" not in stored.state
    assert b"H\\u1ea3i Ch\\u00e2u" in stored.state or "Hải Châu".encode() in stored.state  # not personal
    patient: Patient = clinic.repository.get(patient_id)
    assert patient.details == {"name": "Nguyễn Thị Bê", "born": date(1949, 3, 2)}


def test_after_shredding_the_personal_fields_read_as_none_and_the_rest_stays(tmp_path: Path) -> None:
    clinic = _clinic(tmp_path)
    kept = clinic.admit("Hải Châu", "Trần Văn A", date(1980, 1, 1))
    erased = clinic.admit("Thanh Khê", "Lê Thị B", date(1990, 1, 1))
    clinic.subject_keys.shred(erased)
    events = {logged.event.originator_id: logged.event for logged in NotificationLog(clinic).read(0, 10)}
    assert isinstance(events[erased], Patient.Admitted)
    assert events[erased].details is None
    assert events[erased].ward == "Thanh Khê"
    assert events[kept].details == {"name": "Trần Văn A", "born": date(1980, 1, 1)}
    assert clinic.repository.get(erased).details is None


def test_shredding_holds_across_processes_and_no_new_key_is_made(tmp_path: Path) -> None:
    master = new_master_key()
    first = _clinic(tmp_path, master)
    patient_id = first.admit("Hải Châu", "Trần Văn A", date(1980, 1, 1))
    first.subject_keys.shred(patient_id)
    first.close()
    second = _clinic(tmp_path, master)  # a restart: nothing cached survives
    assert second.repository.get(patient_id).details is None
    assert second.subject_keys.is_shredded(patient_id)
    with pytest.raises(SubjectShreddedError):
        second.subject_keys.ensure_keys([patient_id])


def test_keys_are_useless_without_the_master_key(tmp_path: Path) -> None:
    clinic = _clinic(tmp_path)
    patient_id = clinic.admit("Hải Châu", "Trần Văn A", date(1980, 1, 1))
    clinic.close()
    other = SubjectKeyStore(f"sqlite:///{tmp_path / 'keys.sqlite'}", decode_master_key(new_master_key()))
    with pytest.raises(InvalidTag):
        other.key_for(patient_id)


def test_a_sealed_box_cannot_be_moved_to_another_event(tmp_path: Path) -> None:
    clinic = _clinic(tmp_path)
    clinic.admit("Hải Châu", "Trần Văn A", date(1980, 1, 1))
    [stored] = clinic.recorder.select_notifications(1, 10)
    moved = StoredEvent(
        originator_id=stored.originator_id,
        originator_version=stored.originator_version + 1,
        topic=stored.topic,
        state=stored.state,
    )
    with pytest.raises(InvalidTag):
        clinic.mapper.to_domain_event(moved)


def test_concurrent_creators_agree_on_one_key(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'keys.sqlite'}"
    master = decode_master_key(new_master_key())
    a, b = SubjectKeyStore(url, master), SubjectKeyStore(url, master)
    subject = UUID(int=7)
    assert a.ensure_keys([subject]) == b.ensure_keys([subject])


@pytest.mark.parametrize("text", ["short", "not base64 at all!!", new_master_key()[:-4]])
def test_a_malformed_master_key_is_refused(text: str) -> None:
    with pytest.raises(InvalidMasterKeyError):
        decode_master_key(text)


def test_the_demo_master_key_is_refused_outside_the_embedded_mode(tmp_path: Path) -> None:
    settings = Settings(
        mode=Mode.DISTRIBUTED,
        pg_password="p" * 30,
        subject_keys_url=f"sqlite:///{tmp_path}/k.db",
    )
    env = event_store_env(settings, "clinic")
    assert env[PERSONAL_DATA_KEY] == DEMO_PERSONAL_DATA_KEY
    assert env[DEMO_KEY_ALLOWED] == "no"
    with pytest.raises(DefaultSecretError, match="TOTHON_PERSONAL_DATA_KEY"):
        Clinic(env=env)


def test_new_keys_skip_their_own_disk_flush_only_where_the_events_commit_flushes_them(
    tmp_path: Path,
) -> None:
    # Only in the event store's own PostgreSQL database does the events' later commit flush the
    # keys' commit too; a key database of its own (or SQLite) must flush each new key itself.
    distributed = Settings(mode=Mode.DISTRIBUTED, pg_password="p" * 30)
    assert event_store_env(distributed, "clinic")[SUBJECT_KEYS_WITH_EVENTS] == "yes"
    apart = distributed.model_copy(update={"subject_keys_url": "postgresql+psycopg://k@keys-db/keys"})
    assert event_store_env(apart, "clinic")[SUBJECT_KEYS_WITH_EVENTS] == "no"
    assert event_store_env(Settings(data_dir=tmp_path), "clinic")[SUBJECT_KEYS_WITH_EVENTS] == "no"


def test_the_embedded_demo_may_use_the_demo_master_key(tmp_path: Path) -> None:
    clinic = Clinic(env=event_store_env(Settings(data_dir=tmp_path), "clinic"))
    patient_id = clinic.admit("Hải Châu", "Trần Văn A", date(1980, 1, 1))
    assert clinic.repository.get(patient_id).details["name"] == "Trần Văn A"
    assert (tmp_path / "clinic-keys.sqlite").exists()


def test_the_key_cache_stays_bounded_however_many_people_pass_through(tmp_path: Path) -> None:
    from tothon_shared.privacy import keys as key_module

    store = key_module.SubjectKeyStore(
        f"sqlite:///{tmp_path / 'k.sqlite'}", decode_master_key(new_master_key())
    )
    subjects = [uuid4() for _ in range(key_module.MAX_CACHED + 500)]
    for start in range(0, len(subjects), 1000):
        store.ensure_keys(subjects[start : start + 1000])
    assert len(store._cache) == key_module.MAX_CACHED
    # The newest stay cached; an evicted key is read again from the store, unchanged.
    assert store._cached(subjects[-1]) is not None
    first = store.key_for(subjects[0])
    assert first is not None
    assert store.key_for(subjects[0]) == first
    store.dispose()


def test_the_statement_that_creates_keys_on_postgresql_is_compiled_once() -> None:
    # SQLAlchemy's own PostgreSQL insert construct has no cache key: it was compiled anew for
    # every registration.
    assert keys_module._INSERT_ARRAYS._generate_cache_key() is not None
    assert keys_module._INSERT_ARRAYS_NO_FLUSH_WAIT._generate_cache_key() is not None
