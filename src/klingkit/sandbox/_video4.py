"""What the sandbox accepts on Kling 4.0's routes, and the task it plans.

The rules and the price are the catalog's contract (``klingkit.catalog.check``), as the client runs them, on the
body as received; this module only decodes what the client sent (frames, input videos) so the rules and the
price see the same facts the client saw, and plans the output: a video with an audio track on every 4.0
task (audio is always on), as long as ``settings.duration`` or, for an edit, as the base video.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from klingkit import catalog
from klingkit.catalog import kling4

from ._errors import not_found
from ._plan import Body, Context, Plan, _checked, _fit, _image_value
from ._plan_build import decoded_media, video_plan


def _read_video(container: Any) -> kling4.VideoFacts:
    """Length, frame rate and size of a decoded input video."""
    stream = container.streams.video[0]
    seconds = float(container.duration or 0) / 1_000_000 or None
    fps = float(stream.average_rate) if stream.average_rate else None
    return kling4.VideoFacts(seconds, fps, stream.width or None, stream.height or None)


def plan(ctx: Context, feature: str, body: Any, model_in_path: str) -> Plan:
    """Validate a 4.0 create ``body`` on ``feature``'s route and plan its task."""
    model = kling4.canonical(model_in_path)
    if model is None or model_in_path != model:
        raise not_found(f"model {model_in_path} does not exist for /{feature}")
    data = Body(body)
    mode = kling4.mode_of(feature)
    videos: dict[str, kling4.VideoFacts] = {}
    first: dict[str, Any] | None = None
    contents = data.data.get("contents")
    for i, item in enumerate(contents if isinstance(contents, list) else []):
        if not isinstance(item, Mapping):
            continue
        kind, url = item.get("type"), item.get("url")
        if kind in ("feature_video", "base_video"):
            facts = decoded_media(ctx, f"contents[{i}].url", url, "mp4", _read_video)
            if facts is not None:
                videos[f"contents[{i}]"] = facts
        elif kind in ("first_frame", "middle_frame", "last_frame", "refer_image") and url:
            ref = _image_value(
                ctx, f"contents[{i}].url", url, kling4.IMAGE_MAX_BYTES, check_aspect=kind != "last_frame"
            )
            if kind == "first_frame":
                first = ref
    # The catalog's contract: 4.0's rules on the body as received, priced with what was decoded.
    ok = _checked(feature, {**data.data, "model_name": model}, catalog.Known(videos=videos))
    resolution, seconds = str(ok.resolution), float(ok.duration or 0)
    settings = data.data.get("settings") or {}
    aspect = str(settings.get("aspect_ratio") or kling4.DEFAULT_ASPECT_RATIO)
    hint = (first["width"], first["height"]) if first and "width" in first else None
    width, height = _fit(resolution, aspect, hint if mode == "keyframes" else None)
    prompt = data.data.get("prompt") or next(
        (c.get("text", "") for c in contents or [] if isinstance(c, Mapping) and c.get("type") == "prompt"),
        "",
    )
    plan = video_plan(
        feature,
        "new",
        model,
        ok.estimate.units,
        size=(width, height),
        fps=24,
        seconds=seconds,
        resolution=resolution,
        audio=True,  # 4.0 always generates sound
        prompt=str(prompt),
        first_frame=first.get("file") if first else None,
        billing={
            "model_name": model,
            "resolution": resolution,
            "duration": seconds,
            "video_sound": "original" if settings.get("audio") == kling4.ORIGINAL_AUDIO else "native",
            "refer_video_input": bool(ok.values["video_input_seconds"]),
        },
    )
    wm = (data.data.get("options") or {}).get("watermark_info")
    if isinstance(wm, dict):
        plan.watermark = bool(wm.get("enabled"))
    return plan
