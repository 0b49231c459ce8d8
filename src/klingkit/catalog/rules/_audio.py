"""Lip-sync, faces and sound as data (§2.5, §2.11): lip-sync, identify-face, advanced lip-sync, text-to-audio,
video-to-audio, text-to-speech; one table per route, read by the interpreter (:mod:`._interp`).

Facts the route derives before the rules run (``Ctx.facts``): ``lang`` (the voice language, default
applied); ``known`` (:class:`~klingkit.catalog.Known`, for the rules on what only a server has).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from ... import catalog
from .. import _data as C
from .._policies import SERVER_STATE
from ._base import _num
from ._vocab import (
    Count,
    Ctx,
    Each,
    Field,
    Forbid,
    Refuse,
    Require,
    Rule,
    Warn,
    When,
    Xor,
)

SOURCE = Xor("video_id", "video_url")
"""The source video: by task id or by URL, exactly one."""


def _other_language(x: Ctx) -> str | None:
    vid = x.p.get("voice_id")
    return next((lang for lang, ids in C.VOICES.items() if vid in ids), None)


def _listed(x: Ctx) -> bool:
    return x.p.get("voice_id") in C.VOICES.get(x["lang"], ())


VOICE: tuple[Rule, ...] = (
    Field("voice_id", max_len=256, required=True),
    Refuse("voice_id", when=lambda x: not _listed(x) and _other_language(x) is not None,
           allowed=lambda x: f"a {x['lang']} voice",
           why=lambda x: f"{x.p['voice_id']} is a voice for voice_language={_other_language(x)!r}",
           reads=("voice_language",)),
    Warn(lambda x: not _listed(x) and _other_language(x) is None,
         lambda x: f"voice_id={x.p['voice_id']!r} is not in klingkit's voice list for {x['lang']}; sent as given "
         f"(policy {catalog.UNKNOWN_NAME})",
         reads=("voice_id", "voice_language")),
    Field("voice_speed", range=C.VOICE_SPEED),
)  # fmt: skip
"""A voice: a voice id is required; one the catalog lists for another language is refused, one it lists
for none only warns (policy ``unknown-name``)."""


def _given(x: Ctx) -> str:
    return "given"


def _text_mode(x: Ctx) -> bool:
    return x.p.get("mode") == "text2video"


def _audio_mode(x: Ctx) -> bool:
    return x.p.get("mode") == "audio2video"


def inferred_audio_type(p: Mapping[str, Any]) -> str:
    """The audio_type that the audio given implies (``file`` for audio_file, else ``url``)."""
    return "file" if p.get("audio_file") not in (None, "") else "url"


def _audio_type(x: Ctx) -> Any:
    return x.p.get("audio_type") or inferred_audio_type(x.p)


LIP_SYNC: tuple[Rule, ...] = (
    SOURCE,
    Field("mode", enum=C.LIPSYNC_MODES, value=lambda x: x.p.get("mode"), always=True),
    When(_text_mode, (
        Field("text", max_len=C.LIPSYNC_TEXT_MAX, required=True),
        Field("voice_language", enum=C.VOICE_LANGUAGES, value=lambda x: x["lang"], always=True),
        *VOICE,
        *(Forbid(f, "no audio with mode text2video", "use mode='audio2video' to sync to audio",
                 shown=_given) for f in ("audio_type", "audio_file", "audio_url")),
    )),
    When(_audio_mode, (
        *(Forbid(f, "no text/voice with mode audio2video", "use mode='text2video' to speak a text")
          for f in ("text", "voice_id")),
        Xor("audio_file", "audio_url"),
        Field("audio_type", enum=C.LIPSYNC_AUDIO_TYPES, value=_audio_type, always=True),
        Refuse("audio_type", when=lambda x: _audio_type(x) != inferred_audio_type(x.p), shown=_audio_type,
               allowed=lambda x: inferred_audio_type(x.p),
               why=lambda x: f"audio_type {_audio_type(x)!r} needs audio_{_audio_type(x)}",
               reads=("audio_file", "audio_url")),
    )),
)  # fmt: skip
"""Classic ``/v1/videos/lip-sync`` (§2.5a); the voice rules (:data:`VOICE`) follow for mode text2video."""

IDENTIFY_FACE: tuple[Rule, ...] = (SOURCE,)
"""``/v1/videos/identify-face`` (§2.5b)."""

_TIMES = ("sound_start_time", "sound_end_time", "sound_insert_time")


def _ms(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _not_ms(name: str, x: Ctx) -> bool:
    return not _ms(x.p.get(name))


def _span(x: Ctx) -> int:
    return int(x.p["sound_end_time"]) - int(x.p["sound_start_time"])


FACE: tuple[Rule, ...] = (
    Require("face_id", "a face_id from identify-face", "it is required",
            present=lambda x: x.p.get("face_id") not in (None, "")),
    Xor("audio_id", "sound_file"),
    *(Refuse(t, when=partial(_not_ms, t), allowed="a whole number of milliseconds >= 0") for t in _TIMES),
    Refuse("sound_end_time", when=lambda x: _span(x) < C.LIPSYNC_MIN_AUDIO_MS,
           allowed=lambda x: f"at least {C.LIPSYNC_MIN_AUDIO_MS} ms after sound_start_time ({x.p['sound_start_time']})",
           why="the cropped audio must last at least 2 s", reads=("sound_start_time",)),
    Field("sound_volume", range=C.SOUND_VOLUME),
    Field("original_audio_volume", range=C.SOUND_VOLUME),
)  # fmt: skip

ADVANCED_LIP_SYNC: tuple[Rule, ...] = (
    Field("session_id", max_len=256, required=True),
    Count("face_choose", 1, C.ADVANCED_LIPSYNC_FACES, always=True),
    Each(
        "face_choose",
        FACE,
        item="an object {face_id, audio_id | sound_file, sound_*_time}",
    ),
)
"""``/v1/videos/advanced-lip-sync`` (§2.5b)."""


def _video_ms(x: Ctx) -> float:
    return float(x["known"].video_seconds) * 1000


ADVANCED_LIP_SYNC_SESSION: tuple[Rule, ...] = (
    Each("face_choose", (
        Refuse("face_id", when=lambda x: x["known"].face_ids is not None and str(x.p["face_id"]) not in x["known"].face_ids,
               allowed=lambda x: f"a face of this session: {', '.join(x['known'].face_ids)}", policy=SERVER_STATE),
        Refuse("sound_insert_time", when=lambda x: x.p["sound_insert_time"] + _span(x) > _video_ms(x) + 1,
               allowed=lambda x: f"at most {_video_ms(x) - _span(x):g} ms",
               why=lambda x: f"the audio inserted at {x.p['sound_insert_time']} ms runs past the end of the "
               f"{x['known'].video_seconds:g} s video", policy=SERVER_STATE),
    )),
)  # fmt: skip
"""The advanced lip-sync's rules on its session, which only a server has (policy ``server-state``: the faces
identify-face found, the video's length)."""

