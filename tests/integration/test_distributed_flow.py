"""The walking skeleton on real Kafka and PostgreSQL, each service as its own processes."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from deployments import ADMIN_PASSWORD, Deployment, ServiceProcess
from kafka import KafkaAdminClient, KafkaProducer
from kafka.admin import ConfigResource, ConfigResourceType
from sqlalchemy import Column, MetaData, Table, Uuid, create_engine, event

from tothon_registry.admin_units.dataset import legacy_units
from tothon_registry.readmodels import person_search
from tothon_shared.auth import lineage as lineage_module
from tothon_shared.eventstore.environment import read_store_url
from tothon_shared.messaging.provision import provision, wanted_topics
from tothon_shared.privacy.keys import (
    SubjectKeyStore,
    SubjectShreddedError,
    decode_master_key,
    new_master_key,
)
from tothon_shared.runtime.pgsetup import ensure_database

pytestmark = [pytest.mark.kafka, pytest.mark.postgres]

Eventually = Callable[..., Any]


def _unit(api: ServiceProcess, **body: Any) -> str:
    response = api.post("/api/v1/units", json={"effective_from": "2025-07-01", **body})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _sign_in(api: ServiceProcess, username: str, password: str) -> dict[str, str]:
    response = api.post("/api/v1/auth/sign-in", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _pilot_group(deployment: Deployment, api: ServiceProcess, *readers: ServiceProcess) -> str:
    """A ward and a village under the bootstrapped province; from then on ``api`` and ``readers``
    act as the ward's official."""
    province = deployment.bootstrap()
    api.headers = _sign_in(api, "admin", ADMIN_PASSWORD)
    ward = _unit(
        api, kind="ward", name="Phường Hòa Xuân", code="20314", code_scheme="vn-2025", parent_id=province
    )
    official = api.post(
        "/api/v1/accounts",
        json={"username": "official", "display_name": "Cán bộ phường", "password": ADMIN_PASSWORD},
    )
    assert official.status_code == 201, official.text
    assigned = api.post(
        f"/api/v1/accounts/{official.json()['id']}/roles",
        json={"role": "ward_official", "unit_id": ward, "reason": "kiểm thử"},
    )
    assert assigned.status_code == 201, assigned.text
    headers = _sign_in(api, "official", ADMIN_PASSWORD)
    for process in (api, *readers):
        process.headers = headers
    return _unit(api, kind="village", name="Thôn Trà Kiểm", parent_id=ward)


