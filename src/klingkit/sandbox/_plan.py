"""The sandbox's plan of a task and the pieces every route's planner shares: typed reads of a JSON
body, media inputs (decoded and checked), output recipes, and running one of the catalog's rules as a server."""

from __future__ import annotations

import base64
import binascii
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from klingkit import catalog
from klingkit import catalog as facts
from klingkit.catalog import rules

from ._errors import invalid, not_found

# How many images an omni-image series of series_amount "auto" produces here (Kling decides: 2 to 9).
SERIES_AUTO_COUNT = 4
# What a video or image input becomes: ("url", the URL) or ("file", a local path of the decoded bytes).
ImageRef = dict[str, Any]
# Stores decoded input bytes under a content-addressed name and returns the path (as a string).
KeepInput = Callable[[bytes, str], str]
# Finds a video the sandbox produced: output id -> {"duration" (s), "model", "mode"} or None.
FindVideo = Callable[[str], "dict[str, Any] | None"]
# Finds an identify-face session: session id -> its record (face ids, video) or None.
FindSession = Callable[[str], "dict[str, Any] | None"]


@dataclass
class OutputPlan:
    """A file the task will produce; ``render`` is the renderer's recipe (JSON-able)."""

    kind: str
    duration: float | None = None
    render: dict[str, Any] = field(default_factory=dict)


@dataclass
class Plan:
    """A validated create request."""

    feature: str
    family: str
    pack: str
    model: str | None
    units: float
    weight: int
    work_seconds: float  # end-to-end task time at time scale 1
    outputs: list[OutputPlan]
    external_id: str | None = None
    callback_url: str | None = None
    watermark: bool = False
    parent_video: dict[str, Any] | None = None
    billing: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Context:
    """What validation needs from the server: a place for decoded inputs and lookups of earlier work."""

    keep_input: KeepInput
    find_video: FindVideo
    find_session: FindSession
    find_audio: FindVideo | None = None  # an audio output (TTS) by id -> {"duration"} or None
    find_edit_session: FindSession | None = None  # a multi-element editing session by id, or None
    # Whether the account owns a live library item: (kind "element"|"voice", id) -> bool (custom ones only).
    has_library_item: Callable[[str, str], bool] | None = None


class Body:
    """Typed reads from a JSON object; each failure names the field (``settings.duration``)."""

    def __init__(self, data: Any, prefix: str = "") -> None:
        if not isinstance(data, dict):
            raise invalid(f"{prefix.rstrip('.') or 'request body'} must be a JSON object")
        self.data: dict[str, Any] = data
        self.prefix = prefix

    def name(self, key: str) -> str:
        return self.prefix + key

    def has(self, key: str) -> bool:
        value = self.data.get(key)
        return value is not None and value != ""

    def text(self, key: str, max_len: int, required: bool = False) -> str:
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                raise invalid(f"{self.name(key)} is required")
            return ""
        if not isinstance(value, str):
            raise invalid(f"{self.name(key)} must be a string")
        if len(value) > max_len:
            raise invalid(f"{self.name(key)} is {len(value)} characters; at most {max_len} are allowed")
        return value

    def choice(self, key: str, allowed: tuple[str, ...], default: str | None = None) -> str:
        value = self.data.get(key)
        if value is None or value == "":
            if default is None:
                raise invalid(f"{self.name(key)} is required; allowed: {', '.join(allowed)}")
            return default
        if not isinstance(value, str) or value not in allowed:
            raise invalid(f"{self.name(key)} {value!r} is not supported; allowed: {', '.join(allowed)}")
        return value

    def number(self, key: str, low: float, high: float, default: float | None = None) -> float:
        value = self.data.get(key)
        if value is None or value == "":
            if default is None:
                raise invalid(f"{self.name(key)} is required")
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise invalid(f"{self.name(key)} must be a number")
        if not low <= value <= high:
            raise invalid(f"{self.name(key)} {value} is out of range [{low:g}, {high:g}]")
        return float(value)

    def integer(self, key: str, low: int, high: int, default: int | None = None) -> int:
        value = self.number(key, low, high, None if default is None else float(default))
        if value != int(value):
            raise invalid(f"{self.name(key)} must be an integer")
        return int(value)

    def flag(self, key: str, default: bool = False) -> bool:
        # Kling's own sample sends "multi_shot": "true" although the field is a boolean.
        value = self.data.get(key)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        if value in ("true", "false"):
            return bool(value == "true")
        raise invalid(f"{self.name(key)} must be true or false")

    def items(self, key: str, low: int, high: int, required: bool = False) -> list[Any]:
        value = self.data.get(key)
        if value is None or value == [] or value == "":
            if required:
                raise invalid(f"{self.name(key)} is required ({low} to {high} items)")
            return []
        if not isinstance(value, list):
            raise invalid(f"{self.name(key)} must be an array")
        if not low <= len(value) <= high:
            raise invalid(f"{self.name(key)} has {len(value)} items; {low} to {high} are allowed")
        return value

    def obj(self, key: str, required: bool = False) -> Body:
        value = self.data.get(key)
        if value is None:
            if required:
                raise invalid(f"{self.name(key)} is required")
            value = {}
        return Body(value, self.name(key) + ".")


