"""What the sandbox accepts: each create body is checked against the catalog and turned into a Plan.

A Plan says what the task costs, how many concurrency slots it holds, how long it takes (at time scale
1) and what files it will produce. Every refusal is a :class:`KlingFailure` (400/1201 for a bad field,
404/1203 for an unknown model or video) whose message names the field and what is allowed.
"""

from __future__ import annotations

import base64
import binascii
import io
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from klingkit import catalog
from klingkit import catalog as facts
from klingkit.catalog import kling4

from ._errors import KlingFailure, invalid, not_found

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


def _camera(body: Body, key: str) -> dict[str, Any] | None:
    raw = body.data.get(key)
    if raw is None:
        return None
    cam = Body(raw, body.name(key) + ".")
    kind = cam.choice("type", facts.CAMERA_TYPES)
    if kind != "simple":
        if cam.data.get("config"):
            raise invalid(f"{cam.name('config')} must be empty unless type is simple")
        return {"type": kind}
    config = cam.obj("config", required=True)
    axes = {
        axis: config.number(axis, facts.CAMERA_AXIS_MIN, facts.CAMERA_AXIS_MAX, 0.0)
        for axis in facts.CAMERA_AXES
    }
    moving = [a for a, v in axes.items() if v != 0]
    if len(moving) != 1:
        raise invalid(f"{cam.name('config')} must have exactly one non-zero axis, found {len(moving)}")
    return {"type": "simple", "config": axes}


def _multi_shot(body: Body, model: catalog.VideoModel, duration: int) -> bool:
    if not body.flag("multi_shot"):
        return False
    if not model.multi_shot:
        raise invalid(f"multi_shot is not supported by {model.name}; use kling-v3")
    shot_type = body.choice("shot_type", ("customize", "intelligence"))
    if shot_type == "customize":
        shots = body.items("multi_prompt", 1, facts.MULTI_SHOT_MAX, required=True)
        total = 0
        for i, raw in enumerate(shots):
            shot = Body(raw, f"multi_prompt[{i}].")
            shot.text("prompt", facts.MULTI_PROMPT_ITEM_MAX, required=True)
            seconds = _duration(shot, "duration", tuple(range(1, duration + 1)), 0, model.name)
            if seconds < 1:
                raise invalid(f"multi_prompt[{i}].duration is required")
            total += seconds
        if total != duration:
            raise invalid(f"multi_prompt durations add up to {total} s; they must equal duration {duration}")
    return True


def _legacy_model(body: Body, default: str, lookup: Callable[[str], Any], what: str) -> Any:
    # ``model`` is the old spelling of model_name and still accepted (kling-api.md §2.0).
    name = body.data.get("model_name") or body.data.get("model") or default
    model = lookup(name) if isinstance(name, str) else None
    if model is None:
        raise not_found(f"model_name {name!r} does not exist for {what}")
    return model


# --- legacy video -----------------------------------------------------------------------------------------


