"""The contract's 2026-H2 routes: avatar, motion control, Image 4.0, elements and voices, multi-element
editing, image recognition and AI multi-shot.

Their facts and prices are in their own catalog modules (``drive``, ``edit``, ``image4``, ``library``,
``recognize``, ``multishot``), their rules are tables over the wire body (``rules/_drive.py``, ...); these
entries run them through ``catalog.check`` like every other route, so the client and the sandbox call one
function. ``params`` is
the body as sent (with ``model_name`` for the model-in-path routes); ``Known.media_seconds`` is the length
of the audio or video input each side could read, ``Known.selections`` the editing session's selections
and ``Known.series_count`` an Image 4.0 series' real size (the server's).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from . import _drive as drive
from . import _edit as edit
from . import _image4 as image4
from . import _multishot as multishot
from ._checked import Checked, Known, Route
from ._kling4 import VideoFacts
from .prices import Facts, price
from .rules import Checks
from .rules import _drive as drive_rules
from .rules import _edit as edit_rules
from .rules import _image4 as image4_rules
from .rules import _library as library_rules
from .rules import _multishot as multishot_rules
from .rules import _recognize as recognize_rules
from .rules._interp import Ctx, run


def _decoded(key: str, known: Known) -> dict[str, VideoFacts]:
    """What a side decoded of the route's one audio or video input (its length), for the Media rules."""
    return {} if known.media_seconds is None else {key: VideoFacts(seconds=known.media_seconds)}


def _avatar(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    run(drive_rules.AVATAR, Ctx(p, media=_decoded("audio", known)), c)
    mode = str(p.get("mode") or drive.AVATAR_DEFAULT_MODE)
    est = price("avatar", Facts(mode=mode, seconds=known.media_seconds))
    return Checked("avatar", est, mode=mode, duration=known.media_seconds)


def _motion(feature: str, p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    new = feature == "motion-control-new"
    name = str(p.get("model_name") or drive.MOTION_DEFAULT_MODEL)
    body = {k: v for k, v in p.items() if not (new and k == "model_name")}  # the model is in the path
    row = drive.MOTION_MODELS.get(name)
    row = row if row is not None and (row.route == "new") == new else None
    resolution = drive.motion_resolution(body, new)
    flat = drive.motion_fields(body, new)
    table = drive_rules.MOTION_CONTROL_NEW if new else drive_rules.MOTION_CONTROL
    facts = {"flat": flat, "resolution": resolution}
    run(table, Ctx(body, model=name, row=row, facts=facts, media=_decoded("video", known)), c)
    orientation = flat.get("orientation") if isinstance(flat.get("orientation"), str) else None  # [] is none
    seconds, by = known.media_seconds, {"orientation": orientation}
    est = price(feature, Facts(name, row, resolution=resolution, seconds=seconds, facts=by))
    mode = {v: k for k, v in drive.MOTION_MODES.items()}.get(resolution)
    return Checked(feature, est, model=name, mode=mode, resolution=resolution, duration=known.media_seconds)


def _image4(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    model = str(image4.canonical(p.get("model_name")) or p.get("model_name"))
    body = {k: v for k, v in p.items() if k != "model_name"}
    run(image4_rules.IMAGE4, Ctx(body, model), c)
    settings = body.get("settings") or {}
    actual = known.series_count is not None  # the server knows how many images it made
    count = image4.count(model, settings, actual=actual)
    resolution = str(settings.get("resolution") or image4.RESOLUTIONS[0])
    est = price("omni-image-new", Facts(model, resolution=resolution, count=count))
    return Checked("omni-image-new", est, model=model, count=count)


def _element(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    run(library_rules.CUSTOM_ELEMENT, Ctx(p), c)
    return Checked("custom-elements", price("custom-elements", Facts()))


def _voice(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    run(library_rules.CUSTOM_VOICE, Ctx(p, media=_decoded("sample", known)), c)
    return Checked("custom-voices", price("custom-voices", Facts()), duration=known.media_seconds)


def _recognize(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    run(recognize_rules.IMAGE_RECOGNIZE, Ctx(p), c)
    return Checked("image-recognize", price("image-recognize", Facts()))


def _multi_elements(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    run(edit_rules.MULTI_ELEMENTS, Ctx(p, facts={"selections": known.selections}), c)
    model, mode, seconds = p.get("model_name"), str(p.get("mode") or "std"), edit.seconds(p)
    est = price("multi-elements", Facts(mode=mode, seconds=seconds))
    return Checked("multi-elements", est, model=model, mode=mode, duration=seconds)


def _multi_shot(p: Mapping[str, Any], c: Checks, known: Known) -> Checked:
    run(multishot_rules.AI_MULTI_SHOT, Ctx(p), c)
    return Checked("ai-multi-shot", price("ai-multi-shot", Facts()), count=multishot.VIEWS)


H2_ROUTES: dict[str, Route] = {
    "avatar": _avatar,
    "motion-control": partial(_motion, "motion-control"),
    "motion-control-new": partial(_motion, "motion-control-new"),
    "omni-image-new": _image4,
    "custom-elements": _element,
    "custom-voices": _voice,
    "image-recognize": _recognize,
    "multi-elements": _multi_elements,
    "ai-multi-shot": _multi_shot,
}
