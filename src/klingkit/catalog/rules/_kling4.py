"""Kling 4.0's request rules (kling-2026-h2.md §1), on the body as sent: text, keyframes and omni.

The facts they read (models, limits, prices) are in :mod:`klingkit.catalog.kling4`; ``catalog.check``
runs these rules for a 4.0 model on the 2026 routes, as it runs every other route's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._kling4 import (
    ASPECT_RATIOS,
    FRAMES_MAX,
    KEYFRAME_TYPES,
    MODELS,
    OMNI_BASE_VIDEOS_MAX,
    OMNI_ELEMENTS_MAX,
    OMNI_IMAGES_MAX,
    OMNI_INPUTS_MAX,
    OMNI_TYPES,
    OMNI_VIDEOS_MAX,
    OMNI_VOICES_MAX,
    ORIGINAL_AUDIO,
    PROMPT_MAX_ENGLISH,
    PROMPT_MAX_OTHER,
    REFUSED_OPTIONS,
    VIDEO_ASPECT,
    VIDEO_FPS_MIN,
    VIDEO_PIXELS_MAX,
    VIDEO_SECONDS,
    VIDEO_SIDE,
    VIDEO_TOTAL_SECONDS,
    Kling4Model,
    Refusal,
    VideoFacts,
    canonical,
    mention_ids,
    mode_of,
)


def _prompt_max(prompt: str) -> int:
    # "English" is taken as plain ASCII text: any other character applies the lower limit (M).
    return PROMPT_MAX_ENGLISH if prompt.isascii() else PROMPT_MAX_OTHER


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