def _legacy_video(ctx: Context, body: Body, image_to_video: bool) -> Plan:
    feature = "image2video" if image_to_video else "text2video"
    model: catalog.VideoModel = _legacy_model(body, "kling-v1", catalog.video_model, feature)
    if not (model.image_to_video if image_to_video else model.text_to_video):
        raise invalid(
            f"model_name {model.name} does not support {'image' if image_to_video else 'text'} to video"
        )
    mode = body.choice("mode", model.modes, "std")
    duration = _duration(body, "duration", model.durations, 5, model.name)
    multi = _multi_shot(body, model, duration)
    prompt_required = not (multi and body.data.get("shot_type") == "customize") and not image_to_video
    prompt = body.text("prompt", facts.PROMPT_MAX, required=prompt_required)
    body.text("negative_prompt", facts.NEGATIVE_PROMPT_MAX)
    body.number("cfg_scale", facts.CFG_MIN, facts.CFG_MAX, 0.5)
    sound = body.choice("sound", ("on", "off"), "off") == "on"
    if sound and mode not in model.sound_modes:
        allowed = ", ".join(model.sound_modes) or "none"
        raise invalid(
            f"sound on is not supported by {model.name} in mode {mode}; modes with sound: {allowed}"
        )
    camera = _camera(body, "camera_control")
    cam_allowed = model.camera_i2v if image_to_video else model.camera_t2v
    if camera and (mode, duration) not in cam_allowed:
        raise invalid(f"camera_control is not supported by {model.name} {mode} {duration}s")
    if camera and image_to_video and model.camera_types_i2v and camera["type"] not in model.camera_types_i2v:
        raise invalid(f"camera_control type {camera['type']} is not supported by {model.name}")
    variant = "audio" if sound else "silent"
    size_hint: tuple[int, int] | None = None
    first = last = None
    if image_to_video:
        first = _image(ctx, body, "image")
        last = _image(ctx, body, "image_tail", check_aspect=False)
        if first is None and last is None:
            raise invalid("image can not be null")
        masks = body.has("static_mask") or body.has("dynamic_masks")
        if sum([last is not None, masks, camera is not None]) > 1:
            raise invalid(
                "image_tail, motion brush (static_mask/dynamic_masks) and camera_control "
                "cannot be used together"
            )
        if last is not None:
            if (mode, duration) not in model.end_frame:
                raise invalid(f"image_tail is not supported by {model.name} {mode} {duration}s")
            if sound and model.end_frame_silent_only:
                raise invalid(f"image_tail with sound on is not supported by {model.name}")
        if masks:
            if (mode, duration) not in model.motion_brush:
                raise invalid(f"motion brush is not supported by {model.name} {mode} {duration}s")
            _image(ctx, body, "static_mask", check_aspect=False)
            for i, raw in enumerate(body.items("dynamic_masks", 1, facts.DYNAMIC_MASKS_MAX)):
                group = Body(raw, f"dynamic_masks[{i}].")
                _image(ctx, group, "mask", required=True, check_aspect=False)
                group.items("trajectories", facts.TRAJECTORY_POINTS_MIN, facts.TRAJECTORY_POINTS_MAX, True)
        ref = first or last
        if ref and "width" in ref:
            size_hint = (ref["width"], ref["height"])
        aspect = "16:9"
    else:
        aspect = body.choice("aspect_ratio", facts.VIDEO_ASPECT_RATIOS, "16:9")
    elements = body.items("element_list", 0, facts.ELEMENT_LIST_MAX)
    voices = body.items("voice_list", 0, facts.VOICE_LIST_MAX)
    if elements and not model.elements:
        raise invalid(f"element_list is not supported by {model.name}")
    if elements and voices:
        raise invalid("element_list and voice_list cannot be used together")
    if voices:
        if not sound or mode not in model.voice_modes:
            raise invalid(f"voice_list needs sound on and a mode with voice control for {model.name}")
        variant = "voice"
    resolution = catalog.mode_resolution(model, mode)
    width, height = _fit(resolution, aspect, size_hint)
    plan = Plan(
        feature,
        "legacy",
        "video",
        model.name,
        units=catalog.video_price(model.name, mode, duration, variant=variant).units,
        weight=1,
        work_seconds=_video_work(duration, resolution),
        outputs=[
            _video_output(
                width,
                height,
                model.fps(image_to_video),
                duration,
                audio=sound,
                prompt=prompt,
                camera=camera,
                first_frame=_file(first),
                last_frame=_file(last),
                multi_shot=multi,
            )
        ],
        billing={
            "model_name": model.name,
            "resolution": resolution,
            "duration": duration,
            "mode": mode,
            "video_sound": "native" if sound else "off",
            "voice_control": variant == "voice",
        },
    )
    _options(plan, body)
    return plan


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


def text_to_video(ctx: Context, body: Body) -> Plan:
    return _legacy_video(ctx, body, image_to_video=False)


def image_to_video(ctx: Context, body: Body) -> Plan:
    return _legacy_video(ctx, body, image_to_video=True)


def multi_image_to_video(ctx: Context, body: Body) -> Plan:
    name = body.data.get("model_name") or facts.MULTI_IMAGE_TO_VIDEO_MODELS[0]
    if name not in facts.MULTI_IMAGE_TO_VIDEO_MODELS:
        raise not_found(f"model_name {name!r} does not exist for multi-image2video")
    model = catalog.video_model(name)
    assert model is not None
    images = body.items("image_list", 1, facts.MULTI_IMAGE_VIDEO_MAX, required=True)
    for i, raw in enumerate(images):
        _image(ctx, Body(raw, f"image_list[{i}]."), "image", required=True)
    prompt = body.text("prompt", facts.PROMPT_MAX, required=True)
    body.text("negative_prompt", facts.NEGATIVE_PROMPT_MAX)
    mode = body.choice("mode", ("std", "pro"), "std")
    duration = _duration(body, "duration", (5, 10), 5, name)
    aspect = body.choice("aspect_ratio", facts.VIDEO_ASPECT_RATIOS, "16:9")
    resolution = catalog.mode_resolution(model, mode)
    width, height = catalog.video_size(resolution, aspect)
    plan = Plan(
        "multi-image2video",
        "legacy",
        "video",
        name,
        units=catalog.video_price(name, mode, duration).units,
        weight=1,
        work_seconds=_video_work(duration, resolution),
        outputs=[_video_output(width, height, model.fps(True), duration, audio=False, prompt=prompt)],
        billing={"model_name": name, "resolution": resolution, "duration": duration, "mode": mode},
    )
    _options(plan, body)
    return plan


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


