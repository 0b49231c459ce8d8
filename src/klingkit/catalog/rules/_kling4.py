"""Kling 4.0's request rules (kling-2026-h2.md §1) as tables over the body as sent: text, keyframes and omni.

The facts they read (models, limits, types) are in :mod:`klingkit.catalog.kling4`; the interpreter
(:mod:`._interp`) runs them, on the client before sending and in the sandbox on what it received. The
body is ``Ctx.p``, the model's row ``Ctx.row``, what decoding each input video found ``Ctx.media``
(keyed ``contents[2]``). Each mode's table starts with the same head (model, body, options, settings) and
the settings each mode allows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .._kling4 import (
    ASPECT_RATIOS,
    COUNTED,
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
    ROUTES,
    VIDEO_ASPECT,
    VIDEO_FPS_MIN,
    VIDEO_PIXELS_MAX,
    VIDEO_SECONDS,
    VIDEO_SIDE,
    VIDEO_TOTAL_SECONDS,
    VideoFacts,
    canonical,
    mention_ids,
)
from ._base import Checks, Refusal
from ._ctx import Ctx, Get
from ._interp import refusals
from ._vocab import (
    Field,
    Forbid,
    Items,
    Media,
    MediaTotal,
    Mentions,
    Refuse,
    Rule,
    Shape,
    Tally,
    Typed,
)


def _prompt_max(prompt: str) -> int:
    # "English" is taken as plain ASCII text: any other character applies the lower limit (M).
    return PROMPT_MAX_ENGLISH if prompt.isascii() else PROMPT_MAX_OTHER


def _prompt(name: str) -> tuple[Rule, ...]:
    """A required prompt text at ``name`` within the 4.0 limits (the English one for ASCII text)."""

    def text(x: Ctx) -> Any:
        return x.get(name)

    return (
        Refuse(name, when=lambda x: text(x) is None or text(x) == "", allowed="a prompt (text)"),
        Refuse(name, when=lambda x: not isinstance(text(x), str), allowed="a string"),
        Refuse(name, when=lambda x: len(text(x)) > _prompt_max(text(x)), shown=lambda x: f"{len(text(x))} characters",
               allowed=lambda x: f"at most {_prompt_max(text(x))} characters"),
    )  # fmt: skip


def _options(x: Ctx) -> Mapping[str, Any]:
    options = x.get("options") or {}
    return options if isinstance(options, Mapping) else {}


def _refused_option(key: str) -> Forbid:
    # Sent in options or at the top level (as the legacy routes take them): refused either way, even null.
    return Forbid(f"options.{key}", "absent", why=lambda x: f"{x.model} takes none",
                  present=lambda x: key in _options(x) or key in x.p,
                  shown=lambda x: _options(x).get(key, x.p.get(key)))  # fmt: skip


def _set(name: str) -> Get:
    return lambda x: x.get(f"settings.{name}")


def _bad_duration(x: Ctx) -> bool:
    d, (lo, hi) = x.get("settings.duration"), x.row.durations
    return d is not None and (isinstance(d, bool) or not isinstance(d, int) or not lo <= d <= hi)


def _head(mode: str) -> tuple[Rule, ...]:
    """What every mode checks first: the model, the body's shape, the options and the settings."""
    audio, aspect = _set("audio"), _set("aspect_ratio")
    aspect_rule: Rule = (
        Forbid(
            "settings.aspect_ratio",
            "absent",
            "the first frame sets it",
            present=lambda x: aspect(x) is not None,
        )
        if mode == "keyframes"
        else Field(
            "settings.aspect_ratio", enum=ASPECT_RATIOS, always=True, when=lambda x: aspect(x) is not None
        )
    )
    return (
        Refuse("model", when=lambda x: x.row is None, allowed=", ".join(MODELS), shown=lambda x: x.model,
               stop=True),
        Refuse("body", when=lambda x: not isinstance(x.facts["body"], Mapping), allowed="a JSON object",
               shown=lambda x: type(x.facts["body"]).__name__, stop=True),
        Shape("options", "object"),
        *(_refused_option(key) for key in REFUSED_OPTIONS),
        Shape("settings", "object", stop=True),
        Refuse("settings.duration", when=_bad_duration,
               allowed=lambda x: f"an integer {x.row.durations[0]}-{x.row.durations[1]} (seconds) on {x.model}"),
        Field("settings.resolution", enum=lambda x: x.row.resolutions, always=True,
              when=lambda x: _set("resolution")(x) is not None),
        aspect_rule,
        Refuse("settings.audio",
               when=lambda x: audio(x) is not None and (mode != "omni" or audio(x) != ORIGINAL_AUDIO),
               allowed=lambda x: f"absent ({x.model} always generates audio), or {ORIGINAL_AUDIO!r} with a base_video"),
    )  # fmt: skip


_URL = Refuse("url", when=lambda x: not (isinstance(x.get("url"), str) and x.get("url")),
              allowed="a URL or raw base64 data")  # fmt: skip
"""An input item's media: a URL or raw base64 data."""

_BODY_PROMPT = Forbid("prompt", "absent", "the prompt goes in contents")
_CONTENTS = Shape("contents", "list", "a non-empty array of typed items", required=True, stop=True)
_SECOND_PROMPT = Tally("contents", ("prompt",), hi=1, each=True, shown="a second prompt",
                       allowed="exactly one prompt item")  # fmt: skip
_PROMPT_TEXT = Items("contents", {"prompt": _prompt("text")}, first=True)

