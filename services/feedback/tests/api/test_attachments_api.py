"""Photos and files through the API: uploaded raw, cleaned, stored once by content; cited by a case
only by whoever uploaded them; served to those who may see a case citing them; a resolved case's
evidence to anyone; oversize bodies refused with a problem."""

from __future__ import annotations

from typing import Any

from feedback_city import City
from photos import MAKE, exif_of, phone_jpeg, png
from sqlalchemy import func, select

from tothon_feedback.readmodels.tables import ATTACHMENTS
from tothon_shared.auth.roles import Role

UPLOADS = "/api/v1/feedback/attachments"


def _count(city: City, table: Any) -> int:
    with city.feedback.runtime.store.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def test_an_upload_is_cleaned_and_the_same_photo_is_stored_once(city: City) -> None:
    city.as_(city.resident)
    first = city.feedback.upload(phone_jpeg(640, 480))
    second = city.feedback.upload(phone_jpeg(640, 480))
    assert first["sha256"] == second["sha256"]
    assert first["upload_id"] != second["upload_id"]
    assert first["media_type"] == "image/jpeg"
    assert not first["location_kept"]
    assert _count(city, ATTACHMENTS.blobs) == 2  # the photo and its thumbnail
    assert _count(city, ATTACHMENTS.uploads) == 2
    served = city.feedback.client.get(f"{UPLOADS}/{first['sha256']}")
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert MAKE not in exif_of(served.content)
    thumbnail = city.feedback.client.get(f"{UPLOADS}/{first['sha256']}/thumbnail")
    assert thumbnail.status_code == 200


def test_refused_uploads_are_problems(city: City) -> None:
    city.as_(city.resident)
    client = city.feedback.client
    text = client.post(UPLOADS, content="không phải ảnh".encode(), headers={"Content-Type": "image/jpeg"})
    assert text.status_code == 415, text.text
    assert text.headers["content-type"].startswith("application/problem+json")
    huge = client.post(UPLOADS, content=b"\xff\xd8" + b"\0" * (11 * 1024 * 1024))
    assert huge.status_code == 413, huge.text
    assert _count(city, ATTACHMENTS.blobs) == 0
    city.feedback.client.headers.pop("Authorization")
    assert client.post(UPLOADS, content=png()).status_code == 401


def test_a_case_cites_only_its_filers_uploads_and_its_officials_see_them(city: City) -> None:
    feedback = city.feedback
    city.as_(city.leader)
    leaders = feedback.upload(png())["sha256"]
    city.as_(city.resident)
    own = feedback.upload(phone_jpeg())["sha256"]
    refused = feedback.post(
        "/api/v1/feedback/cases", {"category": "sanitation", "text": "Rác", "attachments": [leaders]}
    )
    assert refused.status_code == 422, refused.text
    case = feedback.file({"category": "sanitation", "text": "Rác tồn đọng", "attachments": [own]})
    assert case["attachments"] == [own]
    city.as_(city.leader)  # sees the case, so its photo
    assert feedback.client.get(f"{UPLOADS}/{own}").status_code == 200
    feedback.as_(Role.GROUP_LEADER, city.other_group)
    assert feedback.client.get(f"{UPLOADS}/{own}").status_code == 403
    assert feedback.client.get(f"{UPLOADS}/{'0' * 64}").status_code == 404


def test_the_evidence_of_a_resolved_case_is_public_and_needs_an_upload_of_the_resolver(city: City) -> None:
    feedback = city.feedback
    city.as_(city.resident)
    case_id = feedback.file({"category": "sanitation", "text": "Rác tồn đọng"})["case_id"]
    city.as_(city.ward_official)
    someone_elses = feedback.upload(png())["sha256"]
    city.as_(city.leader)
    feedback.step(case_id, "accept")
    evidence = feedback.evidence()
    public = f"/api/v1/feedback/public/evidence/{evidence}"
    feedback.client.headers.pop("Authorization")
    assert feedback.client.get(public).status_code == 404  # not evidence of anything yet
    city.as_(city.leader)
    not_own = feedback.step(case_id, "resolve", {"answer": "Đã thu gom", "evidence": [someone_elses]})
    assert not_own.status_code == 422, not_own.text
    resolved = feedback.step(case_id, "resolve", {"answer": "Đã thu gom", "evidence": [evidence]})
    assert resolved.status_code == 200, resolved.text
    feedback.client.headers.pop("Authorization")
    served = feedback.client.get(public)
    assert served.status_code == 200
    assert served.headers["cache-control"].startswith("public")
    assert feedback.client.get(f"{public}/thumbnail").status_code == 200