def video_extend(ctx: Context, body: Body) -> Plan:
    parent, parent_seconds, source = _source_video(ctx, body, url_allowed=False)
    assert parent is not None
    prompt = body.text("prompt", facts.PROMPT_MAX)
    body.text("negative_prompt", facts.NEGATIVE_PROMPT_MAX)
    body.number("cfg_scale", facts.CFG_MIN, facts.CFG_MAX, 0.5)
    added = 4.5  # each extension adds 4-5 s (§2.4)
    total = parent_seconds + added
    if total > 180:
        raise invalid(f"the extended video would be {total:g} s; at most 180 s in total are allowed")
    mode = source.get("mode", "std")
    if source.get("model") not in catalog.EXTENDABLE_MODELS:
        raise invalid(
            f"video {parent['id']} was made by {source.get('model')}; only videos of "
            f"{', '.join(catalog.EXTENDABLE_MODELS)} can be extended"
        )
    plan = Plan(
        "video-extend",
        "legacy",
        "video",
        source.get("model"),
        units=catalog.flat_price("extend_pro" if mode in ("pro", "4k") else "extend_std"),
        weight=1,
        work_seconds=_video_work(added, "720p"),
        outputs=[
            OutputPlan(
                "video", total, {"op": "extend", "source": parent["id"], "add": added, "prompt": prompt}
            )
        ],
        parent_video=parent,
        billing={"model_name": source.get("model"), "duration": added, "mode": mode},
    )
    _options(plan, body)
    return plan


def lip_sync(ctx: Context, body: Body) -> Plan:
    inp = body.obj("input", required=True)
    parent, seconds, _ = _source_video(ctx, inp, url_allowed=True)
    mode = inp.choice("mode", ("text2video", "audio2video"))
    if mode == "text2video":
        inp.text("text", facts.LIPSYNC_TEXT_MAX, required=True)
        language = inp.choice("voice_language", facts.VOICE_LANGUAGES, "zh")
        inp.choice("voice_id", facts.VOICES[language])
        inp.number("voice_speed", *facts.VOICE_SPEED, 1.0)
    else:
        audio_type = inp.choice("audio_type", ("file", "url"))
        key = "audio_file" if audio_type == "file" else "audio_url"
        if not inp.has(key):
            raise invalid(f"{inp.name(key)} is required when audio_type is {audio_type}")
        _media_value(inp.name(key), inp.data[key], facts.AUDIO_FORMATS)
    plan = Plan(
        "lip-sync",
        "legacy",
        "video",
        None,
        units=facts.FLAT_PRICES["lip_sync_per_5s"] * math.ceil(seconds / 5),
        weight=1,
        work_seconds=60 + 10 * seconds,
        outputs=[_lip_synced(parent, seconds)],
        parent_video=parent,
        billing={"duration": seconds},
    )
    _options(plan, body)
    return plan


def _lip_synced(parent: dict[str, Any] | None, seconds: float) -> OutputPlan:
    if parent:
        return OutputPlan("video", seconds, {"op": "add_audio", "source": parent["id"], "prompt": "lip-sync"})
    return _video_output(1280, 720, 24, seconds, audio=True, prompt="lip-sync")


def identify_face(ctx: Context, body: Body) -> Plan:
    parent, seconds, _ = _source_video(ctx, body, url_allowed=True)
    plan = Plan(
        "identify-face",
        "legacy",
        "video",
        None,
        units=catalog.flat_price("identify_face"),
        weight=0,
        work_seconds=0,
        outputs=[OutputPlan("image", None, {"width": 256, "height": 256, "prompt": "face 0", "index": 0})],
        parent_video=parent,
    )
    plan.extra = {
        "face_data": [{"face_id": "0", "start_time": 0, "end_time": int(seconds * 1000)}],
        "video_seconds": seconds,
    }
    return plan


def advanced_lip_sync(ctx: Context, body: Body) -> Plan:
    session_id = body.text("session_id", 64, required=True)
    session = ctx.find_session(session_id)
    if session is None:
        raise invalid(f"session_id {session_id} does not exist or has expired (sessions last 24 h)")
    faces = body.items("face_choose", 1, facts.ADVANCED_LIPSYNC_FACES, required=True)
    choice = Body(faces[0], "face_choose[0].")
    face_id = choice.text("face_id", 64, required=True)
    known = {f["face_id"]: f for f in session["face_data"]}
    if face_id not in known:
        raise invalid(f"face_choose[0].face_id {face_id!r} is not a face of this session: {', '.join(known)}")
    if choice.has("audio_id") == choice.has("sound_file"):
        raise invalid("exactly one of face_choose[0].audio_id and face_choose[0].sound_file is required")
    if choice.has("sound_file"):
        _media_value(choice.name("sound_file"), choice.data["sound_file"], facts.AUDIO_FORMATS)
    start = choice.integer("sound_start_time", 0, 600_000)
    end = choice.integer("sound_end_time", 0, 600_000)
    insert = choice.integer("sound_insert_time", 0, 600_000)
    if end - start < 2000:
        raise invalid("the cropped audio (sound_end_time - sound_start_time) must be at least 2000 ms")
    seconds = float(session["video_seconds"])
    if insert + (end - start) > seconds * 1000 + 1:
        raise invalid(f"the audio inserted at {insert} ms runs past the end of the {seconds:g} s video")
    choice.number("sound_volume", *facts.SOUND_VOLUME, 1.0)
    choice.number("original_audio_volume", *facts.SOUND_VOLUME, 1.0)
    parent = session.get("parent_video")
    plan = Plan(
        "advanced-lip-sync",
        "legacy",
        "video",
        None,
        units=facts.FLAT_PRICES["lip_sync_per_5s"] * math.ceil(seconds / 5),
        weight=1,
        work_seconds=60 + 10 * seconds,
        outputs=[_lip_synced(parent, seconds)],
        parent_video=parent,
        billing={"duration": seconds},
    )
    _options(plan, body)
    return plan


