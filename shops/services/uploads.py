"""Uploaded files are checked by what they contain, not by what they are called."""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass

from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError

from marketplace.core.errors import InvalidInput

MAX_SCAN_BYTES = 10 * 1024 * 1024
MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000

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


def _image_kind(data: bytes, *, field: str) -> tuple[str, int, int]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind = (image.format or "").lower()
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise InvalidFile(
                        "The image has too many pixels.", fields={field: ["Image too large."]}
                    )
                image.verify()
        # verify() leaves the image unusable and misses truncated pixel data: decode fully.
        with Image.open(io.BytesIO(data)) as image:
            image.load()
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
            fields={field: ["Not a valid image."]},
        ) from exc
    if kind not in ("jpeg", "png"):
        raise InvalidFile("Only JPEG and PNG images are accepted.", fields={field: ["Bad type."]})
    return kind, width, height


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
        kind, width, height = _image_kind(data, field=field)
    _check_extension(upload, kind, field=field)
    ext = "jpg" if kind == "jpeg" else kind
    return CheckedFile(ContentFile(data, name=f"{uuid.uuid4().hex}.{ext}"), kind, width, height)


def image_check(upload, *, field: str = "image") -> CheckedFile:
    """A product photo: JPEG or PNG decoded by Pillow, at most 10 MB.

    Raises FileTooLarge (`file_too_large`) or InvalidFile (`invalid_file`)."""
    data = _read_limited(upload, max_bytes=MAX_IMAGE_BYTES, field=field)
    kind, width, height = _image_kind(data, field=field)
    _check_extension(upload, kind, field=field)
    ext = "jpg" if kind == "jpeg" else kind
    return CheckedFile(ContentFile(data, name=f"{uuid.uuid4().hex}.{ext}"), kind, width, height)
