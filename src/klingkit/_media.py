"""Media inputs: a path, bytes, an http(s) URL, a PIL image or a base64 string -> what the API takes.

URLs are passed through untouched (Kling fetches them). Everything else is checked here, before anything is
sent, and becomes **raw** base64 (Kling answers ``1201 File is not in a valid base64 format`` to a ``data:``
prefix, so a given prefix is stripped). The limits come from the catalog (``kling-api.md`` §2.0, §7.4):

* images: jpg/jpeg/png, <= 10 MB (50 MB on the 2026 routes), each side >= 300 px, aspect 1:2.5 .. 2.5:1;
* videos: mp4/mov, <= 100 MB;
* audio: mp3/wav/m4a/aac, <= 5 MB.

Pillow is imported only when an image has to be looked at; without it, format and size are still checked
(from the file's first bytes) and the pixel checks are skipped with a warning.
"""

from __future__ import annotations

import base64
import binascii
import io
import os
import re
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import catalog as C
from ._constants import SIDECAR_BLOB_MIN as BLOB_MIN
from ._exceptions import ValidationError

__all__ = ["Media", "audio", "elide", "image", "is_url", "video"]

_MB = 1024 * 1024
_B64_RE = re.compile(r"^[A-Za-z0-9+/\s]+={0,2}\s*$")
_DATA_RE = re.compile(r"^data:[^,]*?;base64,", re.IGNORECASE)
_B64_TEXT = re.compile(r"^[A-Za-z0-9+/_-]+={0,2}$")  # standard or URL-safe alphabet, whitespace removed
_SECRET_KEY = re.compile(r"(?i)(api_?key|secret|token|authorization|password|access_key)")
# A string shorter than this that is neither a URL nor base64 is taken to be a (missing) file path.
_PATH_MAX = 4096


@dataclass(frozen=True)
class Media:
    """A media input ready for the wire.

    ``wire`` is the URL or the raw base64 text; ``shown`` is what sidecars and the ledger record instead
    (the URL, the file name, or ``<base64 N bytes>``); ``nbytes`` is the decoded size when known.
    """

    wire: str
    shown: str
    is_url: bool
    nbytes: int | None = None
    warnings: tuple[str, ...] = ()


def is_url(value: object) -> bool:
    """True for an ``http://`` or ``https://`` string."""
    return isinstance(value, str) and value[:8].lower().startswith(("http://", "https://"))


def _is_pil(value: object) -> bool:
    return type(value).__module__.startswith("PIL.") and hasattr(value, "save") and hasattr(value, "size")


def _mb(n: int) -> str:
    return f"{n / _MB:.1f} MB"


def _looks_base64(text: str) -> bool:
    return len(text) >= 8 and bool(_B64_RE.match(text[:4096])) and bool(_B64_RE.match(text[-4096:]))


def _decode_b64(text: str, field: str) -> bytes:
    compact = "".join(text.split())
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationError(
            field,
            f"<{len(text)} characters>",
            "a path, bytes, an http(s) URL or base64",
            "the text is not valid base64",
        ) from exc


@dataclass(frozen=True)
class _Raw:
    data: bytes | None  # None: only the size is known (a file too big to read)
    size: int
    shown: str
    name: str  # file name or "" (used for extension checks)
    given_b64: str | None = None  # the caller's base64 text, prefix and whitespace removed