def effects(ctx: Context, body: Body) -> Plan:
    scene = body.text("effect_scene", 128, required=True)
    if scene in facts.LEGACY_DUAL_EFFECTS:
        raise invalid(f"effect_scene {scene} was retired on 2026-01-30; use {scene}_pro")
    inp = body.obj("input", required=True)
    dual = scene in facts.DUAL_IMAGE_EFFECTS
    if dual:
        images = inp.items("images", 2, 2, required=True)
        for i, raw in enumerate(images):
            _image_value(ctx, f"input.images[{i}]", raw)
    else:
        _image(ctx, inp, "image", required=True)
    duration = _duration(inp, "duration", (5, 10), 5, scene)
    plan = Plan(
        "effects",
        "legacy",
        "video",
        None,
        units=catalog.flat_price("effect_dual" if dual else "effect_single"),
        weight=1,
        work_seconds=_video_work(duration, "720p"),
        outputs=[_video_output(1280, 720, 24, duration, audio=False, prompt=scene)],
        billing={"duration": duration, "effect_scene": scene},
    )
    _options(plan, body)
    return plan


def omni_video(ctx: Context, body: Body) -> Plan:
    model: catalog.VideoModel = _legacy_model(body, "kling-video-o1", catalog.omni_video_model, "omni-video")
    prompt = body.text("prompt", facts.PROMPT_MAX, required=True)
    mode = body.choice("mode", model.modes, "pro")
    duration = _duration(body, "duration", model.durations, 5, model.name)
    aspect = body.choice("aspect_ratio", facts.VIDEO_ASPECT_RATIOS, "16:9")
    sound = body.choice("sound", ("on", "off"), "off") == "on"
    if sound and mode not in model.sound_modes:
        raise invalid(f"sound on is not supported by {model.name} in mode {mode}")
    first = None
    for i, raw in enumerate(body.items("image_list", 0, 7)):
        item = Body(raw, f"image_list[{i}].")
        ref = _image(ctx, item, "image_url", required=True)
        if item.data.get("type") == "first_frame":
            first = ref
    videos = body.items("video_list", 0, 1)
    for i, raw in enumerate(videos):
        item = Body(raw, f"video_list[{i}].")
        _media_value(item.name("video_url"), item.data.get("video_url"), ("mp4", "mov"))
        item.choice("refer_type", ("base", "feature"), "base")
    body.items("element_list", 0, facts.ELEMENT_LIST_MAX)
    images = body.data.get("image_list") or []
    first_only = len(images) == 1 and not videos
    if (
        model.name in facts.OMNI_SHORT_DURATION_MODELS
        and (not images or first_only)
        and duration not in facts.OMNI_SHORT_DURATIONS
    ):
        raise invalid("Duration only supports 5 or 10 seconds when no refer_image is provided")
    variant = "video_input" if videos else "audio" if sound else "silent"
    resolution = catalog.mode_resolution(model, mode)
    width, height = catalog.video_size(resolution, aspect)
    plan = Plan(
        "omni-video",
        "legacy",
        "video",
        model.name,
        units=catalog.video_price(model.name, mode, duration, variant=variant, omni=True).units,
        weight=1,
        work_seconds=_video_work(duration, resolution),
        outputs=[
            _video_output(width, height, 24, duration, audio=sound, prompt=prompt, first_frame=_file(first))
        ],
        billing={
            "model_name": model.name,
            "resolution": resolution,
            "duration": duration,
            "mode": mode,
            "refer_video_input": bool(videos),
        },
    )
    _options(plan, body)
    return plan


# --- images -----------------------------------------------------------------------------------------------


def _image_outputs(n: int, resolution: str, aspect: str, prompt: str, **extra: Any) -> list[OutputPlan]:
    width, height = catalog.image_size(resolution, aspect)
    return [
        OutputPlan("image", None, {"width": width, "height": height, "prompt": prompt, "index": i, **extra})
        for i in range(n)
    ]


def _image_work(n: int) -> float:
    return catalog.image_seconds(n)


