"""Uploads stored by content: each distinct file once, under the SHA-256 of its cleaned bytes, in
the service's own database (the event store's, when distributed), never on the bus.

The tables are not projections: a rebuild of the read models leaves them alone, since no event
carries the bytes (a feedback case's events carry the hashes)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import (
    Boolean,
    Column,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Uuid,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tothon_shared.attachments.processing import Processed
from tothon_shared.kernel.sqltypes import UtcDateTime
from tothon_shared.readstore.store import ReadStore


def attachment_tables(metadata: MetaData, name: str) -> tuple[Table, Table]:
    """The blobs (one row per distinct content) and the uploads (who sent what, when), named
    ``<name>_blobs`` and ``<name>_uploads``."""
    blobs = Table(
        f"{name}_blobs",
        metadata,
        Column("sha256", String(64), primary_key=True),
        Column("media_type", String(60), nullable=False),
        Column("size", Integer, nullable=False),
        Column("content", LargeBinary, nullable=False),
        Column("created_at", UtcDateTime, nullable=False),
    )
    uploads = Table(
        f"{name}_uploads",
        metadata,
        Column("upload_id", Uuid, primary_key=True),
        Column("sha256", String(64), nullable=False, index=True),
        Column("thumbnail_sha256", String(64)),
        Column("media_type", String(60), nullable=False),
        Column("size", Integer, nullable=False),
        Column("width", Integer),
        Column("height", Integer),
        Column("location_kept", Boolean, nullable=False),
        Column("uploaded_by", String(80), nullable=False, index=True),
        Column("uploaded_at", UtcDateTime, nullable=False),
    )
    return blobs, uploads


@dataclass(frozen=True)
class Upload:
    """What an upload gives back; a service cites it by its id or by the hash of the cleaned file."""

    upload_id: UUID
    sha256: str
    thumbnail_sha256: str | None
    media_type: str
    size: int
    width: int | None
    height: int | None
    location_kept: bool


class AttachmentStore:
    """Puts and gets the blobs and uploads of one service's database: its tables are made in the
    service's ``metadata``, named after ``name`` (feedback's ``attachment_blobs`` and
    ``attachment_uploads``)."""

    def __init__(self, metadata: MetaData, name: str) -> None:
        self.blobs, self.uploads = attachment_tables(metadata, name)

    @property
    def tables(self) -> tuple[Table, ...]:
        """The tables, in creation order."""
        return (self.blobs, self.uploads)

    def _put_blob(self, session: Session, content: bytes, media_type: str, at: datetime) -> str:
        sha = hashlib.sha256(content).hexdigest()
        row = {
            "sha256": sha,
            "media_type": media_type,
            "size": len(content),
            "content": content,
            "created_at": at,
        }
        # The same photo sent twice (or by two people at once) is stored once.
        dialect = session.get_bind().dialect.name
        insert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
        session.execute(insert(self.blobs).values(**row).on_conflict_do_nothing(index_elements=["sha256"]))
        return sha

    def put(self, store: ReadStore, processed: Processed, uploader: str, at: datetime) -> Upload:
        """Store a cleaned upload (its bytes once), recording who sent it."""
        with store.transaction() as session:
            sha = self._put_blob(session, processed.content, processed.media_type, at)
            thumbnail = (
                self._put_blob(session, processed.thumbnail, "image/jpeg", at)
                if processed.thumbnail
                else None
            )
            upload = Upload(
                upload_id=uuid4(),
                sha256=sha,
                thumbnail_sha256=thumbnail,
                media_type=processed.media_type,
                size=len(processed.content),
                width=processed.width,
                height=processed.height,
                location_kept=processed.location_kept,
            )
            session.execute(
                self.uploads.insert().values(**upload.__dict__, uploaded_by=uploader, uploaded_at=at)
            )
        return upload

    def content(self, store: ReadStore, sha: str) -> tuple[str, bytes] | None:
        """A blob's media type and bytes."""
        query = select(self.blobs.c.media_type, self.blobs.c.content).where(self.blobs.c.sha256 == sha)
        with store.engine.connect() as connection:
            row = connection.execute(query).first()
        return (row.media_type, bytes(row.content)) if row is not None else None

    def upload(self, store: ReadStore, upload_id: UUID) -> Upload | None:
        """An upload by its id."""
        columns = [self.uploads.c[name] for name in Upload.__dataclass_fields__]
        query = select(*columns).where(self.uploads.c.upload_id == upload_id)
        with store.engine.connect() as connection:
            row = connection.execute(query).first()
        return Upload(**row._mapping) if row is not None else None

    def thumbnail_of(self, store: ReadStore, sha: str) -> str | None:
        """The thumbnail's hash of an uploaded photo."""
        query = select(self.uploads.c.thumbnail_sha256).where(self.uploads.c.sha256 == sha).limit(1)
        with store.engine.connect() as connection:
            found = connection.execute(query).scalar_one_or_none()
        return str(found) if found else None

    def sizes_uploaded_by(self, store: ReadStore, shas: Iterable[str], uploader: str) -> dict[str, int]:
        """Of these hashes, those the account uploaded, with their sizes."""
        wanted = list(dict.fromkeys(shas))
        if not wanted:
            return {}
        query = select(self.uploads.c.sha256, self.uploads.c.size).where(
            self.uploads.c.sha256.in_(wanted), self.uploads.c.uploaded_by == uploader
        )
        with store.engine.connect() as connection:
            return {r.sha256: r.size for r in connection.execute(query)}

    def uploaded_by(self, store: ReadStore, sha: str, uploader: str) -> bool:
        """Whether the account uploaded this content."""
        return bool(self.sizes_uploaded_by(store, [sha], uploader))

    def all_uploaded_by(self, store: ReadStore, upload_ids: Iterable[UUID], uploader: str) -> bool:
        """Whether each of these uploads exists and the account uploaded its content (what a
        notice, a message or an expense may cite: someone else's file is not theirs to show).
        One query, whatever the count."""
        wanted = set(upload_ids)
        if not wanted:
            return True
        theirs = self.uploads.alias("theirs")
        query = (
            select(self.uploads.c.upload_id)
            .join(theirs, theirs.c.sha256 == self.uploads.c.sha256)
            .where(self.uploads.c.upload_id.in_(wanted), theirs.c.uploaded_by == uploader)
            .distinct()
        )
        with store.engine.connect() as connection:
            return set(connection.execute(query).scalars()) == wanted
