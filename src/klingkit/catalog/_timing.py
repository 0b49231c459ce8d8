"""How long Kling takes to finish a task, per route, model, mode and duration (seconds, end to end).

A fact about Kling, stated once: the client's status schedule sleeps through the part of a task that never
finishes early and polls closely around its typical finish; the sandbox uses the central time as its default
task time (times its ``time_scale``), so tests and benchmarks see realistic timing; ``klingkit models
--json`` shows the range.

Confidence: low to medium. Kling publishes no latency figures; users report 1-5 minutes for a video
(``../shared/reference/kling-2026-h2.md``: 86 s for a Flash 5 s clip, 213-284 s for 4.0), tens of seconds for
images. The central time grows with the output's length and resolution; the typical range is a spread
around it (most tasks finish inside it).
"""

from __future__ import annotations

from ._data import DEFAULT_MODELS, DEFAULT_VIDEO_DURATION, ENDPOINTS, MODE_RESOLUTION

__all__ = ["TYPICAL_SPREAD", "image_seconds", "task_seconds", "typical_seconds", "video_seconds"]

# A video takes VIDEO_BASE + VIDEO_PER_SECOND * its length, times the resolution's factor.
VIDEO_BASE = 45.0
VIDEO_PER_SECOND = 14.0
RESOLUTION_FACTOR = {"720p": 1.0, "1080p": 1.4, "4k": 2.5}
# An image request takes IMAGE_BASE + IMAGE_PER_ITEM per image asked for (n).
IMAGE_BASE = 15.0
IMAGE_PER_ITEM = 5.0
# Routes whose time does not follow the video/image rule: (base, per second of input or output).
OTHER_ROUTES: dict[str, tuple[float, float]] = {
    "lip-sync": (60.0, 10.0),
    "advanced-lip-sync": (60.0, 10.0),
    "text-to-audio": (20.0, 2.0),
    "video-to-audio": (30.0, 2.0),
    "kolors-virtual-try-on": (30.0, 0.0),
    "virtual_try_on": (30.0, 0.0),
}
# The typical range is (low * central, high * central): a task rarely ends before the low end.
TYPICAL_SPREAD = (0.75, 1.5)


def video_seconds(duration: float, resolution: str = "720p") -> float:
    """Central end-to-end time of a video of ``duration`` seconds at ``resolution``."""
    return (VIDEO_BASE + VIDEO_PER_SECOND * duration) * RESOLUTION_FACTOR.get(resolution, 1.0)


def image_seconds(count: int = 1) -> float:
    """Central end-to-end time of an image request for ``count`` images."""
    return IMAGE_BASE + IMAGE_PER_ITEM * max(count, 1)


def task_seconds(
    feature: str,
    *,
    model: str | None = None,
    mode: str | None = None,
    resolution: str | None = None,
    duration: float | None = None,
    count: int | None = None,
) -> float:
    """Central end-to-end time of a task on ``feature``'s route (0 for routes that answer at once).

    Missing parameters take the route's defaults (model, ``std``, 5 s, one image)."""
    ep = ENDPOINTS.get(feature)
    if ep is not None and ep.sync:
        return 0.0
    if feature in OTHER_ROUTES:
        base, per_second = OTHER_ROUTES[feature]
        return base + per_second * (duration if duration is not None else DEFAULT_VIDEO_DURATION)
    if ep is not None and ep.output == "image":
        return image_seconds(count or 1)
    if resolution is None:
        resolution = MODE_RESOLUTION.get((mode or "std").lower(), "720p")
    return video_seconds(float(duration if duration is not None else DEFAULT_VIDEO_DURATION), resolution)


def typical_seconds(
    feature: str,
    *,
    model: str | None = None,
    mode: str | None = None,
    resolution: str | None = None,
    duration: float | None = None,
    count: int | None = None,
) -> tuple[float, float]:
    """``(min, max)`` seconds most tasks on ``feature``'s route take (see :func:`task_seconds`)."""
    central = task_seconds(
        feature,
        model=model or DEFAULT_MODELS.get(feature),
        mode=mode,
        resolution=resolution,
        duration=duration,
        count=count,
    )
    low, high = TYPICAL_SPREAD
    return round(central * low, 1), round(central * high, 1)