def image_generations(ctx: Context, body: Body) -> Plan:
    model: catalog.ImageModel = _legacy_model(body, "kling-v1", catalog.image_model, "images/generations")
    prompt = body.text("prompt", facts.PROMPT_MAX, required=True)
    source = _image(ctx, body, "image")
    if source is None and not model.text_to_image:
        raise invalid(f"model_name {model.name} needs an image (it does not do text to image)")
    if source is not None and body.has("negative_prompt"):
        raise invalid("negative_prompt is not supported when image is set")
    body.text("negative_prompt", facts.NEGATIVE_PROMPT_MAX)
    if body.has("image_reference"):
        body.choice("image_reference", ("subject", "face"))
        if not model.image_reference:
            raise invalid(f"image_reference is not supported by {model.name}")
        if source is None:
            raise invalid("image_reference needs image")
    # Decision "fidelity": accepted on every model (Kling serves clients that always send it).
    body.number("image_fidelity", 0, 1, 0.5)
    body.number("human_fidelity", 0, 1, 0.45)
    elements = body.items("element_list", 0, facts.IMAGE_ELEMENTS_MAX - int(source is not None))
    if elements and not model.elements:
        raise invalid(f"element_list is not supported by {model.name}")
    resolution = body.choice("resolution", model.resolutions, "1k")
    n = body.integer("n", facts.N_MIN, facts.N_MAX, 1)
    aspect = body.choice("aspect_ratio", model.aspect_ratios, "16:9")
    price = model.price_i2i if source else model.price_t2i
    plan = Plan(
        "images/generations",
        "legacy",
        "image",
        model.name,
        units=price * n,
        weight=n,
        work_seconds=_image_work(n),
        outputs=_image_outputs(n, resolution, aspect, prompt, source=_file(source)),
        billing={"model_name": model.name, "resolution": resolution, "n": n},
    )
    _options(plan, body)
    return plan


def multi_image_to_image(ctx: Context, body: Body) -> Plan:
    name = body.data.get("model_name") or "kling-v2-1"
    if name not in facts.MULTI_IMAGE_TO_IMAGE_MODELS:
        raise not_found(f"model_name {name!r} does not exist for multi-image2image")
    model = catalog.image_model(name)
    assert model is not None
    prompt = body.text("prompt", facts.PROMPT_MAX)
    subjects = body.items("subject_image_list", facts.SUBJECT_IMAGES_MIN, facts.SUBJECT_IMAGES_MAX, True)
    for i, raw in enumerate(subjects):
        _image(ctx, Body(raw, f"subject_image_list[{i}]."), "subject_image", required=True)
    _image(ctx, body, "scene_image")
    _image(ctx, body, "style_image")
    n = body.integer("n", facts.N_MIN, facts.N_MAX, 1)
    aspect = body.choice("aspect_ratio", facts.IMAGE_ASPECT_RATIOS, "16:9")
    plan = Plan(
        "multi-image2image",
        "legacy",
        "image",
        name,
        units=model.price_multi * n,
        weight=n,
        work_seconds=_image_work(n),
        outputs=_image_outputs(n, "1k", aspect, prompt),
        billing={"model_name": name, "n": n},
    )
    _options(plan, body)
    return plan


def expand(ctx: Context, body: Body) -> Plan:
    source = _image(ctx, body, "image", required=True)
    assert source is not None
    ratios = {
        side: body.number(f"{side}_expansion_ratio", facts.EXPAND_RATIO_MIN, facts.EXPAND_RATIO_MAX)
        for side in ("up", "down", "left", "right")
    }
    area = (1 + ratios["left"] + ratios["right"]) * (1 + ratios["up"] + ratios["down"])
    if area > facts.EXPAND_AREA_MAX + 1e-9:
        raise invalid(
            f"the expanded image would be {area:.2f}x the original area; at most "
            f"{facts.EXPAND_AREA_MAX:g}x is allowed"
        )
    prompt = body.text("prompt", facts.PROMPT_MAX)
    n = body.integer("n", facts.N_MIN, facts.N_MAX, 1)
    width, height = source.get("width", 1024), source.get("height", 1024)
    out_w = round(width * (1 + ratios["left"] + ratios["right"]))
    out_h = round(height * (1 + ratios["up"] + ratios["down"]))
    outputs = [
        OutputPlan(
            "image",
            None,
            {
                "op": "expand",
                "source": _file(source),
                "width": out_w,
                "height": out_h,
                "prompt": prompt,
                "index": i,
                **ratios,
            },
        )
        for i in range(n)
    ]
    plan = Plan(
        "editing/expand",
        "legacy",
        "image",
        None,
        units=catalog.flat_price("expand_per_image") * n,
        weight=n,
        work_seconds=_image_work(n),
        outputs=outputs,
        billing={"n": n},
    )
    _options(plan, body)
    return plan