def _register(api: ServiceProcess, unit_id: str, code: str) -> str:
    response = api.post(
        "/api/v1/households",
        json={
            "unit_id": unit_id,
            "code": code,
            "registered_on": "2026-11-01",
            "members": [
                {"full_name": "Bùi Văn Lợi", "relationship": "head"},
                {"full_name": "Hồ Thị Nga", "relationship": "spouse"},
                {"full_name": "Bùi Thị Na", "relationship": "child"},
            ],
        },
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _households(api: ServiceProcess, unit_id: str) -> list[dict[str, Any]]:
    response = api.get(f"/api/v1/directory/units/{unit_id}/households", params={"limit": 1000})
    if response.status_code == 404:
        return []  # the unit's own event has not reached this service yet
    assert response.status_code == 200, response.text
    return list(response.json())


def _producer(deployment: Deployment) -> KafkaProducer:
    return KafkaProducer(bootstrap_servers=deployment.settings.kafka_bootstrap, acks="all")


def test_a_registered_household_reaches_funds_and_communication_over_kafka(
    deployment: Deployment, eventually: Eventually
) -> None:
    registry = deployment.start("registry", "api")
    deployment.start("registry", "worker")
    consumers = {}
    for service in ("funds", "communication"):
        deployment.start(service, "worker")
        consumers[service] = deployment.start(service, "api")
    group = _pilot_group(deployment, registry, *consumers.values())
    household_id = _register(registry, group, "HO-001")

    for service, api in consumers.items():
        rows = eventually(lambda a=api: _households(a, group), what=f"the household in {service}")
        assert rows == [
            {
                "household_id": household_id,
                "unit_id": group,
                "household_code": "HO-001",
                "member_count": 3,
                "registered_on": "2026-11-01",
            }
        ]

    # The registration, then its members counted by age band (counts, never birth dates).
    record, bands = deployment.read_topic(deployment.topic("registry.households"))
    assert dict(bands.headers)["ce_type"] == b"vn.tothon.registry.HouseholdAgeBandsChanged.v1"
    assert "birth" not in bands.value.decode()
    headers = {k: v.decode() for k, v in record.headers}
    assert headers["ce_type"] == "vn.tothon.registry.HouseholdRegistered.v1"
    assert headers["ce_specversion"] == "1.0"
    assert headers["ce_subject"] == household_id
    assert record.key == household_id.encode()
    assert headers["traceparent"].startswith("00-")
    body = json.loads(record.value)
    assert body["event_id"] == headers["ce_id"]
    assert "Bùi Văn Lợi" not in record.value.decode()  # no names on the bus


def test_a_relay_killed_mid_batch_loses_nothing_and_duplicates_nothing(
    deployment: Deployment, eventually: Eventually
) -> None:
    registry = deployment.start("registry", "api")
    group = _pilot_group(deployment, registry)
    ids = {_register(registry, group, f"HO-{n:03d}") for n in range(120)}

    crashing = deployment.start(
        "registry", "worker", TOTHON_FAULT_RELAY_EXIT_AFTER="70", TOTHON_RELAY_BATCH_SIZE="100"
    )
    assert crashing.process.wait(timeout=60) == 70, crashing.output()[-2000:]
    published_before_crash = len(deployment.read_topic(deployment.topic("registry.households")))
    assert 0 < published_before_crash < 120

    deployment.start("funds", "worker")
    funds = deployment.start("funds", "api")
    funds.headers = registry.headers
    deployment.start("registry", "worker")  # restarted: relays again from its recorded position

    eventually(lambda: len(_households(funds, group)) == 120, timeout=60, what="all 120 households")
    eventually(
        lambda: deployment.lag("funds", "registry.units", "registry.households") == 0,
        timeout=30,
        what="funds to consume every message, duplicates included",
    )
    rows = _households(funds, group)
    assert {r["household_id"] for r in rows} == ids
    assert len(rows) == 120
    # The crash really did put the first messages on the topic twice.
    assert len(deployment.read_topic(deployment.topic("registry.households"))) > 120


def test_a_duplicate_delivery_changes_nothing(deployment: Deployment, eventually: Eventually) -> None:
    registry = deployment.start("registry", "api")
    deployment.start("registry", "worker")
    deployment.start("funds", "worker")
    funds = deployment.start("funds", "api")
    group = _pilot_group(deployment, registry, funds)
    _register(registry, group, "HO-001")
    eventually(lambda: _households(funds, group), what="the household in funds")

    topic = deployment.topic("registry.households")
    # The registration, and the household's age bands published with it.
    published = deployment.read_topic(topic)
    [record] = [r for r in published if b'"HouseholdRegistered"' in r.value]
    producer = _producer(deployment)
    for _ in range(3):
        producer.send(topic, key=record.key, value=record.value, headers=record.headers)
    producer.flush()
    producer.close()

    eventually(
        lambda: deployment.lag("funds", "registry.households") == 0, what="funds to consume the duplicates"
    )
    assert len(deployment.read_topic(topic)) == len(published) + 3
    assert len(_households(funds, group)) == 1
    with deployment.database("funds") as db:
        # The directory took the registration once (the age bands are the use cases' only).
        assert db.execute("SELECT count(*) FROM processed_events WHERE topic = %s", (topic,)).fetchone() == (
            1,
        )


def test_a_malformed_message_goes_to_the_dlq_and_later_messages_are_processed(
    deployment: Deployment, eventually: Eventually
) -> None:
    registry = deployment.start("registry", "api")
    deployment.start("registry", "worker")
    deployment.start("funds", "worker")
    funds = deployment.start("funds", "api")
    group = _pilot_group(deployment, registry, funds)

    topic = deployment.topic("registry.households")
    producer = _producer(deployment)
    headers = [("ce_type", b"vn.tothon.registry.HouseholdRegistered.v1"), ("ce_id", b"x")]
    for partition in range(deployment.settings.topic_partitions):  # poison every partition
        producer.send(
            topic, key=b"poison", value=b'{"member_count": -1', headers=headers, partition=partition
        )
    producer.flush()
    producer.close()
    ids = {_register(registry, group, f"HO-{n:03d}") for n in range(6)}

    eventually(
        lambda: {r["household_id"] for r in _households(funds, group)} == ids,
        what="the households registered after the poison messages",
    )
    dead = eventually(lambda: deployment.read_topic(topic + ".dlq"), what="the dead letters")
    assert len(dead) == deployment.settings.topic_partitions
    first = {k: v.decode() for k, v in dead[0].headers}
    assert first["x-dlq-consumer"] == "funds"
    assert first["x-dlq-error-type"] == "MalformedMessageError"
    assert first["x-dlq-original-topic"] == topic
    assert dead[0].value == b'{"member_count": -1'


def _same_pages_both_ways(
    deployment: Deployment, unit: uuid.UUID, words: str, monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    """A large scope's way to a page (the index of name words, one page after another by
    position, its statements on PostgreSQL) finds what reading the unit's persons finds."""
    engine = create_engine(read_store_url(deployment.settings, "registry"))
    pages: dict[int, list[list[Any]]] = {}
    try:
        with engine.connect() as connection:
            for small in (0, 1_000_000):  # at most this many households: read the scope's persons
                monkeypatch.setattr(person_search, "SCOPE_SCAN_HOUSEHOLDS", small)
                after, pages[small] = None, []
                while True:
                    asked = person_search.PersonQuery(words.split(), None, None, 1, after)
                    page = person_search.search_persons(connection, unit, asked)
                    if not page:
                        break
                    pages[small].append(page)
                    after = (page[-1]["sort_key"], page[-1]["person_id"])
    finally:
        engine.dispose()
    assert pages[0] == pages[1_000_000], words
    return [page[0]["full_name"] for page in pages[0]]


def test_the_unit_tree_is_read_again_on_postgresql_only_when_units_changed(
    deployment: Deployment, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each process reads the whole unit tree and, every few seconds, asks whether the table
    # changed (PostgreSQL's row versions): reading it again slowed every request of the process.
    monkeypatch.setattr(lineage_module, "LINEAGE_SECONDS", 0.05)
    metadata = MetaData()
    units = Table(
        "probe_units",
        metadata,
        Column("unit_id", Uuid, primary_key=True),
        Column("parent_id", Uuid),
        Column("successor_id", Uuid),
    )
    ensure_database(deployment.settings, deployment.settings.database_name("registry"))
    engine = create_engine(read_store_url(deployment.settings, "registry"))
    city, ward, other = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    statements: list[str] = []
    try:
        metadata.create_all(engine)
        with engine.begin() as connection:
            connection.execute(
                units.insert(),
                [
                    {"unit_id": city, "parent_id": None, "successor_id": None},
                    {"unit_id": other, "parent_id": None, "successor_id": None},
                    {"unit_id": ward, "parent_id": city, "successor_id": None},
                ],
            )
        with engine.connect() as connection:
            assert lineage_module.unit_tree(connection, units).lineage(ward) == [ward, city]
            event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
            for _ in range(5):  # due, asked, unchanged
                time.sleep(0.06)
                lineage_module.unit_tree(connection, units)
            time.sleep(0.2)
            assert statements
            assert all("xmin" in s for s in statements), statements
            with engine.begin() as writes:
                writes.execute(units.update().where(units.c.unit_id == ward).values(parent_id=other))
            deadline = time.monotonic() + 5
            while lineage_module.unit_tree(connection, units).lineage(ward) != [ward, other]:
                assert time.monotonic() < deadline, "a moved unit was not read again"
                time.sleep(0.02)
    finally:
        engine.dispose()


def test_subject_keys_on_postgresql_one_key_per_subject_and_shredded_stays_shredded(
    deployment: Deployment,
) -> None:
    # Keys are created many to a statement (arrays) on PostgreSQL: two key stores (two
    # processes) creating keys for overlapping people agree, and a shredded key is never remade.
    ensure_database(deployment.settings, deployment.settings.database_name("registry"))
    url = read_store_url(deployment.settings, "registry")
    master = decode_master_key(new_master_key())
    # The second commits new keys without waiting for their own flush, as where the keys share
    # the event store's database: only its statement's own transaction, never a later one.
    first, second = SubjectKeyStore(url, master), SubjectKeyStore(url, master, flushed_with_events=True)
    try:
        people = [uuid.uuid4() for _ in range(300)]
        made = first.ensure_keys(people[:200])
        both = second.ensure_keys(people[100:])
        assert len(made) == 200
        assert len(both) == 200
        assert all(both[p] == made[p] for p in people[100:200])  # the first store's keys, read back
        assert first.ensure_keys(people) == made | {p: both[p] for p in people[200:]}
        with second._engine.connect() as connection:  # the pool's last-used connection
            assert connection.exec_driver_sql("SHOW synchronous_commit").scalar() == "on"
        second.shred(people[0])
        with pytest.raises(SubjectShreddedError):
            SubjectKeyStore(url, master).ensure_keys([people[0], uuid.uuid4()])
    finally:
        first.dispose()
        second.dispose()


def _rows(deployment: Deployment, service: str, query: str) -> list[tuple[Any, ...]]:
    with deployment.database(service) as db:
        return list(db.execute(query).fetchall())


def test_read_models_dropped_and_rebuilt_equal_the_live_ones(
    deployment: Deployment, eventually: Eventually
) -> None:
    registry = deployment.start("registry", "api")
    registry_worker = deployment.start("registry", "worker")
    funds_worker = deployment.start("funds", "worker")
    funds = deployment.start("funds", "api")
    group = _pilot_group(deployment, registry, funds)
    for n in range(25):
        _register(registry, group, f"HO-{n:03d}")
    eventually(lambda: len(_households(funds, group)) == 25, what="25 households in funds")
    eventually(
        lambda: len(_rows(deployment, "registry", "SELECT 1 FROM households")) == 25,
        what="25 households in the registry's lookup",
    )

    queries = {
        "funds": [
            "SELECT * FROM directory_households ORDER BY household_id",
            "SELECT * FROM directory_units ORDER BY unit_id",
        ],
        "registry": [
            "SELECT * FROM households ORDER BY household_id",
            "SELECT * FROM household_members ORDER BY household_id, position",
            "SELECT * FROM persons ORDER BY person_id",
            "SELECT * FROM units ORDER BY unit_id",
        ],
    }
    live = {(s, q): _rows(deployment, s, q) for s, qs in queries.items() for q in qs}
    assert funds_worker.stop() == 0
    assert registry_worker.stop() == 0
    for service in queries:
        with deployment.database(service) as db:  # drop the read model's rows for real
            for table in (
                ("directory_households", "directory_units")
                if service == "funds"
                else ("household_members", "households", "persons", "person_consents", "units")
            ):
                db.execute(f"DELETE FROM {table}")
        rebuilt = deployment.run(service, "rebuild")
        assert rebuilt.returncode == 0, rebuilt.stderr[-3000:]
        counts = json.loads(rebuilt.stdout.strip().splitlines()[-1])
        # Every read model with data was rebuilt from something (no payment, so no receipts; no
        # poll closed, so no decision for funds to keep).
        assert all(
            n > 0
            for name, n in counts.items()
            if name != "funds_books" and not name.endswith("communication.civic.v1")
        ), counts
    for (service, query), rows in live.items():
        assert _rows(deployment, service, query) == rows, f"{service}: {query}"
    assert uuid.UUID(str(live[("funds", queries["funds"][0])][0][0]))


def test_personal_data_is_sealed_in_postgresql_and_erasure_survives_a_rebuild(
    deployment: Deployment, eventually: Eventually, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = deployment.start("registry", "api")
    worker = deployment.start("registry", "worker")
    group = _pilot_group(deployment, registry)
    head = {
        "full_name": "Bùi Văn Lợi",
        "relationship": "head",
        "citizen_id": "048077000123",
        "phone": "0905 111 222",
        "consents": ["notifications_phone"],
        "religion": "Cao Đài",
    }
    created = registry.post(
        "/api/v1/households",
        json={
            "unit_id": group,
            "code": "HO-001",
            "registered_on": "2026-11-01",
            "members": [head, {"full_name": "Hồ Thị Nga", "relationship": "spouse"}],
        },
    )
    assert created.status_code == 201, created.text
    household = str(created.json()["id"])
    view = eventually(
        lambda: (r := registry.get(f"/api/v1/households/{household}")).status_code == 200 and r.json(),
        what="the household in the registry's lookup",
    )
    person = view["members"][0]["person_id"]
    shown = eventually(
        lambda: (
            (
                r := registry.get(f"/api/v1/persons/{person}", params={"purpose": "residence_management"})
            ).status_code
            == 200
            and r.json()
        ),
        what="the person in the registry's lookup",
    )
    assert shown["citizen_id"] == "048077000123"
    assert shown["religion"] is None

    # Search on PostgreSQL: no tones, word prefixes, the Vietnamese order (a C-collated key).
    found = registry.get(
        "/api/v1/persons", params={"unit_id": group, "purpose": "contact", "q": "LOI bui"}
    ).json()["items"]
    assert [p["full_name"] for p in found] == ["Bùi Văn Lợi"]
    both = registry.get("/api/v1/persons", params={"unit_id": group, "purpose": "contact", "q": "h"}).json()
    assert [p["full_name"] for p in both["items"]] == ["Hồ Thị Nga"]
    expected = {
        "loi bui": ["Bùi Văn Lợi"],
        "h": ["Hồ Thị Nga"],
        "thi nga": ["Hồ Thị Nga"],
        "n": ["Hồ Thị Nga"],
    }
    expected |= {"b l": ["Bùi Văn Lợi"], "v": ["Bùi Văn Lợi"], "nga ho van": [], "x": []}
    for words, names in expected.items():
        assert _same_pages_both_ways(deployment, uuid.UUID(group), words, monkeypatch) == names, words

    stored = b"".join(bytes(r[0]) for r in _rows(deployment, "registry", "SELECT state FROM registry_events"))
    assert b"048077000123" not in stored
    assert "Lợi".encode() not in stored
    assert b"+84905111222" not in stored

    erased = registry.post(f"/api/v1/persons/{person}/erasure", json={"reason": "subject_request"})
    assert erased.status_code == 204, erased.text
    [(wrapped,)] = _rows(
        deployment, "registry", f"SELECT wrapped_key FROM subject_keys WHERE subject_id = '{person}'"
    )
    assert wrapped is None
    eventually(
        lambda: registry.get(f"/api/v1/households/{household}").json()["members"][0]["erased"],
        what="the erasure in the lookup",
    )
    persons = "SELECT * FROM persons ORDER BY person_id"
    live = _rows(deployment, "registry", persons)
    assert worker.stop() == 0
    rebuilt = deployment.run("registry", "rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr[-3000:]
    assert _rows(deployment, "registry", persons) == live
    assert _rows(deployment, "registry", "SELECT member_count FROM households") == [(2,)]
    # Integration events never carried names or identifiers in the first place.
    published = deployment.read_topic(deployment.topic("registry.households"))
    assert published
    assert all(b"048077000123" not in m.value and "Lợi".encode() not in m.value for m in published)


def test_topics_are_provisioned_with_their_dead_letter_topics_and_full_history(
    deployment: Deployment,
) -> None:
    admin = KafkaAdminClient(bootstrap_servers=deployment.settings.kafka_bootstrap)
    try:
        wanted = wanted_topics(deployment.settings)
        described = {t["name"]: t for t in admin.describe_topics(wanted)}
        configs = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, t) for t in wanted])
    finally:
        admin.close()
    assert set(described) == set(wanted)
    assert deployment.topic("registry.households") + ".dlq" in wanted
    for topic in wanted:
        assert len(described[topic]["partitions"]) == deployment.settings.topic_partitions
        assert configs["topic"][topic]["retention.ms"]["value"] == "-1", configs["topic"][topic]
    assert provision(deployment.settings) == []  # idempotent: nothing left to create


def test_units_change_over_time_on_postgresql_and_the_other_services_follow(
    deployment: Deployment, eventually: Eventually
) -> None:
    registry = deployment.start("registry", "api")
    deployment.start("registry", "worker")
    deployment.start("funds", "worker")
    funds = deployment.start("funds", "api")
    group = _pilot_group(deployment, registry, funds)
    imported = deployment.run("registry", "import-units", "--province", "48")
    assert imported.returncode == 0, imported.stderr[-3000:]
    assert "recorded" in imported.stdout
    again = deployment.run("registry", "import-units", "--province", "48")
    assert "recorded 0," in again.stdout  # idempotent

    # A reused code told apart by scheme and date, from PostgreSQL's read model.
    codes = eventually(
        lambda: (
            (r := registry.get("/api/v1/units/by-code", params={"code": "20242"})).status_code == 200
            and len(r.json()) == 2
            and r.json()
        ),
        what="both units that carried 20242",
    )
    assert [(u["name"], u["current_name"]) for u in codes] == [
        ("Phường Phước Ninh", "Phường Hải Châu"),
        ("Phường Hải Châu", "Phường Hải Châu"),
    ]
    early = registry.get("/api/v1/units", params={"as_of": "2025-03-01"}).json()
    districts = {(r.province_code, r.district_code) for r in legacy_units() if r.province_successor == "48"}
    assert sum(1 for u in early if u["kind"] == "district") == len(districts) == 8 + 17  # Đà Nẵng, Quảng Nam

    # Two villages merge from the new year: the household and the funds directory follow.
    household = _register(registry, group, "HO-001")
    ward = registry.get(f"/api/v1/units/{group}").json()["parent_id"]
    other = _unit(registry, kind="village", name="Thôn Phước Hưng", parent_id=ward)
    eventually(lambda: _households(funds, group), what="the household in funds")
    merged = registry.post(
        "/api/v1/units/merge", json={"unit_ids": [group], "into_id": other, "effective_from": "2027-01-01"}
    )
    assert merged.status_code == 201, merged.text
    moved = eventually(lambda: _households(funds, other), what="the household under the new village in funds")
    assert [h["household_id"] for h in moved] == [household]
    listed = eventually(
        lambda: (
            (units := funds.get("/api/v1/directory/units").json())
            and not any(u["unit_id"] == group for u in units)
            and units
        ),
        what="the merged village gone from the funds directory",
    )
    assert any(u["unit_id"] == other for u in listed)
    detail = registry.get(f"/api/v1/units/{group}").json()
    assert (detail["effective_to"], detail["current_id"]) == ("2027-01-01", other)
