"""Inputs given by URL are fetched, as Kling does, and used like inputs given as bytes.

A reachable input replaces its URL with the same bytes in base64 before the request is checked, so the
task is planned exactly as if the client had sent the file: an image-to-video clip follows a 1024x1024
PNG by URL as it follows the same PNG in base64 (legacy ``image``, 2026 ``contents[].url``), and a Kling
4.0 input video by URL has its length read and priced. A few video URLs (lip-sync, identify-face,
video-to-audio) stay URLs and are probed instead; their size and length then shape the output
(:meth:`Fetched.shape`). An input URL that cannot be fetched, that answers something other than the
media the field takes, or whose image, video or audio is outside the catalog's rules for that field,
makes the task fail with Kling's kind of message (``_policy.CHOICES["url_inputs"]``,
``["url_input_lengths"]``). Which addresses may be fetched, and how much, is ``_fetch_net``'s job.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field
from typing import Any

from starlette.concurrency import run_in_threadpool

from klingkit import _localca, catalog
from klingkit.catalog import kling4

from . import _fetch_net
from ._fetch_net import Reach, _Refused
from ._policy import IMAGE_SPEC_MESSAGE, LENGTH_MESSAGE, NOT_MEDIA_MESSAGE
from ._validation import Plan

Path = tuple[str | int, ...]  # a path into the body; "*" stands for each item of a list
Seconds = tuple[float, float]


@dataclass(frozen=True)
class Input:
    """A media field that may hold a URL.

    ``types``: only list items whose ``type`` is one of these (the 2026 ``contents[]``). ``aspect``:
    images have their aspect ratio checked (the reference states none for end frames and try-on).
    ``seconds``: the allowed length of a video or audio (the catalog's). ``inline``: the fetched bytes
    replace the URL in the body (else the URL stays, and a video's probe shapes the plan).
    """

    path: Path
    kind: str = "image"  # image | video | audio
    types: tuple[str, ...] = ()
    aspect: bool = True
    seconds: Seconds | None = None
    inline: bool = True
    max_bytes: int = catalog.IMAGE_MAX_BYTES
    formats: tuple[str, ...] = catalog.IMAGE_FORMATS


def _video(
    path: Path,
    seconds: Seconds,
    *,
    types: tuple[str, ...] = (),
    inline: bool = True,
    max_bytes: int = catalog.VIDEO_INPUT_MAX_BYTES,
) -> Input:
    return Input(path, "video", types, seconds=seconds, inline=inline, max_bytes=max_bytes)


def _audio(path: Path, seconds: Seconds | None = None, *, inline: bool = True) -> Input:
    return Input(path, "audio", seconds=seconds, inline=inline, max_bytes=catalog.AUDIO_MAX_BYTES)


def _content_image(*types: str, aspect: bool = True) -> Input:
    """An image in the 2026 ``contents[]`` (up to the 2026 routes' larger size)."""
    return Input(_CONTENT_URL, types=types, aspect=aspect, max_bytes=catalog.IMAGE_MAX_BYTES_NEW)


_CONTENT_URL: Path = ("contents", "*", "url")

INPUTS: dict[str, tuple[Input, ...]] = {
    "image2video": (Input(("image",)), Input(("image_tail",), aspect=False)),
    "multi-image2video": (Input(("image_list", "*", "image")),),
    "images/generations": (Input(("image",)),),
    "multi-image2image": (
        Input(("subject_image_list", "*", "subject_image")),
        Input(("scene_image",)),
        Input(("style_image",)),
    ),
    "editing/expand": (Input(("image",)),),
    "kolors-virtual-try-on": (Input(("human_image",), aspect=False), Input(("cloth_image",), aspect=False)),
    "effects": (Input(("input", "image")), Input(("input", "images", "*"))),
    "omni-image": (Input(("image_list", "*", "image")),),
    "omni-video": (
        Input(("image_list", "*", "image_url")),
        _video(("video_list", "*", "video_url"), catalog.OMNI_REFERENCE_VIDEO_SECONDS),
    ),
    "lip-sync": (
        _video(("input", "video_url"), catalog.LIPSYNC_VIDEO_SECONDS, inline=False),
        _audio(("input", "audio_url"), inline=False),
    ),
    "identify-face": (_video(("video_url",), catalog.IDENTIFY_FACE_VIDEO_SECONDS, inline=False),),
    "advanced-lip-sync": (_audio(("face_choose", "*", "sound_file"), catalog.LIPSYNC_SOUND_SECONDS),),
    "video-to-audio": (_video(("video_url",), catalog.VIDEO_TO_AUDIO_DURATION, inline=False),),
    # The 2026 routes: kling-3.0 and Kling 4.0 share the paths and differ in their contents types.
    "image-to-video": (
        _content_image("first_frame", "middle_frame"),
        _content_image("last_frame", aspect=False),
    ),
    "omni-video-new": (
        _content_image("first_frame", "refer_image"),
        _content_image("last_frame", aspect=False),
        _video(_CONTENT_URL, catalog.OMNI_REFERENCE_VIDEO_SECONDS, types=("video",)),
        _video(
            _CONTENT_URL,
            kling4.VIDEO_SECONDS,
            types=("feature_video", "base_video"),
            max_bytes=kling4.VIDEO_MAX_BYTES,
        ),
    ),
    "virtual_try_on": (
        Input(
            _CONTENT_URL,
            types=("product_image", "person_image"),
            aspect=False,
            formats=catalog.TRYON_SOLUTION_FORMATS,
        ),
    ),
}


@dataclass
class Fetched:
    """The body to check (reachable URLs replaced by base64), and what the fetches found."""

    body: Any
    failure: str | None = None  # the task must fail with this message
    video: dict[str, Any] = field(default_factory=dict)  # probe of a video URL left in place

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


def _urls(feature: str, body: Any) -> list[tuple[Path, Input]]:
    """Every (concrete path, field) of ``body`` that holds a URL."""
    found = []
    for spec in INPUTS.get(feature, ()):
        for path in _expand(body, spec.path):
            item = _get(body, path[:-1])
            if spec.types and not (isinstance(item, dict) and item.get("type") in spec.types):
                continue
            if _is_url(_get(body, path)):
                found.append((path, spec))
    return found


def _image_problem(raw: bytes, spec: Input) -> str | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(raw)) as img:
            width, height, fmt = img.width, img.height, (img.format or "").lower()
    except (UnidentifiedImageError, OSError):
        return NOT_MEDIA_MESSAGE
    if fmt not in spec.formats:
        return NOT_MEDIA_MESSAGE
    if min(width, height) < catalog.IMAGE_MIN_SIDE:
        return IMAGE_SPEC_MESSAGE
    if spec.aspect and not catalog.IMAGE_ASPECT_MIN <= width / height <= catalog.IMAGE_ASPECT_MAX:
        return IMAGE_SPEC_MESSAGE
    return None


def _probe(raw: bytes, kind: str) -> dict[str, Any] | None:
    """Size and length of a video (or the length of an audio file); None when it is not one."""
    from .render import probe

    try:
        info = probe(raw)
    except Exception:  # PyAV raises many kinds of errors for bytes that are not media
        return None
    if kind == "video":
        return info if info.get("width") and info.get("duration") else None
    seconds = info.get("audio_duration") or info.get("duration")
    return {**info, "duration": seconds} if info.get("has_audio") and seconds else None


def _media_problem(raw: bytes, spec: Input) -> tuple[str | None, dict[str, Any]]:
    """(why the task must fail, or None; the probe of a video or audio)."""
    if spec.kind == "image":
        return _image_problem(raw, spec), {}
    info = _probe(raw, spec.kind)
    if info is None:
        return NOT_MEDIA_MESSAGE, {}
    seconds = float(info["duration"])
    if spec.seconds and not spec.seconds[0] - 0.05 <= seconds <= spec.seconds[1] + 0.05:
        low, high = spec.seconds
        return LENGTH_MESSAGE.format(kind=spec.kind, seconds=round(seconds, 2), low=low, high=high), info
    return None, info


def _verify() -> Any:
    # Trust the sandbox's own CA too, so a sandbox output URL can be fed back in over https.
    ca = _localca.ca_file()
    return _localca.trusting_context(ca) if ca.is_file() else True


async def fetch_inputs(feature: str, body: Any, reach: Reach | None = None) -> Fetched:
    """Fetch the URL inputs of a create ``body`` on ``feature``'s route (see the module docstring)."""
    wanted = _urls(feature, body)
    result = Fetched(body)
    if not wanted:
        return result
    async with _fetch_net.client(_verify()) as client:
        for path, spec in wanted:
            try:
                raw = await _fetch_net.download(client, _get(body, path), spec.max_bytes, reach or Reach())
            except _Refused as refused:
                result.failure = result.failure or str(refused)
                continue
            problem, info = await run_in_threadpool(_media_problem, raw, spec)
            if problem is not None:
                result.failure = result.failure or problem
            elif spec.inline:
                result.body = _set(result.body, path, base64.b64encode(raw).decode())
            elif spec.kind == "video":
                result.video = info
    return result
