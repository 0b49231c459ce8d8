"""Lip-sync, faces and sound (§2.5, §2.11): lip-sync, identify-face, advanced lip-sync,
text-to-audio, video-to-audio, text-to-speech."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ... import catalog
from .. import _data as C
from ._base import (
    Checks,
    _num,
    as_bool,
    given,
)


def lip_sync(p: Mapping[str, Any], c: Checks) -> str:
    """Classic ``/v1/videos/lip-sync`` (§2.5a); returns the audio_type for audio2video ("" otherwise)."""
    c.xor("video_id", given(p, "video_id"), "video_url", given(p, "video_url"))
    mode = p.get("mode")
    c.one_of("mode", mode, C.LIPSYNC_MODES)
    if mode == "text2video":
        c.text("text", p.get("text"), C.LIPSYNC_TEXT_MAX, required=True)
        lang = p.get("voice_language", "zh")
        c.one_of("voice_language", lang, C.VOICE_LANGUAGES)
        voice_id(p, c, lang)
        if given(p, "voice_speed"):
            c.number("voice_speed", p["voice_speed"], *C.VOICE_SPEED)
        for field in ("audio_type", "audio_file", "audio_url"):
            if given(p, field):
                c.fail(
                    field, "given", "no audio with mode text2video", "use mode='audio2video' to sync to audio"
                )
        return ""
    for field in ("text", "voice_id"):
        if given(p, field):
            c.fail(
                field,
                p[field],
                "no text/voice with mode audio2video",
                "use mode='text2video' to speak a text",
            )
    c.xor("audio_file", given(p, "audio_file"), "audio_url", given(p, "audio_url"))
    inferred = "file" if given(p, "audio_file") else "url"
    audio_type = p.get("audio_type") or inferred
    c.one_of("audio_type", audio_type, C.LIPSYNC_AUDIO_TYPES)
    if audio_type != inferred:
        c.fail("audio_type", audio_type, inferred, f"audio_type {audio_type!r} needs audio_{audio_type}")
    return str(audio_type)


def voice_id(p: Mapping[str, Any], c: Checks, lang: str) -> None:
    """A voice id is required; one the catalog lists for no language only warns."""
    vid = c.text("voice_id", p.get("voice_id"), 256, required=True)
    voices = C.VOICES.get(lang, ())
    if vid not in voices:
        other = [la for la, ids in C.VOICES.items() if vid in ids]
        if other:
            c.fail("voice_id", vid, f"a {lang} voice", f"{vid} is a voice for voice_language={other[0]!r}")
        c.warn(
            f"voice_id={vid!r} is not in klingkit's voice list for {lang}; sent as given "
            f"(policy {catalog.UNKNOWN_NAME})"
        )


def identify_face(p: Mapping[str, Any], c: Checks) -> None:
    """``/v1/videos/identify-face`` (§2.5b)."""
    c.xor("video_id", given(p, "video_id"), "video_url", given(p, "video_url"))


def advanced_lip_sync(p: Mapping[str, Any], c: Checks) -> float:
    """``/v1/videos/advanced-lip-sync`` (§2.5b); returns the seconds of audio inserted (for pricing)."""
    c.text("session_id", p.get("session_id"), 256, required=True)
    faces = c.count("face_choose", p.get("face_choose"), 1, C.ADVANCED_LIPSYNC_FACES)
    seconds = 0.0
    for i, face in enumerate(faces):
        f = f"face_choose[{i}]"
        if not isinstance(face, Mapping):
            c.fail(f, face, "an object {face_id, audio_id | sound_file, sound_*_time}")
        if face.get("face_id") in (None, ""):
            c.fail(f"{f}.face_id", None, "a face_id from identify-face", "it is required")
        c.xor(f"{f}.audio_id", given(face, "audio_id"), f"{f}.sound_file", given(face, "sound_file"))
        times = {}
        for key in ("sound_start_time", "sound_end_time", "sound_insert_time"):
            value = face.get(key)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                c.fail(f"{f}.{key}", value, "a whole number of milliseconds >= 0")
            times[key] = value
        span = times["sound_end_time"] - times["sound_start_time"]
        if span < C.LIPSYNC_MIN_AUDIO_MS:
            c.fail(
                f"{f}.sound_end_time",
                times["sound_end_time"],
                f"at least {C.LIPSYNC_MIN_AUDIO_MS} ms after sound_start_time ({times['sound_start_time']})",
                "the cropped audio must last at least 2 s",
            )
        seconds += span / 1000
        for key in ("sound_volume", "original_audio_volume"):
            if given(face, key):
                c.number(f"{f}.{key}", face[key], *C.SOUND_VOLUME)
    return seconds


# --- audio ----------------------------------------------------------------------------------------------


def text_to_audio(p: Mapping[str, Any], c: Checks) -> None:
    """``/v1/audio/text-to-audio`` (§2.11): prompt <= 200, duration 3.0..10.0 s (one decimal)."""
    c.text("prompt", p.get("prompt"), C.TEXT_TO_AUDIO_PROMPT_MAX, required=True)
    if "duration" not in p:
        c.fail(
            "duration",
            None,
            f"{_num(C.TEXT_TO_AUDIO_DURATION[0])} to {_num(C.TEXT_TO_AUDIO_DURATION[1])} seconds",
            "it is required",
        )
    d = c.number("duration", p["duration"], *C.TEXT_TO_AUDIO_DURATION, unit="seconds")
    if round(d, C.TEXT_TO_AUDIO_DECIMALS) != d:
        c.fail("duration", p["duration"], "seconds with at most one decimal")


def video_to_audio(p: Mapping[str, Any], c: Checks) -> None:
    """``/v1/audio/video-to-audio`` (§2.11)."""
    c.xor("video_id", given(p, "video_id"), "video_url", given(p, "video_url"))
    c.text("sound_effect_prompt", p.get("sound_effect_prompt"), C.VIDEO_TO_AUDIO_PROMPT_MAX)
    c.text("bgm_prompt", p.get("bgm_prompt"), C.VIDEO_TO_AUDIO_PROMPT_MAX)
    if given(p, "asmr_mode"):
        as_bool("asmr_mode", p["asmr_mode"])


def tts(p: Mapping[str, Any], c: Checks) -> str:
    """``/v1/audio/tts`` (§2.11); returns the voice language."""
    c.text("text", p.get("text"), C.TTS_TEXT_MAX, required=True)
    lang = p.get("voice_language") or "zh"
    c.one_of("voice_language", lang, C.VOICE_LANGUAGES)
    voice_id(p, c, lang)
    if given(p, "voice_speed"):
        c.number("voice_speed", p["voice_speed"], *C.VOICE_SPEED)
    return str(lang)