# --- shared pieces ----------------------------------------------------------------------------------------


def _image(
    ctx: Context,
    body: Body,
    key: str,
    required: bool = False,
    max_bytes: int = facts.IMAGE_MAX_BYTES,
    check_aspect: bool = True,
    formats: tuple[str, ...] = facts.IMAGE_FORMATS,
) -> ImageRef | None:
    """An image input: an http(s) URL (taken on trust) or raw base64 (decoded and checked with Pillow)."""
    value = body.data.get(key)
    if value is None or value == "":
        if required:
            raise invalid(f"{body.name(key)} can not be null")
        return None
    return _image_value(ctx, body.name(key), value, max_bytes, check_aspect, formats)


def _image_value(
    ctx: Context,
    name: str,
    value: Any,
    max_bytes: int = facts.IMAGE_MAX_BYTES,
    check_aspect: bool = True,
    formats: tuple[str, ...] = facts.IMAGE_FORMATS,
) -> ImageRef:
    if not isinstance(value, str):
        raise invalid(f"{name} must be a URL or base64 string")
    if value.startswith(("http://", "https://")):
        return {"url": value}
    raw = _base64(name, value)
    if len(raw) > max_bytes:
        raise invalid(f"{name} is {len(raw)} bytes; at most {max_bytes} are allowed")
    width, height, fmt = _image_facts(name, raw)
    if fmt not in formats:
        raise invalid(f"{name} is {fmt.upper()}; allowed formats: {', '.join(formats)}")
    if min(width, height) < facts.IMAGE_MIN_SIDE:
        raise invalid(f"{name} is {width}x{height}; each side must be at least {facts.IMAGE_MIN_SIDE} px")
    if check_aspect and not facts.IMAGE_ASPECT_MIN <= width / height <= facts.IMAGE_ASPECT_MAX:
        raise invalid(f"{name} aspect ratio {width}:{height} is outside 1:2.5 to 2.5:1")
    return {"file": ctx.keep_input(raw, "png" if fmt == "png" else "jpg"), "width": width, "height": height}


def _base64(name: str, value: str) -> bytes:
    if value.startswith("data:"):
        raise invalid("File is not in a valid base64 format")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise invalid("File is not in a valid base64 format") from None


def _image_facts(name: str, raw: bytes) -> tuple[int, int, str]:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(raw)) as img:
            return img.width, img.height, (img.format or "").lower()
    except (UnidentifiedImageError, OSError):
        raise invalid(f"{name} is not a readable image") from None


def _media_value(name: str, value: Any, kinds: tuple[str, ...]) -> None:
    """An audio/video input that may be a URL or raw base64 (checked for shape only)."""
    if not isinstance(value, str) or not value:
        raise invalid(f"{name} must be a URL or base64 string")
    if value.startswith(("http://", "https://")):
        return
    _base64(name, value)


def _options(plan: Plan, body: Body) -> None:
    """callback_url, external_task_id and watermark_info, wherever the route keeps them."""
    plan.callback_url = body.text("callback_url", 2048) or None
    plan.external_id = body.text("external_task_id", 256) or None
    wm = body.data.get("watermark_info")
    if wm is not None:
        if not isinstance(wm, dict) or not isinstance(wm.get("enabled", False), bool):
            raise invalid(f'{body.name("watermark_info")} must be {{"enabled": true|false}}')
        plan.watermark = bool(wm.get("enabled"))


def _video_work(duration: float, resolution: str) -> float:
    """Seconds a video takes end to end at time scale 1 (the catalog's typical time)."""
    return catalog.video_seconds(duration, resolution)


def _video_output(
    width: int, height: int, fps: int, duration: float, *, audio: bool, prompt: str, **extra: Any
) -> OutputPlan:
    recipe = {
        "width": width,
        "height": height,
        "fps": fps,
        "duration": duration,
        "audio": audio,
        "prompt": prompt,
        **extra,
    }
    return OutputPlan("video", duration, recipe)


def _duration(body: Body, key: str, allowed: tuple[int, ...], default: int, model: str) -> int:
    """Legacy durations are strings ("5"); integers are taken too, as clients commonly send them."""
    value = body.data.get(key)
    if value is None or value == "":
        return default
    try:
        seconds = int(str(value)) if not isinstance(value, bool) else -1
    except ValueError:
        seconds = -1
    if seconds not in allowed:
        raise invalid(
            f"{body.name(key)} {value!r} is not supported by {model}; allowed: {', '.join(map(str, allowed))}"
        )
    return seconds


