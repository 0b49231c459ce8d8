"""What the agreement cases are made of: one generated request (:class:`Case`), the media they carry and
what the sandbox must have made first (:class:`Sources`)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from klingkit import catalog

UNKNOWN_VIDEO = "kling-v9-unknown"
UNKNOWN_IMAGE = "kling-image-unknown"
# Library ids Kling (and the sandbox) knows: a create naming any other id is refused by the server.
PRESET_ELEMENT = sorted(catalog.library.preset_ids("element"))[0]
PRESET_VOICE = sorted(catalog.library.preset_ids("voice"))[0]


def png(width: int = 320, height: int = 320) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), (120, 80, 200)).save(buf, format="PNG")
    return buf.getvalue()


IMG = png()


@dataclass
class Case:
    """One generated request: the feature key or alias ``prepare`` takes, and the caller's params."""

    feature: str
    params: dict[str, Any]
    name: str = ""


@dataclass
class Sources:
    """Things the sandbox must have produced before some requests make sense (ids, URLs)."""

    videos: dict[str, str] = field(default_factory=dict)  # "model/mode" -> video id
    video_url: str = ""
    session_id: str = ""
    audio_url: str = ""
    long_audio_url: str = ""  # 8 s: long enough for an avatar's audio and a voice sample
    video_bytes: bytes = b""  # the same video as a local file's bytes (each side decodes it)
    edit_session: str = ""  # a multi-element editing session with one selection
    edit_empty_session: str = ""  # one with nothing selected


def video_models() -> list[str]:
    return [m.name for m in catalog.VIDEO_MODELS]


def all_durations() -> list[int]:
    return sorted({d for m in (*catalog.VIDEO_MODELS, *catalog.OMNI_VIDEO_MODELS) for d in m.durations})
