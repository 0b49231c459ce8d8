"""What the sandbox accepts on the avatar and motion-control routes, and the task it plans.

The rules and prices are the catalog's contract (``klingkit.catalog.check``), run on the body as received; this
module decodes the media the client sent so the rules see real lengths: the avatar's audio (a base64 file,
or an ``audio_id`` of one of the sandbox's own TTS outputs) and the motion reference video. The avatar
video lasts as long as its audio and carries a sound track; the motion-control video has the reference
video's length.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from klingkit import catalog
from klingkit.catalog import drive

from ._errors import not_found
from ._plan import Body, Context, Plan, _checked, _fit, _image_value
from ._plan_build import media_seconds, video_plan

_URL_SECONDS = 5.0
"""Length planned for a media URL that reached this planner still a URL. A reachable URL was fetched and
inlined as base64 before (``_fetch``, as Kling fetches it), so its real length is read above; one that could
not be fetched makes the task fail after its create, and the plan only needs some length meanwhile."""


def avatar(ctx: Context, data: Any, _model: str | None) -> Plan:
    body = Body(data)
    seconds = None
    if body.has("sound_file"):
        seconds = media_seconds(ctx, "sound_file", body.data["sound_file"], "audio")
    elif isinstance(body.data.get("audio_id"), str) and body.data["audio_id"]:
        found = ctx.find_audio(body.data["audio_id"]) if ctx.find_audio else None
        if found is None:
            raise not_found(f"audio_id {body.data['audio_id']} does not exist")
        seconds = float(found["duration"])
    _checked("avatar", body.data, catalog.Known(media_seconds=seconds))  # the catalog's contract
    portrait = _image_value(ctx, "image", body.data["image"])
    length = seconds if seconds is not None else _URL_SECONDS
    ok = _checked("avatar", body.data, catalog.Known(media_seconds=length))  # priced on what is made
    mode, units = str(ok.mode), ok.estimate.units
    resolution = "1080p" if mode == "pro" else "720p"
    hint = (portrait["width"], portrait["height"]) if "width" in portrait else None
    width, height = _fit(resolution, "9:16", hint)
    plan = video_plan(
        "avatar",
        "legacy",
        None,
        units,
        size=(width, height),
        fps=drive.AVATAR_FPS,
        seconds=length,
        resolution=resolution,
        audio=True,
        prompt=str(body.data.get("prompt") or "avatar"),
        first_frame=portrait.get("file"),
        billing={"model_name": "avatar", "mode": mode, "duration": length},
    )
    _options(plan, body)
    return plan


def _motion(ctx: Context, data: Any, model: str | None, new: bool) -> Plan:
    body = Body(data)
    name = model if new else (body.data.get("model_name") or drive.MOTION_DEFAULT_MODEL)
    if new and (model not in drive.MOTION_MODELS or drive.MOTION_MODELS[model].route != "new"):
        raise not_found(f"model {model} does not exist for /motion-control")
    flat = drive.motion_fields(body.data, new)
    seconds = None
    if isinstance(flat.get("video"), str):
        seconds = media_seconds(ctx, "video", flat["video"], "mp4")
    feature = "motion-control-new" if new else "motion-control"
    wire = {**body.data, "model_name": name} if new else body.data
    _checked(feature, wire, catalog.Known(media_seconds=seconds))  # the catalog's contract
    character = _image_value(ctx, "image", flat["image"])
    length = seconds if seconds is not None else _URL_SECONDS
    ok = _checked(feature, wire, catalog.Known(media_seconds=length))  # priced on what is made
    resolution, units = str(ok.resolution), ok.estimate.units
    hint = (character["width"], character["height"]) if "width" in character else None
    width, height = _fit(resolution, "16:9", hint)
    keep = flat.get("keep_sound") == "yes"
    plan = video_plan(
        feature,
        "new" if new else "legacy",
        str(name),
        units,
        size=(width, height),
        fps=24,
        seconds=length,
        resolution=resolution,
        audio=keep,
        prompt=str(flat.get("prompt") or "motion"),
        first_frame=character.get("file"),
        billing={"model_name": name, "resolution": resolution, "duration": length, "motion_control": True},
    )
    _options(plan, body.obj("options") if new else body)
    return plan


def _options(plan: Plan, body: Body) -> None:
    from ._plan import _options as read_options

    read_options(plan, body)


def motion_legacy(ctx: Context, data: Any, model: str | None) -> Plan:
    return _motion(ctx, data, None, new=False)


def motion_new(ctx: Context, data: Any, model: str | None) -> Plan:
    return _motion(ctx, data, model, new=True)


PLANS: dict[str, Callable[[Context, Any, str | None], Plan]] = {
    "avatar": avatar,
    "motion-control": motion_legacy,
    "motion-control-new": motion_new,
}
