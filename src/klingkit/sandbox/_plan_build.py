"""Building a task plan once the catalog has checked and priced a create.

Every video route makes one video and every image route a list of pictures; how long such a task runs
(the catalog's typical time) and how its outputs are shaped is the same on every route, so the planners
state only what differs: the route, the model, the size, the recipe and what is billed. Media the client
sent as base64 is decoded here once, so every route reads lengths the same way (and fails the same way).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any, TypeVar

from ._errors import invalid
from ._plan import Context, OutputPlan, Plan, _image_work, _video_output, _video_work

T = TypeVar("T")


def video_plan(
    feature: str,
    family: str,
    model: str | None,
    units: float,
    *,
    size: tuple[int, int],
    fps: int,
    seconds: float,
    resolution: str,
    audio: bool,
    prompt: str,
    billing: dict[str, Any],
    **recipe: Any,
) -> Plan:
    """A task making one video of ``size`` and ``seconds``; ``recipe`` adds frames, camera, multi-shot."""
    width, height = size
    return Plan(
        feature,
        family,
        "video",
        model,
        units=units,
        weight=1,
        work_seconds=_video_work(seconds, resolution),
        outputs=[_video_output(width, height, fps, seconds, audio=audio, prompt=prompt, **recipe)],
        billing=billing,
    )


def image_plan(
    feature: str,
    family: str,
    model: str | None,
    units: float,
    outputs: list[OutputPlan],
    billing: dict[str, Any],
) -> Plan:
    """A task making ``outputs`` pictures: each one weighs on the account's concurrency and takes time."""
    n = len(outputs)
    return Plan(
        feature,
        family,
        "image",
        model,
        units=units,
        weight=n,
        work_seconds=_image_work(n),
        outputs=outputs,
        billing=billing,
    )


TRYON_SECONDS = 30.0
"""A try-on's typical time end to end at time scale 1 (both try-on routes)."""


def tryon_plan(
    feature: str, family: str, model: str | None, units: float, person: str | None, prompt: str
) -> Plan:
    """A try-on task: one 768x1024 picture drawn from the ``person`` image (its saved file)."""
    recipe = {"width": 768, "height": 1024, "prompt": prompt, "source": person, "index": 0}
    return Plan(
        feature,
        family,
        "tryon",
        model,
        units=units,
        weight=1,
        work_seconds=TRYON_SECONDS,
        outputs=[OutputPlan("image", None, recipe)],
        billing={"model_name": model} if model else {},
    )


def decoded_media(ctx: Context, name: str, value: Any, ext: str, read: Callable[[Any], T]) -> T | None:
    """``read`` run on the PyAV container of base64 media in field ``name``; None for a URL.

    A URL's facts come from the fetch after the create (``_inputs``), as on Kling; a base64 file is decoded
    now so the rules and the price see its real length.
    """
    if not isinstance(value, str) or value.startswith(("http://", "https://")):
        return None
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise invalid(f"{name}: File is not in a valid base64 format") from None
    path = ctx.keep_input(raw, ext)
    try:
        import av

        with av.open(path) as container:
            return read(container)
    except Exception:
        raise invalid(f"{name} could not be decoded") from None


def media_seconds(ctx: Context, name: str, value: Any, ext: str) -> float | None:
    """Length in seconds of base64 audio or video in field ``name``; None for a URL or an unknown length."""
    return decoded_media(ctx, name, value, ext, lambda c: float(c.duration or 0) / 1_000_000 or None)
