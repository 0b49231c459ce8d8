"""What the sandbox accepts: each create body is checked against the catalog and turned into a Plan.

A Plan says what the task costs, how many concurrency slots it holds, how long it takes (at time scale
1) and what files it will produce. Every refusal is a :class:`KlingFailure` (400/1201 for a bad field,
404/1203 for an unknown model or video) whose message names the field and what is allowed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from klingkit.catalog import kling4

from ._errors import KlingFailure
from ._plan import (
    Body,
    Context,
    OutputPlan,
    Plan,
)
from ._plan_audio import advanced_lip_sync, identify_face, lip_sync, text_to_audio, tts, video_to_audio
from ._plan_image import expand, image_generations, multi_image_to_image, omni_image, try_on
from ._plan_new import new_omni_video, new_video, solutions_try_on
from ._plan_video import (
    effects,
    image_to_video,
    multi_image_to_video,
    omni_video,
    text_to_video,
    video_extend,
)

__all__ = ["Body", "Context", "OutputPlan", "Plan", "plan_for", "texts"]


LEGACY_VALIDATORS: dict[str, Callable[[Context, Body], Plan]] = {
    "text2video": text_to_video,
    "image2video": image_to_video,
    "multi-image2video": multi_image_to_video,
    "video-extend": video_extend,
    "lip-sync": lip_sync,
    "identify-face": identify_face,
    "advanced-lip-sync": advanced_lip_sync,
    "effects": effects,
    "omni-video": omni_video,
    "images/generations": image_generations,
    "multi-image2image": multi_image_to_image,
    "editing/expand": expand,
    "omni-image": omni_image,
    "kolors-virtual-try-on": try_on,
    "text-to-audio": text_to_audio,
    "video-to-audio": video_to_audio,
    "tts": tts,
    "virtual_try_on": solutions_try_on,
}


def plan_for(ctx: Context, feature: str, body: Any, model_in_path: str | None = None) -> Plan:
    """Validate a create ``body`` for ``feature`` (a catalog endpoint key) and plan the task; refuse
    element and voice ids that are neither presets nor this sandbox's own (as Kling does)."""
    from ._library import refuse_unknown_ids

    plan = _plan_for(ctx, feature, body, model_in_path)
    refuse_unknown_ids(ctx, body)
    return plan


def _plan_for(ctx: Context, feature: str, body: Any, model_in_path: str | None) -> Plan:
    from . import _drive  # the 2026-H2 endpoints (avatar, motion control, ...): catalog rules
    from ._edit import PLANS as edit_plans
    from ._library import PLANS as library_plans
    from ._multishot import PLANS as multishot_plans

    for plans in (_drive.PLANS, library_plans, edit_plans, multishot_plans):
        if feature in plans:
            return plans[feature](ctx, body, model_in_path)
    if feature == "omni-image-new":
        from ._image4 import plan as plan_image4

        return plan_image4(ctx, feature, body, model_in_path or "")
    if model_in_path and kling4.canonical(model_in_path) is not None:
        from ._video4 import plan as plan_kling4  # Kling 4.0: one model, three routes (catalog rules)

        return plan_kling4(ctx, feature, body, model_in_path)
    data = Body(body)
    if feature == "text-to-video":
        return new_video(ctx, data, model_in_path or "", image_to_video=False)
    if feature == "image-to-video":
        return new_video(ctx, data, model_in_path or "", image_to_video=True)
    if feature == "omni-video-new":
        return new_omni_video(ctx, data, model_in_path or "")
    validator = LEGACY_VALIDATORS.get(feature)
    if validator is None:
        raise KlingFailure(1202)
    return validator(ctx, data)


def texts(value: Any) -> list[str]:
    """Every string in a JSON value (prompts, texts, effect names), for the policy trigger words."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in texts(v)]
    if isinstance(value, list):
        return [s for v in value for s in texts(v)]
    return []
