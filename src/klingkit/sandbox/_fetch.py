"""Inputs given by URL are fetched, as Kling does, and used like inputs given as bytes.

A reachable image replaces its URL with the same bytes in base64 before the request is checked, so an
image-to-video clip follows a 1024x1024 PNG by URL exactly as it follows the same PNG in base64. A video
URL (lip-sync, identify-face, video-to-audio) is probed for its size and length, which then shape the
output. An input URL that cannot be fetched, or that answers something other than an image or video,
makes the task fail with Kling's kind of message (see ``_policy.CHOICES["url_inputs"]``).

Only the legacy routes' documented input fields are fetched; the fetch follows redirects, is capped in
time and size, and trusts the sandbox's own CA (so a sandbox output URL can be fed back in over https).
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field
from typing import Any

import httpx
from starlette.concurrency import run_in_threadpool

from klingkit import _localca, catalog

from ._policy import IMAGE_SPEC_MESSAGE, NOT_MEDIA_MESSAGE, UNREACHABLE_MESSAGE
from ._validation import Plan

FETCH_TIMEOUT = 15.0  # seconds for one input file

# feature -> image fields (a path into the body, "*" for each item of a list) and whether their aspect
# ratio is checked (the reference states no aspect rule for end frames and try-on images, §2.0)
Path = tuple[str | int, ...]
_IMAGES: dict[str, tuple[tuple[Path, bool], ...]] = {
    "image2video": ((("image",), True), (("image_tail",), False)),
    "multi-image2video": ((("image_list", "*", "image"), True),),
    "images/generations": ((("image",), True),),
    "multi-image2image": (
        (("subject_image_list", "*", "subject_image"), True),
        (("scene_image",), True),
        (("style_image",), True),
    ),
    "editing/expand": ((("image",), True),),
    "kolors-virtual-try-on": ((("human_image",), False), (("cloth_image",), False)),
    "effects": ((("input", "image"), True), (("input", "images", "*"), True)),
}
# feature -> the video URL field
_VIDEOS: dict[str, Path] = {
    "lip-sync": ("input", "video_url"),
    "identify-face": ("video_url",),
    "video-to-audio": ("video_url",),
}


@dataclass
class Fetched:
    """The body to check (reachable image URLs replaced by base64), and what the fetches found."""

    body: Any
    failure: str | None = None  # the task must fail with this message
    video: dict[str, Any] = field(default_factory=dict)  # probe of a video URL: width, height, duration

    def shape(self, plan: Plan) -> None:
        """Give a plan made from a video URL the fetched video's size and length."""
        if not self.video or plan.parent_video is not None:
            return
        seconds = round(float(self.video["duration"]), 3)
        width, height = int(self.video["width"]), int(self.video["height"])
        for out in plan.outputs:
            if out.kind == "video" and "width" in out.render:
                out.render.update(width=width, height=height, duration=seconds)
                out.duration = seconds
            elif out.kind == "audio":
                out.render["duration"] = seconds
                out.duration = seconds
        if plan.feature in ("lip-sync", "advanced-lip-sync"):
            params = self.body.get("input") if plan.feature == "lip-sync" else self.body  # the checked fields
            plan.units = catalog.price(plan.feature, params, known=catalog.Known(seconds)).units
            plan.billing["duration"] = seconds
        if plan.feature == "identify-face":
            plan.extra["video_seconds"] = seconds
            for face in plan.extra.get("face_data", []):
                face["end_time"] = int(seconds * 1000)


def _get(body: Any, path: Path) -> Any:
    for key in path:
        if isinstance(key, int):
            body = body[key] if isinstance(body, list) and key < len(body) else None
        elif isinstance(body, dict):
            body = body.get(key)
        else:
            return None
    return body


def _expand(body: Any, path: Path) -> list[Path]:
    """The concrete paths a path with ``*`` stands for in ``body``."""
    if "*" not in path:
        return [path]
    star = path.index("*")
    items = _get(body, path[:star])
    if not isinstance(items, list):
        return []
    return [p for i in range(len(items)) for p in _expand(body, (*path[:star], i, *path[star + 1 :]))]


def _set(body: Any, path: Path, value: Any) -> Any:
    """A copy of ``body`` with ``path`` set (the original is left as the client sent it)."""
    head, *rest = path
    copy: Any = list(body) if isinstance(body, list) else dict(body)
    copy[head] = _set(copy[head], tuple(rest), value) if rest else value
    return copy


def _is_url(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://"))


async def _download(client: httpx.AsyncClient, url: str, limit: int) -> bytes | None:
    try:
        async with client.stream("GET", url) as response:
            if response.status_code != 200:
                return None
            chunks, size = [], 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > limit:
                    return None
                chunks.append(chunk)
            return b"".join(chunks)
    except (httpx.HTTPError, OSError, ValueError):
        return None


def _image_problem(raw: bytes, check_aspect: bool) -> str | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(raw)) as img:
            width, height = img.size
    except (UnidentifiedImageError, OSError):
        return NOT_MEDIA_MESSAGE
    if min(width, height) < catalog.IMAGE_MIN_SIDE:
        return IMAGE_SPEC_MESSAGE
    if check_aspect and not catalog.IMAGE_ASPECT_MIN <= width / height <= catalog.IMAGE_ASPECT_MAX:
        return IMAGE_SPEC_MESSAGE
    return None


def _probe_video(raw: bytes) -> dict[str, Any] | None:
    from .render import probe

    try:
        info = probe(raw)
    except Exception:  # PyAV raises many kinds of errors for bytes that are not media
        return None
    return info if info.get("width") and info.get("duration") else None


def _client() -> httpx.AsyncClient:
    ca = _localca.ca_file()
    verify = _localca.trusting_context(ca) if ca.is_file() else True
    return httpx.AsyncClient(timeout=FETCH_TIMEOUT, follow_redirects=True, verify=verify)


async def fetch_inputs(feature: str, body: Any) -> Fetched:
    """Fetch the URL inputs of a legacy create ``body`` (see the module docstring)."""
    images = [
        (p, aspect)
        for pattern, aspect in _IMAGES.get(feature, ())
        for p in _expand(body, pattern)
        if _is_url(_get(body, p))
    ]
    video_path = _VIDEOS.get(feature)
    video_url = _get(body, video_path) if video_path else None
    if not images and not _is_url(video_url):
        return Fetched(body)
    result = Fetched(body)
    async with _client() as client:
        for path, check_aspect in images:
            raw = await _download(client, _get(body, path), catalog.IMAGE_MAX_BYTES)
            problem = (
                UNREACHABLE_MESSAGE
                if raw is None
                else await run_in_threadpool(_image_problem, raw, check_aspect)
            )
            if problem is not None:
                result.failure = result.failure or problem
                continue
            assert raw is not None
            result.body = _set(result.body, path, base64.b64encode(raw).decode())
        if isinstance(video_url, str) and _is_url(video_url):
            raw = await _download(client, video_url, catalog.VIDEO_INPUT_MAX_BYTES)
            info = await run_in_threadpool(_probe_video, raw) if raw is not None else None
            if info is None:
                result.failure = result.failure or (UNREACHABLE_MESSAGE if raw is None else NOT_MEDIA_MESSAGE)
            else:
                result.video = info
    return result
