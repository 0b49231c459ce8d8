"""Kling 4.0 and 4.0 Flash: the facts as data, and the rules over a wire body, stated once.

Source: ``shared/reference/kling-2026-h2.md`` §1 (compiled 2026-11-30). Confidence per fact: **M** (one
platform that mirrors Kling's request shape) unless marked **L** (resellers or inference); nothing about
4.0 is **H** yet except that it exists. When the official page appears, this file changes, not the code.

One model, three modes chosen by the body, on the 2026 model-in-path routes (route names: L):

* text to video: ``POST /text-to-video/{model}`` with a top-level ``prompt``;
* keyframes: ``POST /image-to-video/{model}`` with ``contents[]`` of ``prompt``, ``first_frame``, up to 8
  ``middle_frame`` and ``last_frame`` items (Flash: a single ``first_frame``);
* omni: ``POST /omni-video/{model}`` with ``contents[]`` of ``prompt``, ``refer_image``,
  ``feature_video``, ``base_video``, ``element`` and ``voice`` items; elements and voices carry an ``id``
  that the prompt names as ``@id``.

Audio is always generated (there is no switch). Requests take no ``callback_url`` and no
``external_task_id``: a server refuses them, so a client recovers a lost create answer by listing tasks.

:func:`check` is the one place these rules live: the client runs it on the body it built (before sending)
and the sandbox on the body it received; each returns the same :class:`Refusal` list. :func:`price` is
the one price.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._data import IMAGE_MAX_BYTES_NEW, USD_PER_UNIT

__all__ = [
    "ALIASES",
    "MODELS",
    "Kling4Model",
    "Refusal",
    "VideoFacts",
    "canonical",
    "check",
    "mention_ids",
    "price_usd",
    "priced",
]

CONFIDENCE = "M"
"""Shapes and limits: one good secondary source (kling-2026-h2.md §1)."""
PRICE_CONFIDENCE = "L"
"""Prices: resellers only; every 4.0 estimate is marked not exact."""


@dataclass(frozen=True)
class Kling4Model:
    """One 4.0 model. Durations in seconds; prices in US dollars per second of output (or, with video
    inputs, per second of input plus output, at least twice the output)."""

    name: str
    durations: tuple[int, int]  # inclusive range
    resolutions: tuple[str, ...]
    usd_per_second: dict[str, float]
    usd_per_second_video_in: dict[str, float]
    keyframes_middle_max: int
    keyframes_last: bool
    launched: str


MODELS: dict[str, Kling4Model] = {
    m.name: m
    for m in (
        Kling4Model(
            name="kling-4.0",
            durations=(3, 30),
            resolutions=("720p", "1080p"),
            usd_per_second={"720p": 0.157, "1080p": 0.235},
            usd_per_second_video_in={"720p": 0.094, "1080p": 0.141},
            keyframes_middle_max=8,
            keyframes_last=True,
            launched="2026-10-15",
        ),
        Kling4Model(
            name="kling-4.0-flash",
            durations=(3, 20),
            resolutions=("720p",),
            # Flash: "about $0.094-0.117/s" (L); the upper end, so an estimate does not under-count.
            usd_per_second={"720p": 0.117},
            usd_per_second_video_in={"720p": 0.094},  # L: assumed equal to 4.0's 720p video-input rate
            keyframes_middle_max=0,  # Flash: a single first_frame only
            keyframes_last=False,
            launched="2026-11-05",
        ),
    )
}

ALIASES: dict[str, str] = {
    # Resellers' names (L): accepted and sent as the canonical name.
    "kling-v4": "kling-4.0",
    "kling-v4.0": "kling-4.0",
    "kling-v4-0": "kling-4.0",
    "kling-v4-flash": "kling-4.0-flash",
    "kling-v4.0-flash": "kling-4.0-flash",
}

ASPECT_RATIOS = ("21:9", "16:9", "9:16", "1:1", "4:3", "3:4")
DEFAULT_ASPECT_RATIO = "16:9"
DEFAULT_RESOLUTION = "720p"
DEFAULT_DURATION = 5  # L: the 2026 routes' usual default
PROMPT_MAX_ENGLISH = 26_000
PROMPT_MAX_OTHER = 11_000
FRAMES_MAX = 10  # first + middle + last
KEYFRAME_TYPES = ("prompt", "first_frame", "middle_frame", "last_frame")
OMNI_TYPES = ("prompt", "refer_image", "feature_video", "base_video", "element", "voice")
OMNI_INPUTS_MAX = 15  # plus the prompt
OMNI_IMAGES_MAX = 10
OMNI_VIDEOS_MAX = 5
OMNI_BASE_VIDEOS_MAX = 1
OMNI_ELEMENTS_MAX = 7
OMNI_VOICES_MAX = 3
IMAGE_MAX_BYTES = IMAGE_MAX_BYTES_NEW  # L: the 2026 routes' image limit
VIDEO_MAX_BYTES = 200 * 1024 * 1024  # L: the omni reference-video limit (kling-api.md §7.4)
ORIGINAL_AUDIO = "original"  # settings.audio with a base_video: keep the input's sound (M)
# Input videos (M): 3-30 s each and 30 s in all, >= 24 fps, 700-4553 px a side, <= 8,294,400 px, 2:5-5:2.
VIDEO_SECONDS = (3.0, 30.0)
VIDEO_TOTAL_SECONDS = 30.0
VIDEO_FPS_MIN = 24.0
VIDEO_SIDE = (700, 4553)
VIDEO_PIXELS_MAX = 8_294_400
VIDEO_ASPECT = (2 / 5, 5 / 2)
REFUSED_OPTIONS = ("callback_url", "external_task_id")
ROUTES = {"text": "text-to-video", "keyframes": "image-to-video", "omni": "omni-video-new"}
"""Which catalog endpoint (feature key) serves each mode."""

_MENTION = re.compile(r"(?<![\w@])@([\w-]+)", re.UNICODE)


@dataclass(frozen=True)
class Refusal:
    """Why a request is refused: the wire ``field``, the ``value`` given and what is ``allowed``."""

    field: str
    value: Any
    allowed: str
    why: str = ""

    def message(self) -> str:
        shown = repr(self.value)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        text = f"{self.field} {shown} is not allowed; allowed: {self.allowed}"
        return f"{text} ({self.why})" if self.why else text


@dataclass(frozen=True)
class VideoFacts:
    """What is known about one input video (from decoding it); None where unknown (a URL)."""

    seconds: float | None = None
    fps: float | None = None
    width: int | None = None
    height: int | None = None


def canonical(name: str | None) -> str | None:
    """The catalog name of a 4.0 model (``kling-v4`` -> ``kling-4.0``), or None for other names."""
    if not isinstance(name, str):
        return None
    key = name.strip().lower()
    key = ALIASES.get(key, key)
    return key if key in MODELS else None


def mention_ids(prompt: str) -> list[str]:
    """The ``@id`` names a prompt mentions, in order (``@hero`` -> ``hero``)."""
    return _MENTION.findall(prompt)


def _prompt_max(prompt: str) -> int:
    # "English" is taken as plain ASCII text: any other character applies the lower limit (M).
    return PROMPT_MAX_ENGLISH if prompt.isascii() else PROMPT_MAX_OTHER


def mode_of(feature: str) -> str:
    """``text``, ``keyframes`` or ``omni`` for a feature key (``text-to-video``...)."""
    return {v: k for k, v in ROUTES.items()}[feature]


def _check_video(name: str, facts: VideoFacts, out: list[Refusal]) -> None:
    lo, hi = VIDEO_SECONDS
    if facts.seconds is not None and not lo <= facts.seconds <= hi:
        out.append(Refusal(name, f"{facts.seconds:g} s", f"videos of {lo:g}-{hi:g} s"))
    if facts.fps is not None and facts.fps + 0.01 < VIDEO_FPS_MIN:
        out.append(Refusal(name, f"{facts.fps:g} fps", f"at least {VIDEO_FPS_MIN:g} fps"))
    if facts.width and facts.height:
        w, h = facts.width, facts.height
        side_lo, side_hi = VIDEO_SIDE
        if not (side_lo <= w <= side_hi and side_lo <= h <= side_hi):
            out.append(Refusal(name, f"{w}x{h}", f"{side_lo}-{side_hi} px a side"))
        elif w * h > VIDEO_PIXELS_MAX:
            out.append(Refusal(name, f"{w}x{h}", f"at most {VIDEO_PIXELS_MAX:,} pixels"))
        if not VIDEO_ASPECT[0] <= w / h <= VIDEO_ASPECT[1]:
            out.append(Refusal(name, f"{w}x{h}", "an aspect ratio from 2:5 to 5:2"))


def _str_id(item: Mapping[str, Any], key: str, where: str, out: list[Refusal]) -> str | None:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        out.append(Refusal(f"{where}.{key}", value, "a non-empty string", "ids are strings on 4.0"))
        return None
    return value


def check(
    feature: str,
    model_name: str,
    body: Any,
    videos: Mapping[str, VideoFacts] | None = None,
) -> list[Refusal]:
    """Every reason to refuse ``body`` on ``feature``'s route for ``model_name`` (empty: acceptable).

    ``videos`` maps a content index (``contents[2]``) to what is known of that input video; the client
    knows local files, the sandbox what it decoded. Works on the wire body, so client and server agree.
    """
    out: list[Refusal] = []
    model = MODELS.get(canonical(model_name) or "")
    if model is None:
        return [Refusal("model", model_name, ", ".join(MODELS))]
    if not isinstance(body, Mapping):
        return [Refusal("body", type(body).__name__, "a JSON object")]
    mode = mode_of(feature)
    options = body.get("options") or {}
    if not isinstance(options, Mapping):
        out.append(Refusal("options", options, "an object"))
        options = {}
    for key in REFUSED_OPTIONS:
        if key in options or key in body:
            out.append(
                Refusal(
                    f"options.{key}", options.get(key, body.get(key)), "absent", f"{model.name} takes none"
                )
            )
    settings = body.get("settings") or {}
    if not isinstance(settings, Mapping):
        return [*out, Refusal("settings", settings, "an object")]
    _check_settings(model, mode, settings, out)
    if mode == "text":
        if "contents" in body:
            out.append(Refusal("contents", "...", "absent", "text to video takes a top-level prompt"))
        _check_prompt("prompt", body.get("prompt"), out, required=True)
        return out
    if body.get("prompt") not in (None, ""):
        out.append(Refusal("prompt", body.get("prompt"), "absent", "the prompt goes in contents"))
    contents = body.get("contents")
    if not isinstance(contents, list) or not contents:
        return [*out, Refusal("contents", contents, "a non-empty array of typed items")]
    if mode == "keyframes":
        _check_keyframes(model, settings, contents, out)
    else:
        _check_omni(settings, contents, videos or {}, out)
    return out


def _check_settings(model: Kling4Model, mode: str, settings: Mapping[str, Any], out: list[Refusal]) -> None:
    lo, hi = model.durations
    duration = settings.get("duration")
    if duration is not None and (
        isinstance(duration, bool) or not isinstance(duration, int) or not lo <= duration <= hi
    ):
        out.append(Refusal("settings.duration", duration, f"an integer {lo}-{hi} (seconds) on {model.name}"))
    resolution = settings.get("resolution")
    if resolution is not None and resolution not in model.resolutions:
        out.append(Refusal("settings.resolution", resolution, ", ".join(model.resolutions)))
    aspect = settings.get("aspect_ratio")
    if aspect is not None:
        if mode == "keyframes":
            out.append(Refusal("settings.aspect_ratio", aspect, "absent", "the first frame sets it"))
        elif aspect not in ASPECT_RATIOS:
            out.append(Refusal("settings.aspect_ratio", aspect, ", ".join(ASPECT_RATIOS)))
    audio = settings.get("audio")
    if audio is not None and (mode != "omni" or audio != ORIGINAL_AUDIO):
        out.append(
            Refusal(
                "settings.audio",
                audio,
                f"absent ({model.name} always generates audio), or {ORIGINAL_AUDIO!r} with a base_video",
            )
        )


def _check_prompt(field: str, prompt: Any, out: list[Refusal], required: bool) -> str:
    if prompt is None or prompt == "":
        if required:
            out.append(Refusal(field, prompt, "a prompt (text)"))
        return ""
    if not isinstance(prompt, str):
        out.append(Refusal(field, prompt, "a string"))
        return ""
    limit = _prompt_max(prompt)
    if len(prompt) > limit:
        out.append(Refusal(field, f"{len(prompt)} characters", f"at most {limit} characters"))
    return prompt


def _typed(contents: list[Any], allowed: tuple[str, ...], out: list[Refusal]) -> list[tuple[int, str, Any]]:
    items: list[tuple[int, str, Any]] = []
    for i, item in enumerate(contents):
        kind = item.get("type") if isinstance(item, Mapping) else None
        if kind not in allowed:
            out.append(Refusal(f"contents[{i}].type", kind, ", ".join(allowed)))
            continue
        items.append((i, str(kind), item))
    return items


def _one_prompt(items: list[tuple[int, str, Any]], out: list[Refusal], required: bool) -> str:
    prompts = [(i, it) for i, kind, it in items if kind == "prompt"]
    if len(prompts) > 1:
        out.append(Refusal(f"contents[{prompts[1][0]}]", "a second prompt", "exactly one prompt item"))
    if not prompts:
        if required:
            out.append(Refusal("contents", "no prompt item", "exactly one {type: prompt, text} item"))
        return ""
    i, item = prompts[0]
    return _check_prompt(f"contents[{i}].text", item.get("text"), out, required=True)


def _needs_url(i: int, item: Mapping[str, Any], out: list[Refusal]) -> None:
    url = item.get("url")
    if not isinstance(url, str) or not url:
        out.append(Refusal(f"contents[{i}].url", url, "a URL or raw base64 data"))


def _check_keyframes(
    model: Kling4Model, settings: Mapping[str, Any], contents: list[Any], out: list[Refusal]
) -> None:
    items = _typed(contents, KEYFRAME_TYPES, out)
    _one_prompt(items, out, required=False)
    counts = {k: sum(1 for _, kind, _ in items if kind == k) for k in KEYFRAME_TYPES}
    for i, kind, item in items:
        if kind != "prompt":
            _needs_url(i, item, out)
    if counts["first_frame"] != 1:
        out.append(
            Refusal("contents", f"{counts['first_frame']} first_frame items", "exactly one first_frame")
        )
    if counts["middle_frame"] > model.keyframes_middle_max:
        allowed = f"at most {model.keyframes_middle_max} middle_frame items on {model.name}"
        out.append(Refusal("contents", f"{counts['middle_frame']} middle_frame items", allowed))
    if counts["last_frame"] > (1 if model.keyframes_last else 0):
        allowed = "at most one last_frame" if model.keyframes_last else f"no last_frame on {model.name}"
        out.append(Refusal("contents", f"{counts['last_frame']} last_frame items", allowed))
    frames = counts["first_frame"] + counts["middle_frame"] + counts["last_frame"]
    if frames > FRAMES_MAX:
        out.append(Refusal("contents", f"{frames} frames", f"at most {FRAMES_MAX} frames"))


def _check_omni(
    settings: Mapping[str, Any], contents: list[Any], videos: Mapping[str, VideoFacts], out: list[Refusal]
) -> None:
    items = _typed(contents, OMNI_TYPES, out)
    prompt = _one_prompt(items, out, required=True)
    counts = {k: sum(1 for _, kind, _ in items if kind == k) for k in OMNI_TYPES}
    inputs = len(items) - counts["prompt"]
    limits = (
        ("inputs besides the prompt", inputs, OMNI_INPUTS_MAX),
        ("images", counts["refer_image"], OMNI_IMAGES_MAX),
        ("videos", counts["feature_video"] + counts["base_video"], OMNI_VIDEOS_MAX),
        ("base_video items", counts["base_video"], OMNI_BASE_VIDEOS_MAX),
        ("elements", counts["element"], OMNI_ELEMENTS_MAX),
        ("voices", counts["voice"], OMNI_VOICES_MAX),
    )
    for what, n, most in limits:
        if n > most:
            out.append(Refusal("contents", f"{n} {what}", f"at most {most} {what}"))
    if settings.get("audio") == ORIGINAL_AUDIO and not counts["base_video"]:
        out.append(
            Refusal("settings.audio", ORIGINAL_AUDIO, "absent", "'original' keeps a base_video's sound")
        )
    if counts["base_video"] and settings.get("duration") is not None:
        why = "an edit keeps the base video's length"
        out.append(Refusal("settings.duration", settings.get("duration"), "absent", why))
    ids: list[tuple[str, str]] = []
    total = 0.0
    for i, kind, item in items:
        where = f"contents[{i}]"
        if kind in ("refer_image", "feature_video", "base_video"):
            _needs_url(i, item, out)
        if kind in ("feature_video", "base_video"):
            facts = videos.get(where)
            if facts is not None:
                _check_video(f"{where}.url", facts, out)
                total += facts.seconds or 0.0
        if kind in ("element", "voice"):
            item_id = _str_id(item, "id", where, out)
            _str_id(item, f"{kind}_id", where, out)
            if item_id is not None:
                ids.append((where, item_id))
    if total > VIDEO_TOTAL_SECONDS + 1e-6:
        out.append(Refusal("contents", f"{total:g} s of video", f"at most {VIDEO_TOTAL_SECONDS:g} s in all"))
    _check_mentions(prompt, ids, out)


def _check_mentions(prompt: str, ids: list[tuple[str, str]], out: list[Refusal]) -> None:
    names = [name for _, name in ids]
    seen: set[str] = set()
    for where, name in ids:
        if name in seen:
            out.append(Refusal(f"{where}.id", name, "an id no other item has"))
        seen.add(name)
        for other in names:
            if other != name and other.startswith(name):
                why = f"@{name} would be read inside @{other}"
                out.append(Refusal(f"{where}.id", name, "an id that is not the start of another id", why))
    for mention in mention_ids(prompt):
        if mention not in seen:
            allowed = ", ".join(f"@{n}" for n in names) or "no @ids (no element or voice items given)"
            out.append(Refusal("prompt", f"@{mention}", allowed, "every @id must name an element or voice"))


def price_usd(
    model_name: str, resolution: str, output: float, video_inputs: float | None = None
) -> tuple[float, str]:
    """US dollars for a 4.0 video, with the basis in words. ``video_inputs`` is the seconds of input
    video (None or 0: no video input); with video inputs the price counts input + output seconds, at
    least twice the output."""
    model = MODELS[canonical(model_name) or model_name]
    if video_inputs:
        rate = model.usd_per_second_video_in[resolution]
        seconds = max(video_inputs + output, 2 * output)
        basis = f"{model.name} {resolution} with video input: ${rate}/s x {seconds:g} s (input+output, >= 2x)"
        return rate * seconds, basis
    rate = model.usd_per_second[resolution]
    return rate * output, f"{model.name} {resolution}: ${rate}/s x {output:g} s"


@dataclass(frozen=True)
class Priced:
    """A 4.0 request's output length (s), resolution and price (video-pack units), always approximate."""

    output_seconds: float
    resolution: str
    units: float
    basis: str
    video_input_seconds: float


