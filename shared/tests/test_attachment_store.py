"""Uploads kept by content in a service's own tables: each distinct cleaned file once (even when
sent twice at the same moment), each upload recorded with its sender, found by its id or its hash,
a photo with its thumbnail; a refused upload stores nothing. Run on SQLite and on PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
from photos import phone_jpeg, png
from sqlalchemy import MetaData, func, select

from tothon_shared.attachments.errors import AttachmentError
from tothon_shared.attachments.processing import process
from tothon_shared.attachments.store import AttachmentStore
from tothon_shared.attachments.uploads import store_upload
from tothon_shared.eventstore.environment import read_store_url
from tothon_shared.privacy.keys import new_master_key
from tothon_shared.readstore.store import ReadStore, bookkeeping_tables
from tothon_shared.runtime.pgsetup import drop_database, ensure_database
from tothon_shared.runtime.settings import Mode, Settings

SERVICE = "lamps"
MB = 1024 * 1024
AT = datetime(2026, 3, 2, 9, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """The embedded mode's SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield Settings(data_dir=tmp_path)
        return
    config = Settings(
        mode=Mode.DISTRIBUTED,
        data_dir=tmp_path,
        personal_data_key=new_master_key(),
        pg_database_prefix=f"t{uuid.uuid4().hex[:10]}",
        token_jwks_url="http://127.0.0.1:9/jwks.json",  # no token here
    )
    ensure_database(config, config.database_name(SERVICE))
    yield config
    drop_database(config, config.database_name(SERVICE))


@pytest.fixture
def kept(settings: Settings) -> Iterator[tuple[AttachmentStore, ReadStore]]:
    """A service's attachments in its read database, named as funds names its own."""
    metadata = MetaData()
    bookkeeping_tables(metadata)
    attachments = AttachmentStore(metadata, "funds_attachments")
    store = ReadStore(read_store_url(settings, SERVICE), metadata)
    store.create_all()
    yield attachments, store
    store.engine.dispose()


def _count(store: ReadStore, attachments: AttachmentStore) -> tuple[int, int]:
    """How many blobs and how many uploads are stored."""
    with store.engine.connect() as connection:
        blobs, uploads = (
            int(connection.execute(select(func.count()).select_from(table)).scalar_one())
            for table in attachments.tables
        )
    return blobs, uploads


def test_a_services_tables_are_named_after_it() -> None:
    metadata = MetaData()
    AttachmentStore(metadata, "funds_attachments")
    AttachmentStore(metadata, "attachment")
    assert set(metadata.tables) == {
        "funds_attachments_blobs",
        "funds_attachments_uploads",
        "attachment_blobs",
        "attachment_uploads",
    }


def test_the_same_photo_from_uploads_at_once_is_one_blob(kept: tuple[AttachmentStore, ReadStore]) -> None:
    attachments, store = kept
    processed = process(phone_jpeg(640, 480), share_location=False, max_bytes=10 * MB)
    with ThreadPoolExecutor(4) as pool:
        uploads = list(pool.map(lambda n: attachments.put(store, processed, f"account-{n}", AT), range(8)))
    assert len({u.sha256 for u in uploads}) == 1
    assert len({u.upload_id for u in uploads}) == 8
    assert _count(store, attachments) == (2, 8)  # the photo and its thumbnail; eight uploads
    assert attachments.content(store, uploads[0].sha256) == ("image/jpeg", processed.content)


def test_an_upload_is_found_by_its_id_and_a_photo_has_its_thumbnail(
    kept: tuple[AttachmentStore, ReadStore],
) -> None:
    attachments, store = kept
    photo = store_upload(attachments, store, png(), share_location=False, uploader="a", at=AT, max_bytes=MB)
    assert attachments.upload(store, photo.upload_id) == photo
    assert attachments.upload(store, uuid.uuid4()) is None
    assert photo.thumbnail_sha256 is not None
    assert attachments.thumbnail_of(store, photo.sha256) == photo.thumbnail_sha256
    thumbnail = attachments.content(store, photo.thumbnail_sha256)
    assert thumbnail is not None
    assert thumbnail[0] == "image/jpeg"
    assert attachments.uploaded_by(store, photo.sha256, "a")
    assert not attachments.uploaded_by(store, photo.sha256, "b")


def test_uploads_are_citable_by_whoever_uploaded_their_content_and_by_nobody_else(
    kept: tuple[AttachmentStore, ReadStore],
) -> None:
    attachments, store = kept
    mine, other = (png(40 + n, 30) for n in range(2))
    a = store_upload(attachments, store, mine, share_location=False, uploader="a", at=AT, max_bytes=MB)
    b = store_upload(attachments, store, other, share_location=False, uploader="b", at=AT, max_bytes=MB)
    again = store_upload(attachments, store, other, share_location=False, uploader="a", at=AT, max_bytes=MB)
    assert attachments.all_uploaded_by(store, [], "a")
    assert attachments.all_uploaded_by(store, [a.upload_id, a.upload_id], "a")
    assert not attachments.all_uploaded_by(store, [a.upload_id], "b")
    assert not attachments.all_uploaded_by(store, [a.upload_id, uuid.uuid4()], "a")  # no such upload
    # The same content sent by "a" too: b's upload of it is "a"'s to cite as well.
    assert attachments.all_uploaded_by(store, [a.upload_id, b.upload_id, again.upload_id], "a")
    assert not attachments.all_uploaded_by(store, [a.upload_id, b.upload_id], "b")


def test_a_refused_upload_stores_nothing(kept: tuple[AttachmentStore, ReadStore]) -> None:
    attachments, store = kept
    for data, max_bytes in ((b"not a photo", MB), (phone_jpeg(), 100)):
        with pytest.raises(AttachmentError):
            store_upload(
                attachments, store, data, share_location=False, uploader="a", at=AT, max_bytes=max_bytes
            )
    assert _count(store, attachments) == (0, 0)