_T2A = f"{_num(C.TEXT_TO_AUDIO_DURATION[0])} to {_num(C.TEXT_TO_AUDIO_DURATION[1])} seconds"

TEXT_TO_AUDIO: tuple[Rule, ...] = (
    Field("prompt", max_len=C.TEXT_TO_AUDIO_PROMPT_MAX, required=True),
    Require("duration", _T2A, "it is required", present=lambda x: "duration" in x.p),
    Field("duration", range=C.TEXT_TO_AUDIO_DURATION, unit="seconds", always=True),
    Refuse("duration", when=lambda x: round(float(x.p["duration"]), C.TEXT_TO_AUDIO_DECIMALS) != x.p["duration"],
           allowed="seconds with at most one decimal"),
)  # fmt: skip
"""``/v1/audio/text-to-audio`` (§2.11): prompt <= 200, duration 3.0..10.0 s (one decimal)."""

VIDEO_TO_AUDIO: tuple[Rule, ...] = (
    SOURCE,
    Field("sound_effect_prompt", max_len=C.VIDEO_TO_AUDIO_PROMPT_MAX),
    Field("bgm_prompt", max_len=C.VIDEO_TO_AUDIO_PROMPT_MAX),
    Field("asmr_mode", boolean=True),
)
"""``/v1/audio/video-to-audio`` (§2.11)."""

_V2A = C.VIDEO_TO_AUDIO_DURATION

VIDEO_TO_AUDIO_SOURCE: tuple[Rule, ...] = (
    Refuse("video_id", when=lambda x: not _V2A[0] <= x["known"].video_seconds <= _V2A[1],
           allowed=f"a video of {_V2A[0]:g} to {_V2A[1]:g} s", why=lambda x: f"it is {x['known'].video_seconds:g} s"),
)  # fmt: skip
"""Video-to-audio on the source video's length, which only a server reads."""

TTS: tuple[Rule, ...] = (
    Field("text", max_len=C.TTS_TEXT_MAX, required=True),
    Field("voice_language", enum=C.VOICE_LANGUAGES, value=lambda x: x["lang"], always=True),
    *VOICE,
)
"""``/v1/audio/tts`` (§2.11); ``lang`` is ``voice_language`` or ``zh``."""
