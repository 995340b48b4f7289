"""The evidence of expenses through the funds API: an official keeping a unit's funds uploads a
photo of an invoice (kept without its position or camera) or a PDF (kept as sent) as multipart
form data; anyone sees it by its id; what is not a photo or a PDF, a bomb or an oversize file is
refused with a problem and nothing is stored; a caller not signed in, or without the funds
permission, uploads nothing."""

from __future__ import annotations

import io
import random
import uuid
from typing import Any

import pytest
from photos import GPS_IFD, MAKE, bomb_png, exif_of, phone_jpeg, png
from PIL import Image
from raise_sites import RaiseSite, raise_sites
from service_harness import ServiceHarness
from sqlalchemy import func, select

import tothon_shared.attachments
from tothon_funds.bootstrap import DEFINITION
from tothon_funds.readmodels.tables import ATTACHMENTS
from tothon_shared.attachments.errors import AttachmentError
from tothon_shared.auth.roles import Role
from tothon_shared.http.messages import CATALOGUE as GENERAL_MESSAGES
from tothon_shared.http.messages import Catalogue
from tothon_shared.http.web import MAX_BODY_BYTES
from tothon_shared.kernel.errors import CodedError

EVIDENCE = "/api/v1/funds/evidence"
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
PROBLEM = "application/problem+json"


@pytest.fixture
def leader(funds: ServiceHarness) -> uuid.UUID:
    """Signs in as the leader of a group (who keeps its funds); their account."""
    ward = funds.unit("ward", "Phường Hải Châu", None)
    group = funds.unit("residential_group", "Tổ dân phố 17", ward)
    return funds.as_(Role.GROUP_LEADER, group).account_id


def _upload(funds: ServiceHarness, data: bytes, name: str = "hoa-don.jpg") -> Any:
    # The declared type says JPEG whatever is sent: only the content counts.
    return funds.client.post(EVIDENCE, files={"file": (name, data, "image/jpeg")})


def _stored(funds: ServiceHarness) -> list[dict[str, Any]]:
    with funds.runtime.store.engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(select(ATTACHMENTS.uploads))]


def _blobs(funds: ServiceHarness) -> int:
    with funds.runtime.store.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(ATTACHMENTS.blobs)).scalar_one())


def test_a_photo_of_an_invoice_is_kept_without_its_position_and_shown_to_anyone(
    funds: ServiceHarness, leader: uuid.UUID
) -> None:
    original = phone_jpeg(640, 480)
    assert exif_of(original).get_ifd(GPS_IFD)  # the phone wrote where it was
    uploaded = _upload(funds, original)
    assert uploaded.status_code == 201, uploaded.text
    body = uploaded.json()
    assert (body["kind"], body["media_type"], body["width"], body["height"]) == (
        "photo",
        "image/jpeg",
        640,
        480,
    )
    assert body["has_thumbnail"] is True
    [row] = _stored(funds)
    assert (row["uploaded_by"], row["location_kept"]) == (str(leader), False)
    funds.client.headers.pop("Authorization")  # public: the report shows it to anyone
    served = funds.client.get(f"{EVIDENCE}/{body['attachment_id']}")
    assert served.status_code == 200, served.text
    assert served.headers["content-type"] == "image/jpeg"
    assert served.headers["cache-control"].startswith("public")
    assert len(served.content) == body["size"]
    assert not exif_of(served.content).get_ifd(GPS_IFD)
    assert MAKE not in exif_of(served.content)
    thumbnail = funds.client.get(f"{EVIDENCE}/{body['attachment_id']}", params={"size": "thumb"})
    assert thumbnail.status_code == 200
    assert thumbnail.headers["content-type"] == "image/jpeg"
    assert len(thumbnail.content) < len(served.content)


def test_a_pdf_is_kept_as_sent_and_downloaded(funds: ServiceHarness, leader: uuid.UUID) -> None:
    uploaded = _upload(funds, PDF, "hoa-don.pdf")
    assert uploaded.status_code == 201, uploaded.text
    body = uploaded.json()
    assert (body["kind"], body["media_type"], body["size"]) == ("pdf", "application/pdf", len(PDF))
    assert body["has_thumbnail"] is False
    served = funds.client.get(f"{EVIDENCE}/{body['attachment_id']}")
    assert served.status_code == 200
    assert served.headers["content-type"] == "application/pdf"
    assert served.headers["content-disposition"].startswith("attachment")
    assert served.content == PDF
    no_thumbnail = funds.client.get(f"{EVIDENCE}/{body['attachment_id']}", params={"size": "thumb"})
    assert no_thumbnail.status_code == 404


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        (bomb_png(), 422, "funds.evidence.too_many_pixels"),
        ("Hoá đơn số 12, không phải ảnh".encode(), 415, "funds.evidence.unsupported_type"),
        (b"PK\x03\x04" + b"\0" * 100, 415, "funds.evidence.unsupported_type"),  # a ZIP archive
        (phone_jpeg()[:300], 422, "funds.evidence.broken"),
    ],
    ids=["bomb", "text", "zip", "broken"],
)
def test_a_refused_upload_is_a_problem_and_stores_nothing(
    funds: ServiceHarness, leader: uuid.UUID, data: bytes, status: int, code: str
) -> None:
    refused = _upload(funds, data)
    assert refused.status_code == status, refused.text
    assert refused.headers["content-type"].startswith(PROBLEM)
    assert refused.json()["code"] == code
    assert refused.json()["detail_vi"]
    assert (_stored(funds), _blobs(funds)) == ([], 0)


