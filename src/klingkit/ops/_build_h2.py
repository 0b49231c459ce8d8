"""How the 2026-H2 operations' arguments become library requests: editing, recognition, multi-shot,
expand, omni image (Image 4.0, Long Image 4.0) and Kling 4.0 omni video.

Like :mod:`._build`: values pass as given (None left out later) and the library validates and prices them;
what only these arguments can get wrong (two edit kinds at once, a malformed point) is refused here with a
:class:`~klingkit.errors.ValidationError` naming the argument.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._build import ResolveVideo

__all__ = [
    "edit",
    "edit_opens",
    "expand",
    "multishot",
    "omni_image",
    "omni_video",
    "parse_points",
    "recognize",
]

EDIT_KINDS = {"add": "addition", "swap": "swap", "remove": "removal"}
"""The edit arguments and the ``edit_mode`` each stands for."""
UNOPENED = "(opened when sent)"
"""The session id an edit is validated and priced with: the real session is opened just before the create."""


def _refuse(field: str, value: Any, allowed: str, hint: str | None = None) -> None:
    from klingkit.errors import ValidationError

    raise ValidationError(field, value, allowed, hint)


def parse_points(values: Any) -> list[tuple[float, float]]:
    """``["X,Y", ...]`` (shares of the width and height) as ``[(x, y), ...]``; a malformed one is refused
    naming ``points[i]`` (the CLI's ``--point``). The one parser of the CLI and the ``edit_video`` tool."""
    out = []
    for i, text in enumerate(values or []):
        try:
            x, y = (float(v) for v in str(text).split(","))
        except ValueError:
            _refuse(f"points[{i}]", text, "X,Y as shares of the width and height, e.g. 0.5,0.4")
        out.append((x, y))
    return out


def _edit_mode(a: Mapping[str, Any]) -> tuple[str, str]:
    chosen = [k for k in EDIT_KINDS if a.get(k)]
    if len(chosen) != 1:
        _refuse("add/swap/remove", chosen or None, "exactly one of add (an image), swap (an image) and "
                "remove (true)", "e.g. swap with an image and points on what to replace")  # fmt: skip
    kind = chosen[0]
    if kind in ("swap", "remove") and not a.get("points"):
        _refuse("points", a.get("points"), f"{kind} needs points X,Y on what to change", "e.g. ['0.5,0.5']")
    return kind, EDIT_KINDS[kind]


def edit(a: Mapping[str, Any], _: ResolveVideo) -> tuple[str, dict[str, Any]]:
    kind, mode = _edit_mode(a)
    parse_points(a.get("points"))  # refuse a malformed point before anything is sent
    image = a.get(kind) if kind != "remove" else None
    return "multi-elements", {
        "session_id": UNOPENED,
        "edit_mode": mode,
        "prompt": a.get("prompt"),
        "mode": a.get("mode"),
        "duration": a.get("duration"),
        "images": [image] if image else None,
    }


async def edit_opens(client: Any, a: Mapping[str, Any], resolve: ResolveVideo) -> dict[str, Any]:
    """Open the (free) selection session on the video and mark the points: the real ``session_id``."""
    import os

    video = str(a.get("video") or "")
    if not video.startswith(("http://", "https://")):
        if os.path.exists(os.path.expanduser(video)):
            _refuse("video", video, "a Kling video id, the task/external id that made it, or an http(s) URL",
                    "editing opens a session on a video Kling can fetch; a local file cannot be sent")  # fmt: skip
        video = resolve(video)
    sid = str((await client.edits.init(video))["session_id"])
    marked = parse_points(a.get("points"))
    if marked:
        await client.edits.add(sid, int(a.get("frame") or 0), marked)
    return {"session_id": sid}


def recognize(a: Mapping[str, Any], _: ResolveVideo) -> tuple[str, dict[str, Any]]:
    from . import _schema as S

    return "image-recognize", {"image": a.get("image"), "type": a.get("kind") or S.recognize_kinds()[0]}


def multishot(a: Mapping[str, Any], _: ResolveVideo) -> tuple[str, dict[str, Any]]:
    return "ai-multi-shot", {"image": a.get("image")}


def expand(a: Mapping[str, Any], _: ResolveVideo) -> tuple[str, dict[str, Any]]:
    sides = {s: float(a.get(s) or 0) for s in ("up", "down", "left", "right")}
    if not any(sides.values()):
        _refuse("up/down/left/right", 0, "at least one side above 0", "e.g. left 0.5")
    params: dict[str, Any] = {f"{s}_expansion_ratio": v for s, v in sides.items()}
    params.update(image=a.get("image"), prompt=a.get("prompt"), n=a.get("n"))
    return "editing/expand", params


def _series(value: Any) -> Any:
    if value is None or value == "auto" or isinstance(value, int):
        return value
    try:
        return int(value)
    except (TypeError, ValueError):
        _refuse("series", value, "a number of images or auto")


def omni_image(a: Mapping[str, Any], _: ResolveVideo) -> tuple[str, dict[str, Any]]:
    from klingkit.catalog import image4

    model = a.get("model") or _default_omni_image()
    series = _series(a.get("series"))
    refs, elements = list(a.get("refs") or []) or None, list(a.get("elements") or []) or None
    params: dict[str, Any] = {
        "model_name": model,
        "prompt": a.get("prompt"),
        "n": a.get("n"),
        "aspect_ratio": a.get("aspect_ratio"),
        "resolution": a.get("resolution"),
        "result_type": "series" if series is not None else None,
        "series_amount": series,
    }
    if model in image4.MODELS:
        params.update(refer_images=refs, elements=elements, skill=a.get("skill"),
                      style_image=a.get("style"), subject_image=a.get("subject"))  # fmt: skip
        return "omni-image", params
    given = [k for k in ("skill", "style", "subject") if a.get(k)]
    if given:
        _refuse(given[0], a.get(given[0]), f"only with model {image4.LONG} (not {model})")
    params.update(image_list=refs, element_list=elements)
    return "omni-image", params


def _default_omni_image() -> str:
    from . import _schema as S

    return S.omni_image_models()[1]


def named(values: Any, field: str) -> dict[str, str] | list[str] | None:
    """``NAME=ID`` items (the name is what the prompt says after @) or bare ids (named by themselves)."""
    items = [str(v) for v in values or []]
    if not items:
        return None
    if all("=" in v for v in items):
        return dict(v.split("=", 1) for v in items)
    if any("=" in v for v in items):
        _refuse(field, items, "NAME=ID for every item, or bare ids only")
    return items


def omni_video(a: Mapping[str, Any], _: ResolveVideo) -> tuple[str, dict[str, Any]]:
    from . import _schema as S

    return "omni-video", {
        "model_name": a.get("model") or next(iter(S.kling4().MODELS)),
        "prompt": a.get("prompt"),
        "refer_images": list(a.get("refs") or []) or None,
        "feature_videos": list(a.get("feature_videos") or []) or None,
        "base_video": a.get("base_video"),
        "elements": named(a.get("elements"), "elements"),
        "voices": named(a.get("voices"), "voices"),
        "keep_original_sound": True if a.get("keep_sound") else None,
        "duration": a.get("duration"),
        "mode": a.get("mode"),
        "aspect_ratio": a.get("aspect_ratio"),
    }
