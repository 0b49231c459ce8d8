"""Driven video as data (§2.14, 2026-H2 §3): avatar, and motion control on its legacy and 2026 routes; one
table per route, read by the interpreter (:mod:`._interp`). The limits, enums and model rows are the facts
of :mod:`klingkit.catalog._drive`.

What the route gives the rules besides the body: ``Ctx.media`` holds what decoding found of the avatar's
``audio`` or the motion reference ``video`` (a side that could not read it leaves it out, and the length
rules stay silent); for motion control ``Ctx.facts`` holds ``flat`` (the body's fields of either shape,
:func:`~klingkit.catalog._drive.motion_fields`) and ``resolution`` (what the body asks for), and ``Ctx.row``
is the :class:`~klingkit.catalog._drive.MotionModel` of the route, None for a model motion control does not
take on that route.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .. import _drive as D
from ._base import _join
from ._vocab import Cond, Ctx, Field, Media, Refuse, Rule, Shape, When

MEDIA = "a URL or raw base64 data"


def absent(value: object) -> bool:
    """Not given: absent, None or an empty string (a 0 or an empty list is given, and refused)."""
    return value is None or value == ""


def _field(name: str) -> Callable[[Ctx], Any]:
    return lambda x: x.p.get(name)


def media(name: str, get: Callable[[Ctx], Any] | None = None, *, strict: bool = False) -> Rule:
    """A required media input (URL or base64): refused absent ("required") or not a string; ``strict``:
    any refusal says "required" (motion control's wording), and so does an empty value of another type."""
    read = get or _field(name)
    if strict:
        return Refuse(name, when=lambda x: not isinstance(read(x), str) or not read(x), shown=read,
                      allowed=MEDIA, why="required")  # fmt: skip
    return Refuse(name, when=lambda x: absent(read(x)) or not isinstance(read(x), str), shown=read,
                  allowed=MEDIA, why=lambda x: "required" if absent(read(x)) else None)  # fmt: skip


def prompt(name: str, limit: int, get: Callable[[Ctx], Any] | None = None) -> tuple[Rule, ...]:
    """An optional text of at most ``limit`` characters (its length shown, not the text)."""
    read = get or _field(name)
    return (
        Refuse(name, when=lambda x: not absent(read(x)) and not isinstance(read(x), str), shown=read,
               allowed="text"),
        Refuse(name, when=lambda x: isinstance(read(x), str) and len(read(x)) > limit,
               shown=lambda x: f"{len(read(x))} characters", allowed=f"at most {limit} characters"),
    )  # fmt: skip


# --- avatar ---------------------------------------------------------------------------------------------


def _has(name: str, x: Ctx) -> bool:
    return bool(x.p.get(name))


def _one_audio(x: Ctx) -> bool:
    return _has("audio_id", x) == _has("sound_file", x)


AVATAR: tuple[Rule, ...] = (
    media("image"),
    Refuse("audio_id/sound_file", when=_one_audio,
           shown=lambda x: "both" if _has("sound_file", x) else "neither",
           allowed="exactly one of audio_id (from TTS) or sound_file"),
    Refuse("sound_file", when=lambda x: _has("sound_file", x) and not _has("audio_id", x)
           and not isinstance(x.p["sound_file"], str), allowed=MEDIA),
    Refuse("audio_id", when=lambda x: _has("audio_id", x) and not _has("sound_file", x)
           and not isinstance(x.p["audio_id"], str), allowed="an audio id (a string)"),
    Field("mode", enum=D.AVATAR_MODES, always=True, when=lambda x: x.p.get("mode") is not None),
    *prompt("prompt", D.AVATAR_PROMPT_MAX),
    # The audio's length (the video lasts as long as it), known to a side that decoded the audio.
    Media("sound_file", what="audio", seconds=D.AVATAR_AUDIO_SECONDS, key="audio",
          when=lambda x: _has("sound_file", x)),
    Media("audio_id", what="audio", seconds=D.AVATAR_AUDIO_SECONDS, key="audio",
          when=lambda x: not _has("sound_file", x)),
)  # fmt: skip
"""``POST /v1/videos/avatar/image2video``: a portrait, exactly one audio (a TTS ``audio_id`` or a
``sound_file`` of 2-300 s), an optional prompt, mode std|pro."""


# --- motion control -------------------------------------------------------------------------------------


def _flat(key: str) -> Callable[[Ctx], Any]:
    return lambda x: x["flat"].get(key)


def orientation(x: Ctx) -> Any:
    """The character's orientation asked for (``image`` when none)."""
    return x["flat"].get("orientation") or "image"


def _orientation_word(x: Ctx) -> str:
    # An orientation of neither kind is refused on its own; the reference's length is judged by the longer.
    own = orientation(x)
    return str(own if own in D.MOTION_ORIENTATIONS else "video")


def _judged_as(word: str) -> Cond:
    return lambda x: _orientation_word(x) == word


def _motion_names(new: bool) -> list[str]:
    return [m.name for m in D.MOTION_MODELS.values() if (m.route == "new") == new]


def _motion(new: bool) -> tuple[Rule, ...]:
    """Motion control's rules over either body shape: the legacy flat body, or the 2026 ``contents[]`` items
    with ``settings`` (the refusals name the wire's own fields)."""
    image, video = (
        ("contents[type=image].url", "contents[type=video].url") if new else ("image_url", "video_url")
    )
    where = "settings." if new else ""

    def inside(path: str, kind: type, rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
        # The 2026 body's objects: a value of another shape is refused once, and the rules reading inside it
        # stay silent (the old checks read it as absent: settings="1080p" was made and billed at 720p).
        if not new:
            return rules
        of = "list" if kind is list else "object"
        allowed = "a list of {type, url|text} items" if kind is list else ""
        return (
            Shape(path, of, allowed),
            When(lambda x: not x.get(path) or isinstance(x.get(path), kind), rules),
        )

    quality: Rule = (
        Field("settings.resolution", value=lambda x: x["resolution"], always=True,
              enum=lambda x: tuple(x.row.units_per_second), suggest="not at 4K", row=True)
        if new else
        Field("mode", enum=tuple(D.MOTION_MODES), always=True, when=lambda x: x.p.get("mode") is not None,
              suggest="motion control is not offered at 4K")
    )  # fmt: skip
    return (
        Refuse("model_name", when=lambda x: x.row is None, shown=lambda x: x.model,
               allowed=_join(_motion_names(new))),
        *inside("contents", list, (
            media(image, _flat("image"), strict=True),
            media(video, _flat("video"), strict=True),
            *prompt("prompt", D.MOTION_PROMPT_MAX, _flat("prompt")),
        )),
        *inside("settings", Mapping, (
            Field(f"{where}character_orientation", value=orientation, enum=D.MOTION_ORIENTATIONS,
                  always=True),
            Field(f"{where}keep_original_sound", value=_flat("keep_sound"), enum=D.KEEP_SOUND, always=True,
                  when=lambda x: _flat("keep_sound")(x) is not None),
            quality,
        )),
        # The reference video's length (the output's), known to a side that decoded the video.
        *(Media(video, what="a reference video", seconds=limits, key="video", when=_judged_as(word),
                why=f"with character_orientation={word}") for word, limits in D.MOTION_VIDEO_SECONDS.items()),
    )  # fmt: skip


MOTION_CONTROL = _motion(new=False)
"""``POST /v1/videos/motion-control`` {``model_name``, ``image_url``, ``video_url``, ``prompt``, ``mode``,
``character_orientation``, ``keep_original_sound``}."""

MOTION_CONTROL_NEW = _motion(new=True)
"""``POST /motion-control/{model}`` {``contents[]`` of prompt/image/video items, ``settings{resolution,
character_orientation, keep_original_sound}``}: motion control is not offered at 4K."""
