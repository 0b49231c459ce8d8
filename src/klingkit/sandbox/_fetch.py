"""Inputs given by URL are fetched, as Kling does, and used like inputs given as bytes.

A reachable input replaces its URL with the same bytes in base64 before the request is checked, so the
task is planned exactly as if the client had sent the file: an image-to-video clip follows a 1024x1024
PNG by URL as it follows the same PNG in base64 (legacy ``image``, 2026 ``contents[].url``), and a Kling
4.0 input video by URL has its length read and priced. A few video URLs (lip-sync, identify-face,
video-to-audio) stay URLs and are probed instead; their size and length then shape the output
(:meth:`Fetched.shape`). An input URL that cannot be fetched, that answers something other than the
media the field takes, or whose image, video or audio is outside the catalog's rules for that field,
makes the task fail with Kling's kind of message (``_policy.CHOICES["url_inputs"]``,
``["url_input_lengths"]``). Which fields hold URLs is ``_inputs``'s table; which addresses may be fetched,
and how much, is ``_fetch_net``'s job.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field
from typing import Any

from starlette.concurrency import run_in_threadpool

from klingkit import _localca, catalog

from . import _fetch_net
from ._fetch_net import Reach, _Refused
from ._inputs import Input, Seconds, get, set_copy, url_fields
from ._policy import IMAGE_SPEC_MESSAGE, LENGTH_MESSAGE, NOT_MEDIA_MESSAGE
from ._validation import Plan


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


def _media_problem(raw: bytes, spec: Input, limits: Seconds | None) -> tuple[str | None, dict[str, Any]]:
    """(why the task must fail, or None; the probe of a video or audio)."""
    if spec.kind == "image":
        return _image_problem(raw, spec), {}
    info = _probe(raw, spec.kind)
    if info is None:
        return NOT_MEDIA_MESSAGE, {}
    seconds = float(info["duration"])
    if limits and not limits[0] - 0.05 <= seconds <= limits[1] + 0.05:
        low, high = limits
        return LENGTH_MESSAGE.format(kind=spec.kind, seconds=round(seconds, 2), low=low, high=high), info
    return None, info


def _verify() -> Any:
    # Trust the sandbox's own CA too, so a sandbox output URL can be fed back in over https.
    ca = _localca.ca_file()
    return _localca.trusting_context(ca) if ca.is_file() else True


async def fetch_inputs(feature: str, body: Any, reach: Reach | None = None) -> Fetched:
    """Fetch the URL inputs of a create ``body`` on ``feature``'s route (see the module docstring)."""
    wanted = url_fields(feature, body)
    result = Fetched(body)
    if not wanted:
        return result
    async with _fetch_net.client(_verify()) as client:
        for path, spec in wanted:
            try:
                raw = await _fetch_net.download(client, get(body, path), spec.max_bytes, reach or Reach())
            except _Refused as refused:
                result.failure = result.failure or str(refused)
                continue
            problem, info = await run_in_threadpool(_media_problem, raw, spec, spec.limits(body))
            if problem is not None:
                result.failure = result.failure or problem
            elif spec.inline:
                result.body = set_copy(result.body, path, base64.b64encode(raw).decode())
            elif spec.kind == "video":
                result.video = info
    return result