def omni_image(ctx: Context, body: Body) -> Plan:
    model: catalog.ImageModel = _legacy_model(body, "kling-image-o1", catalog.omni_image_model, "omni-image")
    prompt = body.text("prompt", facts.PROMPT_MAX, required=True)
    images = body.items("image_list", 0, 10)
    for i, raw in enumerate(images):
        _image(ctx, Body(raw, f"image_list[{i}]."), "image", required=True)
    body.items("element_list", 0, 10)
    resolution = body.choice("resolution", model.resolutions, "1k")
    aspect = body.choice("aspect_ratio", model.aspect_ratios, "auto")
    result_type = body.choice("result_type", ("single", "series"), "single")
    amount = body.data.get("series_amount") or "auto"
    if amount != "auto":  # checked even where it is ignored (decision "series_amount")
        amount = body.integer("series_amount", *facts.OMNI_SERIES_AMOUNT)
    if result_type == "series":
        count = SERIES_AUTO_COUNT if amount == "auto" else int(amount)
    else:
        count = body.integer("n", facts.N_MIN, facts.N_MAX, 1)
    price = (
        model.price_4k
        if resolution == "4k" and model.price_4k
        else (model.price_i2i if images else model.price_t2i)
    )
    plan = Plan(
        "omni-image",
        "legacy",
        "image",
        model.name,
        units=price * count,
        weight=count,
        work_seconds=_image_work(count),
        outputs=_image_outputs(count, resolution, aspect, prompt),
        billing={"model_name": model.name, "resolution": resolution, "n": count},
    )
    _options(plan, body)
    return plan


def try_on(ctx: Context, body: Body) -> Plan:
    name = body.data.get("model_name") or facts.TRYON_MODELS[0]
    if name not in facts.TRYON_MODELS:
        raise not_found(f"model_name {name!r} does not exist for kolors-virtual-try-on")
    human = _image(ctx, body, "human_image", required=True, check_aspect=False)
    _image(ctx, body, "cloth_image", required=True, check_aspect=False)
    plan = Plan(
        "kolors-virtual-try-on",
        "legacy",
        "tryon",
        name,
        units=catalog.flat_price("tryon_per_image"),
        weight=1,
        work_seconds=30,
        outputs=[
            OutputPlan(
                "image",
                None,
                {"width": 768, "height": 1024, "prompt": "try-on", "source": _file(human), "index": 0},
            )
        ],
        billing={"model_name": name},
    )
    _options(plan, body)
    return plan


# --- audio ------------------------------------------------------------------------------------------------


def text_to_audio(ctx: Context, body: Body) -> Plan:
    prompt = body.text("prompt", facts.TEXT_TO_AUDIO_PROMPT_MAX, required=True)
    duration = body.number("duration", *facts.TEXT_TO_AUDIO_DURATION)
    if round(duration, facts.TEXT_TO_AUDIO_DECIMALS) != duration:
        raise invalid(f"duration {duration:g} has more than one decimal")
    plan = Plan(
        "text-to-audio",
        "legacy",
        "audio",
        None,
        units=catalog.flat_price("text_to_audio"),
        weight=1,
        work_seconds=20 + 2 * duration,
        outputs=[OutputPlan("audio", duration, {"duration": duration, "prompt": prompt})],
    )
    _options(plan, body)
    return plan


def video_to_audio(ctx: Context, body: Body) -> Plan:
    parent, seconds, _ = _source_video(ctx, body, url_allowed=True)
    if parent and not facts.VIDEO_TO_AUDIO_DURATION[0] <= seconds <= facts.VIDEO_TO_AUDIO_DURATION[1]:
        raise invalid(f"video {parent['id']} is {seconds:g} s; video-to-audio takes 3 to 20 s")
    prompt = body.text("sound_effect_prompt", facts.VIDEO_TO_AUDIO_PROMPT_MAX)
    body.text("bgm_prompt", facts.VIDEO_TO_AUDIO_PROMPT_MAX)
    body.flag("asmr_mode")
    video = (
        OutputPlan("video", seconds, {"op": "add_audio", "source": parent["id"], "prompt": prompt})
        if parent
        else _video_output(1280, 720, 24, seconds, audio=True, prompt=prompt)
    )
    plan = Plan(
        "video-to-audio",
        "legacy",
        "audio",
        None,
        units=catalog.flat_price("video_to_audio"),
        weight=1,
        work_seconds=30 + 2 * seconds,
        outputs=[video, OutputPlan("audio", seconds, {"duration": seconds, "prompt": prompt})],
        parent_video=parent,
    )
    _options(plan, body)
    return plan


def tts(ctx: Context, body: Body) -> Plan:
    text = body.text("text", facts.TTS_TEXT_MAX, required=True)
    language = body.choice("voice_language", facts.VOICE_LANGUAGES, "zh")
    body.choice("voice_id", facts.VOICES[language])
    speed = body.number("voice_speed", *facts.VOICE_SPEED, 1.0)
    # About 15 characters a second at speed 1, never under a second.
    seconds = round(max(1.0, len(text) / 15 / speed), 1)
    return Plan(
        "tts",
        "legacy",
        "audio",
        None,
        units=catalog.flat_price("tts"),
        weight=0,
        work_seconds=0,
        outputs=[OutputPlan("audio", seconds, {"duration": seconds, "prompt": text, "voice": True})],
    )


# --- 2026 routes (model in the path) ------------------------------------------------------------------


def _new_options(plan: Plan, body: Body) -> None:
    _options(plan, body.obj("options"))


