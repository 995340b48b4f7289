"""Real photo files made in the test: a phone's JPEG with its camera's and its GPS's EXIF, a PNG,
an animated GIF, a decompression bomb's header."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

MAKE, MODEL, GPS_IFD, ORIENTATION = 0x010F, 0x0110, 0x8825, 0x0112
# Đà Nẵng's Dragon Bridge, as a phone writes it: degrees, minutes, seconds.
GPS = {1: "N", 2: (16.0, 3.0, 40.0), 3: "E", 4: (108.0, 13.0, 37.0)}


def phone_jpeg(width: int = 64, height: int = 48, orientation: int = 1, icc: bytes | None = None) -> bytes:
    """A JPEG as a phone takes it: camera make and model, GPS position, an orientation."""
    image = Image.new("RGB", (width, height), (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, width // 2, height))  # left half blue: shows the rotation
    exif = Image.Exif()
    exif[MAKE], exif[MODEL], exif[ORIENTATION] = "Samsung", "Galaxy A55 SN-123456", orientation
    exif[GPS_IFD] = GPS
    out = io.BytesIO()
    options: dict[str, object] = {"exif": exif}
    if icc is not None:
        options["icc_profile"] = icc
    image.save(out, "JPEG", **options)
    return out.getvalue()


def png(width: int = 40, height: int = 30, alpha: bool = False) -> bytes:
    image = Image.new(
        "RGBA" if alpha else "RGB", (width, height), (10, 120, 10, 128) if alpha else (10, 120, 10)
    )
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def animated_gif() -> bytes:
    frames = [Image.new("P", (20, 20), colour) for colour in (1, 2, 3)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()


def bomb_png(width: int = 100_000, height: int = 100_000) -> bytes:
    """A PNG whose header claims ``width`` × ``height`` pixels (a few hundred bytes in all)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def exif_of(data: bytes) -> Image.Exif:
    return Image.open(io.BytesIO(data)).getexif()
