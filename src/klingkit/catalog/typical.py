"""How long a task typically takes end to end on Kling (seconds), for progress estimates.

Kling needs about 1-4 minutes for 5 s of video (longer at higher resolution), a few seconds per image,
about a minute for audio. These are typical figures, not promises; the sandbox's task timing at
time scale 1 follows the same shape.
"""

from __future__ import annotations

__all__ = ["typical_seconds"]

_RESOLUTION_FACTOR = {"720p": 1.0, "1080p": 1.4, "4k": 2.5}
_MODE_RESOLUTION = {"std": "720p", "pro": "1080p", "4k": "4k"}


def typical_seconds(
    pack: str, *, mode: str | None = None, duration: float | None = None, count: int = 1
) -> float:
    """Typical seconds from create to done for a ``video``/``image``/``audio``/``tryon`` task.

    ``mode`` is ``std``/``pro``/``4k`` or a resolution (``1080p``); ``duration`` is seconds of output;
    ``count`` the number of images.
    """
    if pack == "video":
        resolution = _MODE_RESOLUTION.get(mode or "std", mode or "720p")
        return (45 + 14 * (duration or 5)) * _RESOLUTION_FACTOR.get(resolution, 1.0)
    if pack == "image":
        return 15.0 + 5.0 * count
    if pack == "audio":
        return 60.0 + 10.0 * (duration or 5)
    return 30.0