def new_video(ctx: Context, body: Body, model_name: str, image_to_video: bool) -> Plan:
    feature = "image-to-video" if image_to_video else "text-to-video"
    model = catalog.new_video_model(model_name)
    if model is None or not (model.image_to_video if image_to_video else model.text_to_video):
        raise not_found(f"model {model_name} does not exist for /{feature}")
    settings = body.obj("settings")
    first = None
    if image_to_video:
        contents = body.items("contents", 1, 8, required=True)
        prompt, last, elements = "", None, 0
        for i, raw in enumerate(contents):
            item = Body(raw, f"contents[{i}].")
            kind = item.choice("type", ("prompt", "first_frame", "last_frame", "element"))
            if kind == "prompt":
                prompt = item.text("text", model.prompt_max, required=True)
            elif kind == "element":
                elements += 1
            else:
                ref = _image(ctx, item, "url", required=True, max_bytes=facts.IMAGE_MAX_BYTES_NEW)
                first, last = (ref, last) if kind == "first_frame" else (first, ref)
        if elements > facts.ELEMENT_LIST_MAX:
            raise invalid(f"contents has {elements} elements; at most {facts.ELEMENT_LIST_MAX} are allowed")
        if first is None:
            raise invalid("contents needs a first_frame (a last_frame alone is not allowed)")
        if last is not None and not model.last_frame:
            raise invalid(f"last_frame is not supported by {model.name}")
        aspect = "16:9"
    else:
        prompt = body.text("prompt", model.prompt_max, required=True)
        aspect = settings.choice("aspect_ratio", facts.VIDEO_ASPECT_RATIOS, "16:9")
    audio = settings.choice("audio", model.audio, "off" if "off" in model.audio else model.audio[0])
    resolution = settings.choice("resolution", model.resolutions, "720p")
    if (
        audio == "native"
        and model.native_audio_resolutions
        and resolution not in model.native_audio_resolutions
    ):
        raise invalid(
            f"settings.audio native needs resolution {', '.join(model.native_audio_resolutions)} "
            f"on {model.name}"
        )
    duration = settings.integer("duration", 1, 60, 5)
    if duration not in model.durations:
        raise invalid(
            f"settings.duration {duration} is not supported by {model.name}; allowed: "
            f"{', '.join(map(str, model.durations))}"
        )
    if settings.flag("multi_shot") and not model.multi_shot:
        raise invalid(f"settings.multi_shot is not supported by {model.name}")
    size_hint = (first["width"], first["height"]) if first and "width" in first else None
    width, height = _fit(resolution, aspect, size_hint)
    plan = Plan(
        feature,
        "new",
        "video",
        model.name,
        units=catalog.new_video_price(model.name, resolution, duration, audio=audio == "native").units,
        weight=1,
        work_seconds=_video_work(duration, resolution),
        outputs=[
            _video_output(
                width, height, 24, duration, audio=audio == "native", prompt=prompt, first_frame=_file(first)
            )
        ],
        billing={
            "model_name": model.name,
            "resolution": resolution,
            "duration": duration,
            "video_sound": audio,
        },
    )
    _new_options(plan, body)
    return plan