def _legacy_model(body: Body, default: str, lookup: Callable[[str], Any], what: str) -> Any:
    # ``model`` is the old spelling of model_name and still accepted (kling-api.md §2.0).
    name = body.data.get("model_name") or body.data.get("model") or default
    model = lookup(name) if isinstance(name, str) else None
    if model is None:
        raise not_found(f"model_name {name!r} does not exist for {what}")
    return model


# The 2026 routes' wire names of the contract's flat fields, so a refusal names what the caller sent.
NEW_ROUTE_NAMES = {
    "duration": "settings.duration",
    "resolution": "settings.resolution",
    "audio": "settings.audio",
    "aspect_ratio": "settings.aspect_ratio",
    "multi_shot": "settings.multi_shot",
    "image_list": "contents (frames)",
    "video_list": "contents (videos)",
    "element_list": "contents (elements)",
}


def _checked(
    feature: str,
    params: Any,
    known: catalog.Known | None = None,
    names: dict[str, str] | None = None,
) -> catalog.Checked:
    """The catalog's contract on a request as a server reads it: a refusal is 400/1201 in the rule's own
    words, its field renamed by ``names`` where the wire nests it; ``known`` carries what only the server
    knows (a source video, a session), so the price is the charge (policy server-state)."""
    try:
        return catalog.check(feature, params, known=known)
    except rules.Refusal as refusal:
        # Every refusal of the request, one a line, the first (the most important) first. Kling's error
        # body is {"code", "message", "request_id"} and nothing else (reference §4, §A), so the list goes
        # in the message: a client that shows one line still shows the first refusal as before.
        raise invalid("\n".join(str(_renamed(r, names or {})) for r in refusal.all)) from None


def _renamed(refusal: rules.Refusal, names: dict[str, str]) -> rules.Refusal:
    """``refusal`` with its field in the wire's own nesting (``duration`` -> ``settings.duration``)."""
    field = refusal.field
    for flat, wire in names.items():
        if field == flat or field.startswith((flat + "[", flat + ".")):
            field = wire + field[len(flat) :]
            break
    return rules.Refusal(field, refusal.value, refusal.allowed, refusal.suggestion or None)


def _file(ref: ImageRef | None) -> str | None:
    return ref.get("file") if ref else None


def _fit(resolution: str, aspect: str, size_hint: tuple[int, int] | None) -> tuple[int, int]:
    """Output size: the aspect of the input image when there is one, else the requested aspect ratio."""
    if size_hint:
        w, h = size_hint
        short = facts.RESOLUTION_HEIGHT[resolution]
        if w >= h:
            return max(2, round(short * w / h / 2) * 2), short
        return short, max(2, round(short * h / w / 2) * 2)
    return catalog.video_size(resolution, aspect)


def _source_video(
    ctx: Context, body: Body, *, url_allowed: bool
) -> tuple[dict[str, Any] | None, float, dict[str, Any]]:
    """video_id XOR video_url: the parent video (id and duration) when it is one of ours."""
    has_id, has_url = body.has("video_id"), body.has("video_url")
    if has_id == has_url and url_allowed:
        raise invalid("exactly one of video_id and video_url is required")
    if not has_id:
        if not url_allowed:
            raise invalid(f"{body.name('video_id')} is required")
        _media_value(body.name("video_url"), body.data["video_url"], ("mp4", "mov"))
        return None, 5.0, {}
    video_id = body.data["video_id"]
    if not isinstance(video_id, str):
        raise invalid(f"{body.name('video_id')} must be a string")
    found = ctx.find_video(video_id)
    if found is None:
        raise not_found(f"video_id {video_id} does not exist or is older than the retention period")
    return {"id": video_id, "duration": found["duration"]}, float(found["duration"]), found


def _lip_synced(parent: dict[str, Any] | None, seconds: float) -> OutputPlan:
    if parent:
        return OutputPlan("video", seconds, {"op": "add_audio", "source": parent["id"], "prompt": "lip-sync"})
    return _video_output(1280, 720, 24, seconds, audio=True, prompt="lip-sync")


def _image_outputs(n: int, resolution: str, aspect: str, prompt: str, **extra: Any) -> list[OutputPlan]:
    width, height = catalog.image_size(resolution, aspect)
    return [
        OutputPlan("image", None, {"width": width, "height": height, "prompt": prompt, "index": i, **extra})
        for i in range(n)
    ]


def _image_work(n: int) -> float:
    return catalog.image_seconds(n)


def _new_options(plan: Plan, body: Body) -> None:
    _options(plan, body.obj("options"))