def priced(
    feature: str, model_name: str, body: Mapping[str, Any], videos: Mapping[str, VideoFacts] | None = None
) -> Priced:
    """Output length and price of an accepted body (run :func:`check` first).

    An input video whose length is unknown (a URL neither side decoded) is counted as
    :data:`VIDEO_SECONDS`'s maximum, so the estimate does not under-count; an edit (``base_video``)
    lasts as long as its input.
    """
    settings = body.get("settings") or {}
    resolution = str(settings.get("resolution") or DEFAULT_RESOLUTION)
    inputs, base = 0.0, None
    if mode_of(feature) == "omni":
        for i, item in enumerate(body.get("contents") or []):
            if isinstance(item, Mapping) and item.get("type") in ("feature_video", "base_video"):
                known = (videos or {}).get(f"contents[{i}]")
                seconds = known.seconds if known and known.seconds else VIDEO_SECONDS[1]
                inputs += seconds
                if item.get("type") == "base_video":
                    base = seconds
    duration = settings.get("duration")
    if base is not None:
        output = base
    elif isinstance(duration, int) and not isinstance(duration, bool):
        output = float(duration)
    else:
        output = float(DEFAULT_DURATION)
    usd, basis = price_usd(model_name, resolution, output, min(inputs, VIDEO_TOTAL_SECONDS) or None)
    units = round(usd / USD_PER_UNIT["video"], 4)
    basis += f"; reseller prices, approximate (confidence {PRICE_CONFIDENCE})"
    return Priced(output, resolution, units, basis, inputs)
