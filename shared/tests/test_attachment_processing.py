"""Uploads are judged by their content and cleaned: a phone's photo loses its camera and, unless the
resident shares the place, its position; it comes out upright, re-encoded, with a thumbnail; what
is not a photo or a PDF, a bomb, or an oversize file is refused."""

from __future__ import annotations

import io
import time

import pytest
from photos import GPS_IFD, MAKE, MODEL, animated_gif, bomb_png, exif_of, phone_jpeg, png
from PIL import Image

from tothon_shared.attachments.errors import AttachmentError
from tothon_shared.attachments.processing import process

MB = 1024 * 1024


def _refused(data: bytes, code: str, max_bytes: int = 10 * MB) -> None:
    with pytest.raises(AttachmentError) as refused:
        process(data, share_location=False, max_bytes=max_bytes)
    assert refused.value.code == code


def test_a_phone_photo_loses_its_camera_and_its_position() -> None:
    original = phone_jpeg(icc=b"\0" * 128)
    assert exif_of(original)[MAKE] == "Samsung"  # the test photo carries them
    cleaned = process(original, share_location=False, max_bytes=10 * MB)
    assert cleaned.media_type == "image/jpeg"
    assert dict(exif_of(cleaned.content)) == {}
    assert "icc_profile" not in Image.open(io.BytesIO(cleaned.content)).info
    assert not cleaned.location_kept
    assert b"Galaxy" not in cleaned.content
    assert b"Samsung" not in cleaned.content


def test_a_shared_place_keeps_the_position_and_nothing_of_the_camera() -> None:
    cleaned = process(phone_jpeg(), share_location=True, max_bytes=10 * MB)
    exif = exif_of(cleaned.content)
    assert MAKE not in exif
    assert MODEL not in exif
    gps = exif.get_ifd(GPS_IFD)
    assert (gps[1], gps[3]) == ("N", "E")
    assert [float(v) for v in gps[2]] == [16.0, 3.0, 40.0]
    assert cleaned.location_kept


def test_a_photo_taken_sideways_comes_out_upright() -> None:
    # Orientation 6: the camera was turned; the stored pixels are 64 × 48, the picture 48 × 64.
    cleaned = process(phone_jpeg(64, 48, orientation=6), share_location=False, max_bytes=10 * MB)
    assert (cleaned.width, cleaned.height) == (48, 64)
    assert Image.open(io.BytesIO(cleaned.content)).size == (48, 64)


def test_the_type_is_the_contents_not_the_name() -> None:
    assert process(png(), share_location=False, max_bytes=MB).media_type == "image/png"
    _refused("Đây là văn bản, không phải ảnh".encode(), "unsupported_type")
    _refused(b"PK\x03\x04" + b"\0" * 100, "unsupported_type")  # a ZIP archive
    pdf = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
    assert process(pdf, share_location=False, max_bytes=MB).media_type == "application/pdf"


def test_a_decompression_bomb_is_refused_before_it_is_decoded() -> None:
    start = time.monotonic()
    _refused(bomb_png(), "too_many_pixels")
    _refused(bomb_png(9000, 9000), "too_many_pixels")  # 81 megapixels: under Pillow's own alarm
    assert time.monotonic() - start < 1.0


def test_an_oversize_file_is_refused() -> None:
    _refused(phone_jpeg(), "too_large", max_bytes=100)


def test_a_broken_photo_is_refused() -> None:
    _refused(phone_jpeg()[:300], "broken")


def test_an_animation_keeps_its_first_frame_and_a_transparent_png_stays_a_png() -> None:
    first = process(animated_gif(), share_location=False, max_bytes=MB)
    assert first.media_type == "image/jpeg"
    assert getattr(Image.open(io.BytesIO(first.content)), "n_frames", 1) == 1
    transparent = process(png(alpha=True), share_location=False, max_bytes=MB)
    assert Image.open(io.BytesIO(transparent.content)).mode == "RGBA"


def test_a_big_photo_is_shrunk_and_thumbnailed() -> None:
    cleaned = process(phone_jpeg(4000, 3000), share_location=False, max_bytes=10 * MB)
    assert max(cleaned.width or 0, cleaned.height or 0) == 2560
    assert cleaned.thumbnail is not None
    assert max(Image.open(io.BytesIO(cleaned.thumbnail)).size) == 320