TEXT: tuple[Rule, ...] = (
    *_head("text"),
    Forbid("contents", "absent", "text to video takes a top-level prompt", shown=lambda x: "...",
           present=lambda x: "contents" in x.p),
    *_prompt("prompt"),
)  # fmt: skip
"""``POST /text-to-video/{model}`` with a 4.0 model: a top-level prompt."""


_VIDEOS, _FRAMES = COUNTED["videos"], COUNTED["frames"]


def _count(what: str, hi: int | Callable[[Ctx], int], **more: Any) -> Tally:
    return Tally("contents", COUNTED[what], hi=hi, what=what, **more)


def _last_allowed(x: Ctx) -> str:
    return "at most one last_frame" if x.row.keyframes_last else f"no last_frame on {x.model}"


KEYFRAMES: tuple[Rule, ...] = (
    *_head("keyframes"),
    _BODY_PROMPT,
    _CONTENTS,
    Typed("contents", KEYFRAME_TYPES),
    _SECOND_PROMPT,
    _PROMPT_TEXT,
    Items("contents", {kind: (_URL,) for kind in _FRAMES}),
    _count("first_frame items", 1, lo=1, allowed="exactly one first_frame"),
    _count("middle_frame items", lambda x: x.row.keyframes_middle_max, allowed="at most {hi} middle_frame items on {model}"),
    _count("last_frame items", lambda x: int(x.row.keyframes_last), allowed=_last_allowed),
    _count("frames", FRAMES_MAX),
)  # fmt: skip
"""``POST /image-to-video/{model}`` with a 4.0 model: a first frame, middle frames (not on Flash), a last."""

_INPUT_VIDEO = Media("url", what="videos", seconds=VIDEO_SECONDS, fps_min=VIDEO_FPS_MIN, side=VIDEO_SIDE,
                     pixels_max=VIDEO_PIXELS_MAX, aspect=VIDEO_ASPECT, aspect_text="an aspect ratio from 2:5 to 5:2")  # fmt: skip


def _no_id(key: str) -> Refuse:
    def missing(x: Ctx) -> bool:
        value = x.get(key)
        return not (isinstance(value, str) and value.strip())

    return Refuse(key, when=missing, allowed="a non-empty string", why="ids are strings on 4.0")


def _ids(kind: str) -> tuple[Rule, ...]:
    """An element or voice item: its ``id`` (what the prompt's @id names) and its library id, strings."""
    return (_no_id("id"), _no_id(f"{kind}_id"))


def _bases(x: Ctx) -> int:
    contents = x.get("contents")
    return sum(1 for it in contents if isinstance(it, Mapping) and it.get("type") == "base_video")


def _first_prompt(x: Ctx) -> str:
    prompts = [it for it in x.get("contents") if isinstance(it, Mapping) and it.get("type") == "prompt"]
    text = prompts[0].get("text") if prompts else None
    return text if isinstance(text, str) else ""


OMNI: tuple[Rule, ...] = (
    *_head("omni"),
    _BODY_PROMPT,
    _CONTENTS,
    Typed("contents", OMNI_TYPES),
    _SECOND_PROMPT,
    Tally("contents", ("prompt",), lo=1, shown="no prompt item", allowed="exactly one {{type: prompt, text}} item"),
    _PROMPT_TEXT,
    _count("inputs besides the prompt", OMNI_INPUTS_MAX),
    _count("images", OMNI_IMAGES_MAX),
    _count("videos", OMNI_VIDEOS_MAX),
    _count("base_video items", OMNI_BASE_VIDEOS_MAX),
    _count("elements", OMNI_ELEMENTS_MAX),
    _count("voices", OMNI_VOICES_MAX),
    Refuse("settings.audio", when=lambda x: x.get("settings.audio") == ORIGINAL_AUDIO and not _bases(x), allowed="absent",
           why="'original' keeps a base_video's sound"),
    Forbid("settings.duration", "absent", "an edit keeps the base video's length", when=lambda x: bool(_bases(x)),
           present=lambda x: x.get("settings.duration") is not None),
    Items("contents", {"refer_image": (_URL,), "feature_video": (_URL, _INPUT_VIDEO),
                       "base_video": (_URL, _INPUT_VIDEO), "element": _ids("element"), "voice": _ids("voice")}),
    MediaTotal("contents", _VIDEOS, VIDEO_TOTAL_SECONDS, what="video"),
    Mentions("prompt", text=_first_prompt, find=mention_ids),
)  # fmt: skip
"""``POST /omni-video/{model}`` with a 4.0 model: references, elements, voices, feature and base videos."""

TABLES: dict[str, tuple[Rule, ...]] = {
    ROUTES["text"]: TEXT,
    ROUTES["keyframes"]: KEYFRAMES,
    ROUTES["omni"]: OMNI,
}
"""Each 4.0 route's table, by catalog endpoint key (``text-to-video``, ``image-to-video``, ``omni-video-new``)."""


def context(feature: str, model_name: Any, body: Any, videos: Mapping[str, VideoFacts] | None = None) -> Ctx:
    """What the 4.0 tables read: the body as sent, the model's row and the input videos decoded so far."""
    model = MODELS.get(canonical(model_name) or "")
    return Ctx(
        body if isinstance(body, Mapping) else {},
        model.name if model else model_name,
        model,
        facts={"body": body},
        media=videos or {},
    )


def check(
    feature: str, model_name: str, body: Any, videos: Mapping[str, VideoFacts] | None = None
) -> list[Refusal]:
    """Every reason to refuse ``body`` on ``feature``'s route for ``model_name`` (empty: acceptable)."""
    return refusals(TABLES[feature], context(feature, model_name, body, videos), Checks())