def _read(value: object, field: str, max_bytes: int, what: str) -> _Raw | str:
    """The bytes behind ``value``, or the URL itself (a ``str``)."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value)
        return _Raw(data, len(data), f"<base64 {len(data)} bytes>", "")
    if _is_pil(value):
        pil: Any = value
        fmt = (pil.format or "PNG").upper()
        if fmt not in ("JPEG", "PNG"):
            fmt = "PNG"
        buf = io.BytesIO()
        img = pil.convert("RGB") if fmt == "JPEG" and pil.mode not in ("RGB", "L") else pil
        img.save(buf, format=fmt)
        data = buf.getvalue()
        return _Raw(data, len(data), f"<base64 {len(data)} bytes>", "")
    if isinstance(value, os.PathLike):
        return _read_path(Path(os.fspath(value)), field, max_bytes, what)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise ValidationError(
                field, value, f"a path, bytes, an http(s) URL or base64 {what}", "it is empty"
            )
        if is_url(text):
            return text
        match = _DATA_RE.match(text)
        if match:
            b64 = "".join(text[match.end() :].split())
            data = _decode_b64(b64, field)
            return _Raw(data, len(data), f"<base64 {len(data)} bytes>", "", given_b64=b64)
        if len(text) < _PATH_MAX and os.path.isfile(text):
            return _read_path(Path(text), field, max_bytes, what)
        if _looks_base64(text) and len(text) >= 64:
            b64 = "".join(text.split())
            data = _decode_b64(b64, field)
            return _Raw(data, len(data), f"<base64 {len(data)} bytes>", "", given_b64=b64)
        if len(text) < _PATH_MAX and (os.sep in text or "/" in text or "." in text):
            raise ValidationError(
                field, text, f"an existing file, an http(s) URL, bytes or base64 {what}", "no such file"
            )
        raise ValidationError(
            field, text, f"a path, bytes, an http(s) URL or base64 {what}", "it is none of these"
        )
    raise ValidationError(
        field, type(value).__name__, f"a path, bytes, an http(s) URL, a PIL image or base64 {what}"
    )


def _read_path(path: Path, field: str, max_bytes: int, what: str) -> _Raw:
    if not path.is_file():
        raise ValidationError(field, str(path), f"an existing {what} file", "no such file")
    size = path.stat().st_size
    if size > max_bytes:  # refuse before reading a huge file
        return _Raw(None, size, path.name, path.name)
    return _Raw(path.read_bytes(), size, path.name, path.name)


def _b64(raw: _Raw) -> str:
    if raw.given_b64 is not None:
        return raw.given_b64
    assert raw.data is not None
    return base64.b64encode(raw.data).decode("ascii")


def _sniff_image(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:2] == b"BM":
        return "bmp"
    return None


def _fmt_names(formats: Sequence[str]) -> str:
    names = ["jpg/jpeg" if f == "jpeg" else f for f in formats]
    return "/".join(names)


@contextmanager
def warnings_as_errors(category: type[Warning]) -> Iterator[None]:
    """Within the block, a ``category`` warning is raised as an exception instead of printed."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", category)
        yield


def image(
    value: object,
    field: str,
    *,
    max_bytes: int = C.IMAGE_MAX_BYTES,
    formats: Sequence[str] = C.IMAGE_FORMATS,
    min_side: int = C.IMAGE_MIN_SIDE,
    check_aspect: bool = True,
    max_long_side: int | None = None,
) -> Media:
    """Check an image input and return it as a URL or raw base64.

    ``field`` names the parameter in errors (``image``, ``image_list[1]``). Limits: ``max_bytes`` bytes,
    each side >= ``min_side`` px, the long side <= ``max_long_side`` px when given, aspect between 1:2.5 and
    2.5:1 when ``check_aspect``.
    """
    got = _read(value, field, max_bytes, "image")
    if isinstance(got, str):
        return Media(wire=got, shown=got, is_url=True)
    if got.size > max_bytes:
        raise ValidationError(field, f"{got.shown} ({_mb(got.size)})", f"images up to {_mb(max_bytes)}")
    assert got.data is not None
    warnings: list[str] = []
    sniffed = _sniff_image(got.data)
    try:
        from PIL import Image, UnidentifiedImageError
    except ImportError:  # pragma: no cover - Pillow is an optional extra
        if sniffed not in formats:
            raise ValidationError(
                field, f"{got.shown} ({sniffed or 'unknown format'})", _fmt_names(formats)
            ) from None
        warnings.append(f"{field}: Pillow is not installed, so the image's pixel size was not checked")
        return Media(_b64(got), got.shown, False, got.size, tuple(warnings))
    try:
        with warnings_as_errors(Image.DecompressionBombWarning), Image.open(io.BytesIO(got.data)) as img:
            fmt = (img.format or "").lower()
            width, height = img.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # A few bytes that claim billions of pixels: refused, never decoded.
        raise ValidationError(
            field, f"{got.shown} (claims too many pixels)", f"{_fmt_names(formats)} images of a sane size",
            str(exc).split(",")[0],
        ) from exc  # fmt: skip
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        # Pillow reports broken headers with several exception types; all mean "not a readable image".
        raise ValidationError(
            field,
            f"{got.shown} (not an image)",
            f"{_fmt_names(formats)} images",
            "the data is not a readable image",
        ) from exc
    if fmt not in formats:
        raise ValidationError(
            field, f"{got.shown} ({fmt.upper() or 'unknown format'})", f"{_fmt_names(formats)} images"
        )
    size_text = f"{width}x{height} px"
    if min(width, height) < min_side:
        raise ValidationError(field, size_text, f"each side at least {min_side} px")
    if max_long_side is not None and max(width, height) > max_long_side:
        raise ValidationError(field, size_text, f"the long side at most {max_long_side} px")
    if check_aspect:
        ratio = width / height
        if not (C.IMAGE_ASPECT_MIN - 1e-9 <= ratio <= C.IMAGE_ASPECT_MAX + 1e-9):
            raise ValidationError(
                field, size_text, "aspect ratio between 1:2.5 and 2.5:1", f"this image is {ratio:.2f}:1"
            )
    return Media(_b64(got), got.shown, False, got.size, tuple(warnings))