def _detailed_photo() -> bytes:
    """A photo of a few megabytes, as a phone's of a long invoice is: more than an ordinary
    request's body may be."""
    noise = Image.frombytes("RGB", (1200, 1000), random.Random(17).randbytes(1200 * 1000 * 3))
    out = io.BytesIO()
    noise.save(out, "JPEG", quality=95)
    return out.getvalue()


def test_a_file_is_taken_up_to_its_limit_and_refused_above_it(
    funds: ServiceHarness, leader: uuid.UUID
) -> None:
    photo = _detailed_photo()
    assert len(photo) > MAX_BODY_BYTES
    assert _upload(funds, photo).status_code == 201
    refused = _upload(funds, b"\xff\xd8" + b"\0" * (11 * 1024 * 1024))
    assert refused.status_code == 413, refused.text
    assert refused.headers["content-type"].startswith(PROBLEM)
    assert len(_stored(funds)) == 1


def test_only_a_signed_in_official_keeping_funds_uploads(funds: ServiceHarness) -> None:
    group = funds.unit("residential_group", "Tổ dân phố 51", None)
    assert _upload(funds, png()).status_code == 401  # not signed in
    for role in (Role.RESIDENT, Role.AREA_POLICE, Role.CITY_IT_ADMIN):
        funds.as_(role, group)
        assert _upload(funds, png()).status_code == 403, role
    assert _stored(funds) == []
    funds.as_(Role.WARD_OFFICIAL, group)
    assert _upload(funds, png()).status_code == 201


def test_unknown_evidence_is_not_found(funds: ServiceHarness) -> None:
    missing = funds.client.get(f"{EVIDENCE}/{uuid.uuid4()}")
    assert missing.status_code == 404
    assert missing.json()["code"] == "funds.evidence.not_found"
    assert funds.client.get(f"{EVIDENCE}/hoa-don").status_code == 422
    assert funds.client.get(f"{EVIDENCE}/{uuid.uuid4()}", params={"size": "huge"}).status_code == 422


def _refusals() -> list[RaiseSite]:
    return raise_sites(tothon_shared.attachments, AttachmentError)


@pytest.mark.parametrize(
    ("where", "line", "error", "code"), _refusals(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_refusal_of_an_upload_becomes_a_funds_problem_with_a_message(
    where: str, line: int, error: type[CodedError], code: str | None
) -> None:
    raised = error.__new__(error)
    raised.code = code
    assert DEFINITION.errors is not None
    made = DEFINITION.errors.problem(raised)
    assert made is not None, f"{where}:{line}: {error.__name__}(code={code!r}) has no entry"
    assert made.key.startswith("funds.evidence.")
    catalogue = Catalogue(GENERAL_MESSAGES, DEFINITION.messages)
    assert catalogue.text(made.key, "vi"), f"{where}:{line}: no message {made.key}"
    assert catalogue.text(made.key, "en"), f"{where}:{line}: no message {made.key}"


def test_the_refusals_of_an_upload_are_found() -> None:
    codes = {code for _w, _l, _e, code in _refusals()}
    assert codes >= {"too_large", "unsupported_type", "too_many_pixels", "broken"}


def test_an_expense_cites_its_proposers_uploads_and_references_but_no_other_file(
    funds: ServiceHarness,
) -> None:
    ward = funds.unit("ward", "Phường Hải Châu", None)
    group, other = (funds.unit("residential_group", f"Tổ dân phố {n}", ward) for n in (17, 18))
    funds.as_(Role.GROUP_LEADER, other)
    theirs = _upload(funds, PDF, "hoa-don-to-18.pdf").json()["attachment_id"]
    funds.as_(Role.GROUP_LEADER, group)
    mine = _upload(funds, PDF + b"\n", "hoa-don.pdf").json()["attachment_id"]
    fund = funds.client.post(
        "/api/v1/funds", json={"unit_id": str(group), "name": "Quỹ khuyến học", "kind": "voluntary"}
    )
    assert fund.status_code == 201, fund.text
    expenses = f"/api/v1/funds/{fund.json()['fund_id']}/expenses"
    cited = [mine, "Hoá đơn số 0031"]
    taken = funds.client.post(expenses, json={"amount": 200_000, "purpose": "Phần thưởng", "evidence": cited})
    assert taken.status_code == 201, taken.text
    assert taken.json()["evidence"] == cited
    # Another group's invoice, and an id nobody uploaded, are refused, and nothing is proposed.
    for foreign in (theirs, str(uuid.uuid4())):
        refused = funds.client.post(
            expenses, json={"amount": 1_000, "purpose": "Khác", "evidence": ["Hoá đơn 1", foreign]}
        )
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"] == PROBLEM
        assert refused.json()["code"] == "funds.expense.evidence_unknown"
    funds.project()
    assert [e["purpose"] for e in funds.client.get(expenses).json()] == ["Phần thưởng"]
