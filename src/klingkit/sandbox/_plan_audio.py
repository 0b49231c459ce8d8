"""Planning lip-sync, face identification and the sound routes (text-to-audio, video-to-audio, TTS)."""

from __future__ import annotations

from typing import Any

from klingkit import catalog
from klingkit import catalog as facts

from ._errors import invalid
from ._plan import (
    Body,
    Context,
    OutputPlan,
    Plan,
    _checked,
    _lip_synced,
    _media_value,
    _options,
    _source_video,
    _video_output,
)


def lip_sync(ctx: Context, body: Body) -> Plan:
    inp = body.obj("input", required=True)
    # The catalog's rules (video_id XOR video_url, mode, text and voice, or audio_type and its audio).
    audio_type = _checked("lip-sync", inp.data).values["audio_type"]
    if inp.data["mode"] == "text2video":
        # Policy unknown-name: a server refuses a voice it does not have (the client only warns).
        language = inp.choice("voice_language", facts.VOICE_LANGUAGES, "zh")
        inp.choice("voice_id", facts.VOICES[language])
    else:
        key = "audio_file" if audio_type == "file" else "audio_url"
        _media_value(inp.name(key), inp.data[key], facts.AUDIO_FORMATS)
    parent, seconds, _ = _source_video(ctx, inp, url_allowed=True)
    return _lip_sync_plan("lip-sync", inp.data, body, parent, catalog.Known(seconds))


def _lip_sync_plan(
    feature: str, params: dict[str, Any], body: Body, parent: dict[str, Any] | None, known: catalog.Known
) -> Plan:
    """Both lip-sync routes: the source video with new sound, priced by the contract on its length."""
    seconds = float(known.video_seconds or 0)
    plan = Plan(
        feature,
        "legacy",
        "video",
        None,
        units=_checked(feature, params, known).estimate.units,
        weight=1,
        work_seconds=60 + 10 * seconds,
        outputs=[_lip_synced(parent, seconds)],
        parent_video=parent,
        billing={"duration": seconds},
    )
    _options(plan, body)
    return plan


def identify_face(ctx: Context, body: Body) -> Plan:
    ok = _checked("identify-face", body.data)  # video_id XOR video_url; a flat price
    parent, seconds, _ = _source_video(ctx, body, url_allowed=True)
    plan = Plan(
        "identify-face",
        "legacy",
        "video",
        None,
        units=ok.estimate.units,
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
    # The catalog's rules (one face, audio_id XOR sound_file, times, >= 2 s of audio, volumes), then the
    # same with what only the server has (policy server-state): the session's faces and video length.
    _checked("advanced-lip-sync", body.data)
    faces = tuple(str(f["face_id"]) for f in session["face_data"])
    known = catalog.Known(float(session["video_seconds"]), face_ids=faces)
    choice = Body(body.data["face_choose"][0], "face_choose[0].")
    if choice.has("sound_file"):
        _media_value(choice.name("sound_file"), choice.data["sound_file"], facts.AUDIO_FORMATS)
    return _lip_sync_plan("advanced-lip-sync", body.data, body, session.get("parent_video"), known)


def text_to_audio(ctx: Context, body: Body) -> Plan:
    ok = _checked("text-to-audio", body.data)  # prompt <= 200; 3.0-10.0 s, one decimal
    prompt = str(body.data["prompt"])
    duration = float(ok.duration or 0)
    plan = Plan(
        "text-to-audio",
        "legacy",
        "audio",
        None,
        units=ok.estimate.units,
        weight=1,
        work_seconds=20 + 2 * duration,
        outputs=[OutputPlan("audio", duration, {"duration": duration, "prompt": prompt})],
    )
    _options(plan, body)
    return plan


def video_to_audio(ctx: Context, body: Body) -> Plan:
    _checked("video-to-audio", body.data)  # video_id XOR video_url, prompts <= 200, asmr_mode
    parent, seconds, _ = _source_video(ctx, body, url_allowed=True)
    # A video of ours has a known length: the contract checks it (3 to 20 s) and prices the request.
    ok = _checked("video-to-audio", body.data, catalog.Known(seconds) if parent else None)
    prompt = str(body.data.get("sound_effect_prompt") or "")
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
        units=ok.estimate.units,
        weight=1,
        work_seconds=30 + 2 * seconds,
        outputs=[video, OutputPlan("audio", seconds, {"duration": seconds, "prompt": prompt})],
        parent_video=parent,
    )
    _options(plan, body)
    return plan


def tts(ctx: Context, body: Body) -> Plan:
    ok = _checked("tts", body.data)  # the text, language, voice and speed rules are the catalog's
    text = str(body.data["text"])
    # Policy unknown-name: a server refuses a voice it does not have (the client only warns).
    language = body.choice("voice_language", facts.VOICE_LANGUAGES, "zh")
    body.choice("voice_id", facts.VOICES[language])
    speed = float(body.data.get("voice_speed") or facts.VOICE_SPEED_DEFAULT)
    # About 15 characters a second at speed 1, never under a second.
    seconds = round(max(1.0, len(text) / 15 / speed), 1)
    return Plan(
        "tts",
        "legacy",
        "audio",
        None,
        units=ok.estimate.units,
        weight=0,
        work_seconds=0,
        outputs=[OutputPlan("audio", seconds, {"duration": seconds, "prompt": text, "voice": True})],
    )