def _sniff_video(data: bytes, name: str) -> str | None:
    ext = Path(name).suffix.lower().lstrip(".")
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        return "mov" if brand == b"qt  " else "mp4"
    if data[4:8] in (b"moov", b"mdat", b"wide", b"free") and ext in C.VIDEO_FORMATS:
        return ext
    return None


def _sized_and_sniffed(
    value: object,
    field: str,
    max_bytes: int,
    kind: str,
    formats: tuple[str, ...],
    sniff: Callable[[Any], str | None],
) -> Media:
    """A URL passes through; local data is checked for size and (by its magic bytes) format."""
    got = _read(value, field, max_bytes, kind)
    if isinstance(got, str):
        return Media(wire=got, shown=got, is_url=True)
    allowed = "/".join(formats)
    if got.size > max_bytes:
        raise ValidationError(field, f"{got.shown} ({_mb(got.size)})", f"{kind} up to {_mb(max_bytes)}")
    assert got.data is not None
    if sniff(got) not in formats:
        raise ValidationError(field, f"{got.shown} (not {allowed})", f"{allowed} {kind}")
    return Media(_b64(got), got.shown, False, got.size)


def video(value: object, field: str, *, max_bytes: int = C.VIDEO_INPUT_MAX_BYTES) -> Media:
    """Check a video input (mp4/mov, <= 100 MB) and return it as a URL or raw base64."""
    return _sized_and_sniffed(
        value, field, max_bytes, "video", C.VIDEO_FORMATS, lambda got: _sniff_video(got.data, got.name)
    )


def _sniff_audio(data: bytes) -> str | None:
    if data.startswith(b"ID3"):
        return "mp3"
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "wav"
    if data[4:8] == b"ftyp":
        return "m4a"
    if len(data) >= 2 and data[0] == 0xFF and data[1] & 0xF6 == 0xF0:
        return "aac"  # ADTS header
    if len(data) >= 2 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0:
        return "mp3"  # MPEG audio frame sync
    return None


def audio(value: object, field: str, *, max_bytes: int = C.AUDIO_MAX_BYTES) -> Media:
    """Check an audio input (mp3/wav/m4a/aac, <= 5 MB) and return it as a URL or raw base64."""
    return _sized_and_sniffed(
        value, field, max_bytes, "audio", C.AUDIO_FORMATS, lambda got: _sniff_audio(got.data)
    )


def _blob_size(text: str) -> int | None:
    """The decoded size of a base64 blob (a ``data:`` URL, or long base64 text with no spaces: a prompt
    has spaces, base64 at most line breaks); None for any other string."""
    match = _DATA_RE.match(text)
    if not match and (len(text) < BLOB_MIN or " " in text or is_url(text)):
        return None
    compact = "".join(text[match.end() if match else 0 :].split())
    if not match and not (_B64_TEXT.match(compact[:4096]) and _B64_TEXT.match(compact[-4096:])):
        return None
    return len(compact) * 3 // 4 - (len(compact) - len(compact.rstrip("=")))


def elide(value: Any) -> Any:
    """A JSON-safe copy of ``value`` fit to be written down (sidecars, the ledger): the one rule for both.

    Bytes and base64 text become ``<base64 N bytes>``, PIL images ``<PIL image WxH>``, paths their string;
    keys that look like credentials are dropped; anything else not JSON becomes its short ``repr``. URLs and
    ordinary strings are kept. Mappings, lists and tuples are walked.
    """
    if isinstance(value, Mapping):
        return {str(k): elide(v) for k, v in value.items() if not _SECRET_KEY.search(str(k))}
    if isinstance(value, (list, tuple)):
        return [elide(v) for v in value]
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"<base64 {len(bytes(value))} bytes>"
    if isinstance(value, str):
        size = _blob_size(value)
        return value if size is None else f"<base64 {size} bytes>"
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if _is_pil(value):
        w, h = value.size
        return f"<PIL image {w}x{h}>"
    return repr(value)[:200]
