"""Uploaded files are checked by what they contain, not by what they are called."""

from __future__ import annotations

import io
import struct
import uuid
import warnings
from dataclasses import dataclass

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from marketplace.core.errors import InvalidInput

MAX_SCAN_BYTES = 10 * 1024 * 1024
MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
ACCEPTED_IMAGE_FORMATS = ["JPEG", "PNG"]
JPEG_QUALITY = 90

_EXTENSIONS = {
    "pdf": {"pdf"},
    "jpeg": {"jpg", "jpeg"},
    "png": {"png"},
}


class FileTooLarge(InvalidInput):
    code = "file_too_large"


class InvalidFile(InvalidInput):
    code = "invalid_file"


@dataclass(frozen=True)
class CheckedFile:
    content: ContentFile
    kind: str  # "pdf", "jpeg" or "png"
    width: int = 0
    height: int = 0


def _read_limited(upload, *, max_bytes: int, field: str) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise FileTooLarge(
            f"The file is larger than {max_bytes // (1024 * 1024)} MB.",
            fields={field: ["File too large."]},
        )
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FileTooLarge(
            f"The file is larger than {max_bytes // (1024 * 1024)} MB.",
            fields={field: ["File too large."]},
        )
    if not data:
        raise InvalidFile("The file is empty.", fields={field: ["Empty file."]})
    return data


def _extension(upload) -> str:
    name = getattr(upload, "name", "") or ""
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _decoded(data: bytes, *, field: str) -> Image.Image:
    """The picture fully decoded, by the JPEG or the PNG decoder and no other.

    Pillow otherwise tries every decoder it has (TIFF, GIF, BMP, PSD, ICO, ...) on
    whatever arrives, each one attack surface; `formats=` keeps it to the two we take.
    The pixel count is checked on the header, before a single pixel is decoded."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=ACCEPTED_IMAGE_FORMATS) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise InvalidFile(
                        "The image has too many pixels.", fields={field: ["Image too large."]}
                    )
                image.verify()
            # verify() leaves the image unusable and misses truncated pixel data: decode fully.
            image = Image.open(io.BytesIO(data), formats=ACCEPTED_IMAGE_FORMATS)
            image.load()
            return image
    except InvalidFile:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise InvalidFile(
            "The file is not a valid JPEG or PNG image.",
            fields={field: ["Not a valid JPEG or PNG image."]},
        ) from exc


def _kind(image: Image.Image) -> str:
    # A phone's multi-picture JPEG (MPO) opens through the JPEG decoder; it is a JPEG, and
    # its extra pictures (a depth map, a second lens) are left behind by the re-encoding.
    return "jpeg" if image.format in ("JPEG", "MPO") else "png"


def _without_metadata(image: Image.Image, kind: str) -> tuple[bytes, tuple[int, int]]:
    """The picture encoded again with nothing of the original file but its pixels, colour
    profile and transparency (EXIF with its GPS position and camera, XMP, comments and
    PNG text chunks stay behind), and its size. The EXIF orientation is applied to the
    pixels first, since the tag that said how to turn the picture goes too."""
    try:
        upright = ImageOps.exif_transpose(image)
    except (SyntaxError, ValueError, OSError, struct.error):  # unreadable EXIF: as it is
        upright = image.copy()
    keep = {key: image.info[key] for key in ("icc_profile", "transparency") if key in image.info}
    upright.info = {}
    buffer = io.BytesIO()
    if kind == "jpeg":
        if upright.mode not in ("L", "RGB", "CMYK"):
            upright = upright.convert("RGB")
        keep.pop("transparency", None)
        upright.save(buffer, format="JPEG", quality=JPEG_QUALITY, **keep)
    else:
        upright.save(buffer, format="PNG", **keep)
    return buffer.getvalue(), upright.size


def _check_extension(upload, kind: str, *, field: str) -> None:
    ext = _extension(upload)
    if ext and ext not in _EXTENSIONS[kind]:
        raise InvalidFile(
            f"The file is named .{ext} but contains {kind.upper()}.",
            fields={field: ["The file's content does not match its name."]},
        )


def scan_check(upload, *, field: str = "scan") -> CheckedFile:
    """A certificate scan: PDF, JPEG or PNG, at most 10 MB, content matching its name.

    Raises FileTooLarge (`file_too_large`) or InvalidFile (`invalid_file`)."""
    data = _read_limited(upload, max_bytes=MAX_SCAN_BYTES, field=field)
    width = height = 0
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:]:
            raise InvalidFile("The PDF is truncated.", fields={field: ["Not a valid PDF."]})
        kind = "pdf"
    else:
        with _decoded(data, field=field) as image:
            kind, (width, height) = _kind(image), image.size
    _check_extension(upload, kind, field=field)
    ext = "jpg" if kind == "jpeg" else kind
    return CheckedFile(ContentFile(data, name=f"{uuid.uuid4().hex}.{ext}"), kind, width, height)


def image_check(upload, *, field: str = "image") -> CheckedFile:
    """A product photo: at most 10 MB, decoded as JPEG or PNG only, and stored as the
    picture encoded again in its own format, upright and without metadata: photos are
    public, and a phone's EXIF says where the producer lives.

    Raises FileTooLarge (`file_too_large`) or InvalidFile (`invalid_file`)."""
    data = _read_limited(upload, max_bytes=MAX_IMAGE_BYTES, field=field)
    with _decoded(data, field=field) as image:
        kind = _kind(image)
        _check_extension(upload, kind, field=field)
        clean, (width, height) = _without_metadata(image, kind)
    ext = "jpg" if kind == "jpeg" else kind
    return CheckedFile(ContentFile(clean, name=f"{uuid.uuid4().hex}.{ext}"), kind, width, height)
