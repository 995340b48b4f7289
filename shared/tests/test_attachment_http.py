"""What a route of a service's attachments answers: a refused upload is 413 when too large, 415
when neither a photo nor a PDF and 422 otherwise, under the service's own keys, added to its map;
a file sent as multipart form data arrives whole; a stored file is served so that nothing in it
runs, a PDF as a download."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import Response
from fastapi.testclient import TestClient
from photos import png

from tothon_shared.attachments.errors import AttachmentError
from tothon_shared.attachments.http import UploadedFile, attachment_refusals, file_response
from tothon_shared.attachments.processing import PDF
from tothon_shared.http.error_map import ErrorMap, Refusal


class LampError(Exception):
    """A service's own error, already in its map."""


def test_the_refusals_of_an_upload_join_a_services_map_under_its_keys() -> None:
    errors = ErrorMap({LampError: Refusal(404, "lamps.not_found")}).extended(
        attachment_refusals("lamps.file")
    )
    answers = {
        code: errors.problem(AttachmentError(code=code))
        for code in ("too_large", "unsupported_type", "too_many_pixels", "broken")
    }
    assert {code: (p.status, p.key) for code, p in answers.items() if p is not None} == {
        "too_large": (413, "lamps.file.too_large"),
        "unsupported_type": (415, "lamps.file.unsupported_type"),
        "too_many_pixels": (422, "lamps.file.too_many_pixels"),
        "broken": (422, "lamps.file.broken"),
    }
    own = errors.problem(LampError())
    assert own is not None
    assert own.status == 404  # the service's entries are kept


def _app() -> FastAPI:
    app = FastAPI()

    @app.post("/files")
    async def upload(file: UploadedFile) -> dict[str, int]:
        return {"size": len(await file.read())}

    @app.get("/files/{kind}")
    async def serve(kind: str) -> Response:
        media_type = PDF if kind == "pdf" else "image/png"
        return file_response(media_type, b"%PDF-1.7" if kind == "pdf" else png(), "chung-tu", "public")

    return app


def test_a_file_sent_as_multipart_form_data_arrives_whole() -> None:
    photo = png()
    with TestClient(_app()) as client:
        sent = client.post("/files", files={"file": ("hoa-don.png", photo, "image/png")})
        assert sent.status_code == 200, sent.text
        assert sent.json() == {"size": len(photo)}
        assert client.post("/files").status_code == 422  # no file


def test_a_file_is_served_sandboxed_and_a_pdf_downloaded() -> None:
    with TestClient(_app()) as client:
        photo, pdf = client.get("/files/photo"), client.get("/files/pdf")
    assert photo.headers["content-disposition"] == 'inline; filename="chung-tu"'
    assert pdf.headers["content-disposition"] == 'attachment; filename="chung-tu"'
    assert pdf.headers["content-type"] == PDF
    assert photo.headers["content-security-policy"].startswith("sandbox;")
    assert photo.headers["cache-control"] == "public"
