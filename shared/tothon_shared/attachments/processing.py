"""An uploaded file, checked by its content and cleaned before anything is stored.

Photos are decoded by Pillow (never trusted by name or declared type), turned upright by their
EXIF orientation, shrunk to a sensible size and re-encoded from their pixels alone, so nothing of
the original file survives but the picture: no camera make or serial, no time, no editing
software, no colour profile, and no GPS position unless the service lets the sender share the
place and they chose to (then the position alone is kept). A thumbnail is made for lists and
timelines. PDFs (a paper scanned at the ward office, an invoice) are recognised by their
signature and kept as sent."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from tothon_shared.attachments.errors import AttachmentError

# A phone photo is 12–50 megapixels; more is a bomb or a scan of a poster. Checked from the
# header, before a pixel is decoded.
MAX_PIXELS = 60_000_000
LONG_SIDE = 2560  # plenty to see a pothole or read an invoice; a 50 MP original would be ten times the bytes
THUMBNAIL = (320, 320)
JPEG_QUALITY = 85
PDF = "application/pdf"
_GPS_IFD = 0x8825
_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF", "MPO", "BMP", "TIFF"})


@dataclass(frozen=True)
class Processed:
    """What is stored of an upload: the cleaned content and its thumbnail (photos only)."""

    content: bytes
    media_type: str
    width: int | None
    height: int | None
    thumbnail: bytes | None
    location_kept: bool


def process(data: bytes, share_location: bool, max_bytes: int) -> Processed:
    """The upload cleaned, or ``AttachmentError`` saying why it is refused."""
    if len(data) > max_bytes:
        raise AttachmentError(code="too_large")
    if data.startswith(b"%PDF-"):
        return Processed(data, PDF, None, None, None, location_kept=False)
    return _photo(data, share_location)


def _opened(data: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise AttachmentError(code="too_many_pixels") from None
    except UnidentifiedImageError:
        raise AttachmentError(code="unsupported_type") from None
    except (OSError, ValueError, SyntaxError):  # a photo's header, cut short or damaged
        raise AttachmentError(code="broken") from None
    if image.format not in _FORMATS:
        raise AttachmentError(code="unsupported_type")
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise AttachmentError(code="too_many_pixels")
    return image


def _photo(data: bytes, share_location: bool) -> Processed:
    image = _opened(data)
    try:
        gps = image.getexif().get_ifd(_GPS_IFD) if share_location else {}
        image.seek(0)  # an animation's first frame
        upright = ImageOps.exif_transpose(image)
        upright.thumbnail((LONG_SIDE, LONG_SIDE))
        picture = _pixels_only(upright)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise AttachmentError(code="broken") from error
    exif = Image.Exif()
    if gps:
        exif[_GPS_IFD] = gps
    keep_png = image.format == "PNG"
    content = _encoded(picture, "PNG" if keep_png else "JPEG", exif)
    preview = picture.copy()
    preview.thumbnail(THUMBNAIL)
    return Processed(
        content=content,
        media_type="image/png" if keep_png else "image/jpeg",
        width=picture.width,
        height=picture.height,
        thumbnail=_encoded(preview, "JPEG", Image.Exif()),
        location_kept=bool(gps),
    )


def _pixels_only(image: Image.Image) -> Image.Image:
    """The picture without anything the file carried beside it (profiles, text chunks, EXIF)."""
    if image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB")
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


def _encoded(image: Image.Image, fmt: str, exif: Image.Exif) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG" and image.mode != "RGB":
        image = _on_white(image)
    options: dict[str, object] = {"optimize": True}
    if fmt == "JPEG":
        options["quality"] = JPEG_QUALITY
    if len(exif):
        options["exif"] = exif
    image.save(out, fmt, **options)
    return out.getvalue()


def _on_white(image: Image.Image) -> Image.Image:
    """A picture with transparency laid on white (JPEG has no alpha)."""
    if image.mode == "L":
        return image.convert("RGB")
    background = Image.new("RGB", image.size, "white")
    background.paste(image, mask=image.getchannel("A") if "A" in image.getbands() else None)
    return background
