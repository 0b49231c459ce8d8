"""How much disk a batch's outputs will need, estimated from the rows before anything is paid for.

Kling states no output sizes, so these are our budgets, set generously (about twice what H.264 at that
height usually takes) so that a disk which would fill mid-batch is refused up front: a task paid for
whose file cannot be saved waits in the ledger, but the user meant to have the file. Resolutions,
durations and modes come from the row's request and the catalog; each row's estimate is bounded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..catalog import DEFAULT_VIDEO_DURATION, MODE_RESOLUTION, RESOLUTION_HEIGHT

__all__ = ["MiB", "output_bytes", "pending_output_bytes"]

MiB = 1024 * 1024
# Bytes per second of video by output height (720p ~8 Mbit/s, 1080p ~16, 4k ~48).
VIDEO_RATE = {720: 1 * MiB, 1080: 2 * MiB, 2160: 6 * MiB}
IMAGE_BYTES = {"1k": 4 * MiB, "2k": 12 * MiB, "4k": 40 * MiB}  # one PNG/JPEG at that size
DEFAULT_IMAGE_BYTES = 12 * MiB  # a route that does not say its size: a 2k image
AUDIO_RATE = 192 * 1024  # bytes per second: 48 kHz 16-bit stereo WAV, the larger of MP3/WAV
UNKNOWN_SECONDS = 20.0  # a video or sound whose length the request does not fix (extend, dubbing)
ROW_FLOOR, ROW_CAP = 1 * MiB, 1024 * MiB  # sidecar and container overhead; the most one row may claim


def _setting(body: Mapping[str, Any], key: str) -> Any:
    """``key`` from the body or its 2026 ``settings`` object."""
    settings = body.get("settings")
    if isinstance(settings, Mapping) and settings.get(key) is not None:
        return settings.get(key)
    return body.get(key)


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def output_bytes(spec: Any) -> int:
    """An upper estimate of the bytes one row's outputs take on disk (``spec``: a ``prepare`` result)."""
    body: Mapping[str, Any] = getattr(spec, "body", None) or {}
    pack = str(getattr(spec, "pack", "") or "video")
    count = int(_number(_setting(body, "n")) or 1)
    if pack == "image":
        size = IMAGE_BYTES.get(str(_setting(body, "resolution") or "").lower(), DEFAULT_IMAGE_BYTES)
        estimate = count * size
    else:
        seconds = _number(getattr(spec, "duration", None)) or _number(_setting(body, "duration"))
        if pack == "audio":
            estimate = int((seconds or UNKNOWN_SECONDS) * AUDIO_RATE)
        else:
            resolution = str(_setting(body, "resolution") or "").lower()
            if resolution not in RESOLUTION_HEIGHT:
                mode = str(getattr(spec, "mode", None) or _setting(body, "mode") or "std")
                resolution = MODE_RESOLUTION.get(mode, "1080p")
            height = RESOLUTION_HEIGHT.get(resolution, 1080)
            rate = VIDEO_RATE.get(height, VIDEO_RATE[2160])
            seconds = seconds or (UNKNOWN_SECONDS if body.get("video_id") else DEFAULT_VIDEO_DURATION)
            # A video with sound may come with its sound track as a file of its own.
            estimate = int(seconds * (rate + AUDIO_RATE)) * count
    return max(ROW_FLOOR, min(ROW_CAP, estimate + ROW_FLOOR))


def pending_output_bytes(rows: Iterable[Any], out_dir: Path) -> int:
    """The estimate for every planned row whose output is not in ``out_dir`` yet (a resumed batch needs
    room only for what it has still to save). ``rows``: ``PlannedRow`` objects (``name``, ``spec``)."""
    saved: set[str] = set()
    if out_dir.is_dir():
        # ``<name>.<ext>``, or ``<name>_<n>.<ext>`` for a row of several outputs
        saved = {
            re.sub(r"_\d+$", "", p.stem)
            for p in out_dir.iterdir()
            if p.is_file() and p.suffix not in (".json", ".part")
        }
    return sum(output_bytes(r.spec) for r in rows if str(r.name) not in saved)