def new_omni_video(ctx: Context, body: Body, model_name: str) -> Plan:
    """``POST /omni-video/{model}`` (kling-3.0-omni, kling-o1).

    The route's own page is not in the reference (conf M); the body follows the 2026 convention (§2.15):
    ``contents[]`` typed items (prompt, first_frame, last_frame, element, video), ``settings{resolution,
    duration, aspect_ratio, audio}``, ``options{}``; the rules are the legacy omni ones (§2.14, §6.1, §7.4)
    and the price is the model's legacy omni row (§7.2).
    """
    model = next((m for m in facts.OMNI_VIDEO_MODELS if m.new_name == model_name), None)
    if model is None:
        raise not_found(f"model {model_name} does not exist for /omni-video")
    name = model.new_name or model.name
    if body.has("prompt"):
        raise invalid("prompt goes in contents as {type: prompt, text} on /omni-video")
    settings = body.obj("settings")
    contents = body.items("contents", 1, 10, required=True)
    prompt, first, last, elements, videos = "", None, None, 0, 0
    for i, raw in enumerate(contents):
        item = Body(raw, f"contents[{i}].")
        kind = item.choice("type", facts.OMNI_NEW_CONTENT_TYPES)
        if kind == "prompt":
            if prompt:
                raise invalid(f"contents[{i}] is a second prompt; one prompt is allowed")
            prompt = item.text("text", facts.OMNI_NEW_PROMPT_MAX, required=True)
        elif kind == "element":
            element_id = item.data.get("element_id")
            if isinstance(element_id, bool) or not isinstance(element_id, (str, int)) or element_id == "":
                raise invalid(f"{item.name('element_id')} is required")
            elements += 1
        elif kind == "video":
            videos += 1
            _media_value(item.name("url"), item.data.get("url"), facts.VIDEO_FORMATS)
            item.choice("refer_type", facts.OMNI_VIDEO_REFER_TYPES, "base")
            item.choice("keep_original_sound", facts.OMNI_KEEP_SOUND, "no")
        else:
            if (first if kind == "first_frame" else last) is not None:
                raise invalid(f"contents has more than one {kind}; at most one is allowed")
            ref = _image(
                ctx,
                item,
                "url",
                required=True,
                max_bytes=facts.IMAGE_MAX_BYTES_NEW,
                check_aspect=kind == "first_frame",
            )
            first, last = (ref, last) if kind == "first_frame" else (first, ref)
    if not prompt:
        raise invalid("contents needs a prompt item ({type: prompt, text})")
    if videos > facts.OMNI_VIDEO_LIST_MAX:
        raise invalid(f"contents has {videos} videos; at most {facts.OMNI_VIDEO_LIST_MAX} is allowed")
    if elements > facts.ELEMENT_LIST_MAX:
        raise invalid(f"contents has {elements} elements; at most {facts.ELEMENT_LIST_MAX} are allowed")
    if last is not None and first is None:
        raise invalid("contents needs a first_frame (a last_frame alone is not allowed)")
    by_resolution = {catalog.mode_resolution(model, m): m for m in model.modes}
    resolution = settings.choice("resolution", tuple(by_resolution), facts.OMNI_NEW_DEFAULT_RESOLUTION)
    duration = settings.integer("duration", 1, 60, 5)
    if duration not in model.durations:
        raise invalid(
            f"settings.duration {duration} is not supported by {name}; allowed: "
            f"{', '.join(map(str, model.durations))}"
        )
    if (
        model.name in facts.OMNI_SHORT_DURATION_MODELS
        and not videos
        and last is None
        and duration not in facts.OMNI_SHORT_DURATIONS
    ):
        raise invalid(
            f"settings.duration {duration} is not supported by {name} for text or first-frame-only input; "
            f"allowed: {', '.join(map(str, facts.OMNI_SHORT_DURATIONS))}"
        )
    audio = settings.choice("audio", facts.NEW_AUDIO_VALUES if model.sound else ("off",), "off")
    if first is not None and settings.has("aspect_ratio"):
        raise invalid("settings.aspect_ratio is not allowed with a first_frame (the video follows the image)")
    aspect = settings.choice("aspect_ratio", facts.VIDEO_ASPECT_RATIOS, "16:9")
    mode = by_resolution[resolution]
    size_hint = (first["width"], first["height"]) if first and "width" in first else None
    width, height = _fit(resolution, aspect, size_hint)
    variant = "video_input" if videos else "audio" if audio == "native" else "silent"
    plan = Plan(
        "omni-video-new",
        "new",
        "video",
        name,
        units=catalog.video_price(model.name, mode, duration, variant=variant, omni=True).units,
        weight=1,
        work_seconds=_video_work(duration, resolution),
        outputs=[
            _video_output(
                width, height, 24, duration, audio=audio == "native", prompt=prompt, first_frame=_file(first)
            )
        ],
        billing={
            "model_name": name,
            "resolution": resolution,
            "duration": duration,
            "mode": mode,
            "video_sound": audio,
            "refer_video_input": bool(videos),
        },
    )
    _new_options(plan, body)
    return plan


def solutions_try_on(ctx: Context, body: Body) -> Plan:
    contents = body.items("contents", 2, 2, required=True)
    kinds: dict[str, ImageRef] = {}
    for i, raw in enumerate(contents):
        item = Body(raw, f"contents[{i}].")
        kind = item.choice("type", ("product_image", "person_image"))
        ref = _image(
            ctx, item, "url", required=True, check_aspect=False, formats=facts.TRYON_SOLUTION_FORMATS
        )
        assert ref is not None
        if max(ref.get("width", 0), ref.get("height", 0)) > facts.TRYON_SOLUTION_LONG_SIDE_MAX:
            raise invalid(
                f"contents[{i}].url long side must be at most {facts.TRYON_SOLUTION_LONG_SIDE_MAX} px"
            )
        kinds[kind] = ref
    if len(kinds) != 2:
        raise invalid("contents needs exactly one product_image and one person_image")
    settings = body.obj("settings")
    for key in ("keep_face", "keep_pose", "keep_background"):
        settings.flag(key, True)
    plan = Plan(
        "virtual_try_on",
        "solutions",
        "tryon",
        None,
        units=catalog.flat_price("tryon_per_image"),
        weight=1,
        work_seconds=30,
        outputs=[
            OutputPlan(
                "image",
                None,
                {
                    "width": 768,
                    "height": 1024,
                    "prompt": "try-on",
                    "source": _file(kinds["person_image"]),
                    "index": 0,
                },
            )
        ],
    )
    options = body.obj("options")
    _options(plan, options)
    wm = options.data.get("watermark")  # the solutions page spells it "watermark"
    if isinstance(wm, dict):
        plan.watermark = bool(wm.get("enabled"))
    return plan


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
    """Validate a create ``body`` for ``feature`` (a catalog endpoint key) and plan the task."""
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
