"""How long a task typically takes end to end on Kling (seconds), for progress estimates.

A reader of ``_timing`` (the one statement of Kling's task times, also used by the client's poll
schedule and the sandbox's default task times), by pack.
"""

from __future__ import annotations

from ._timing import image_seconds, task_seconds, video_seconds

__all__ = ["typical_seconds"]

_MODE_RESOLUTION = {"std": "720p", "pro": "1080p", "4k": "4k"}


def typical_seconds(
    pack: str, *, mode: str | None = None, duration: float | None = None, count: int = 1
) -> float:
    """Typical seconds from create to done for a ``video``/``image``/``audio``/``tryon`` task.

    ``mode`` is ``std``/``pro``/``4k`` or a resolution (``1080p``); ``duration`` is seconds of output;
    ``count`` the number of images.
    """
    if pack == "video":
        return video_seconds(duration or 5, _MODE_RESOLUTION.get(mode or "std", mode or "720p"))
    if pack == "image":
        return image_seconds(count)
    if pack == "audio":
        return task_seconds("text-to-audio", duration=duration)
    return task_seconds("kolors-virtual-try-on")
