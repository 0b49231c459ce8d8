"""How an operation's arguments become a library request: ``(catalog feature, klingkit.prepare params)``.

One function per paid operation; :mod:`._registry` names which one each operation uses. Values are passed
as given (None left out later): the library validates and prices them and names a wrong field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from . import _schema as S

ResolveVideo = Callable[[str], str]
"""Turns what an agent calls a video (a video id, or the task/external id that made it) into a video id."""

Build = Callable[[Mapping[str, Any], ResolveVideo], tuple[str, dict[str, Any]]]


def _media_or_id(value: str | None, resolve: ResolveVideo) -> dict[str, Any]:
    """A video given as a URL or path is sent as ``video_url``; anything else is an id to resolve."""
    import os

    if value is None:
        return {}
    if value.startswith(("http://", "https://")) or os.path.exists(os.path.expanduser(value)):
        return {"video_url": os.path.expanduser(value) if not value.startswith("http") else value}
    return {"video_id": resolve(value)}


def video(a: Mapping[str, Any], _: ResolveVideo) -> tuple[str, dict[str, Any]]:
    from klingkit import catalog

    if a.get("images"):  # several pictures brought together: multi-image to video (the model is its own)
        keys = ("prompt", "negative_prompt", "duration", "aspect_ratio")
        multi = {k: a.get(k) for k in keys} | {"model_name": a.get("model"), "image_list": a.get("images")}
        multi["mode"] = catalog.normalize_mode(a["mode"]) if a.get("mode") else None
        return "multi-image2video", multi
    model = a.get("model") or S.DEFAULT_VIDEO_MODEL
    i2v = bool(a.get("image") or a.get("image_tail"))
    mode, sound = a.get("mode"), a.get("sound")
    params: dict[str, Any] = {
        "model_name": model,
        "prompt": a.get("prompt"),
        "negative_prompt": a.get("negative_prompt"),
        "duration": a.get("duration"),
        "cfg_scale": a.get("cfg_scale"),
        "camera_control": S.camera_control(a["camera"]) if a.get("camera") else None,
        "multi_shot": True if a.get("multi_shot") else None,
    }
    if catalog.new_video_model(model) is not None:  # 2026 routes speak resolution/audio, not mode/sound
        feature = "image-to-video" if i2v else "text-to-video"
        params["resolution"] = S.mode_resolution(mode) if mode else None
        params["audio"] = catalog.audio_for_sound(sound)
    else:
        feature = "image2video" if i2v else "text2video"
        params["mode"] = catalog.normalize_mode(mode) if mode else None
        params["sound"] = None if sound is None else ("on" if sound else "off")
    if i2v:
        params.update(
            image=a.get("image"), image_tail=a.get("image_tail"), middle_frames=a.get("middle_frames")
        )
    else:
        params["aspect_ratio"] = a.get("aspect_ratio")
    return feature, params


def image(a: Mapping[str, Any], _: ResolveVideo) -> tuple[str, dict[str, Any]]:
    keys = ("prompt", "negative_prompt", "n", "aspect_ratio", "resolution", "image", "image_reference")
    params = {k: a.get(k) for k in keys}
    params["model_name"] = a.get("model") or S.DEFAULT_IMAGE_MODEL
    params["image_fidelity"] = a.get("image_fidelity")
    return "images/generations", params


def audio(a: Mapping[str, Any], _: ResolveVideo) -> tuple[str, dict[str, Any]]:
    return "text-to-audio", {"prompt": a.get("prompt"), "duration": a.get("duration")}


def soundtrack(a: Mapping[str, Any], resolve: ResolveVideo) -> tuple[str, dict[str, Any]]:
    params: dict[str, Any] = _media_or_id(a.get("video"), resolve)
    params.update(
        sound_effect_prompt=a.get("sound_effect_prompt"),
        bgm_prompt=a.get("bgm_prompt"),
        asmr_mode=True if a.get("asmr_mode") else None,
    )
    return "video-to-audio", params


def speech(a: Mapping[str, Any], _: ResolveVideo) -> tuple[str, dict[str, Any]]:
    keys = ("text", "voice_id", "voice_language", "voice_speed")
    return "tts", {k: a.get(k) for k in keys}


def extend(a: Mapping[str, Any], resolve: ResolveVideo) -> tuple[str, dict[str, Any]]:
    params = {k: a.get(k) for k in ("prompt", "negative_prompt", "cfg_scale")}
    params["video_id"] = resolve(str(a.get("video", "")))
    return "video-extend", params


def lip_sync(a: Mapping[str, Any], resolve: ResolveVideo) -> tuple[str, dict[str, Any]]:
    params: dict[str, Any] = _media_or_id(a.get("video"), resolve)
    audio = a.get("audio")
    if audio is None:
        params["mode"] = "text2video"
        params.update({k: a.get(k) for k in ("text", "voice_id", "voice_language", "voice_speed")})
    else:
        params["mode"] = "audio2video"
        is_url = str(audio).startswith(("http://", "https://"))
        params["audio_type"] = "url" if is_url else "file"
        params["audio_url" if is_url else "audio_file"] = audio
        if a.get("text") is not None:
            params["text"] = a.get("text")  # both given: the library names the conflict
    return "lip-sync", params


def effect(a: Mapping[str, Any], _: ResolveVideo) -> tuple[str, dict[str, Any]]:
    from klingkit import catalog

    scene = a.get("scene")
    if isinstance(scene, str) and not S.effect_scene_known(scene):  # the data as it is now, user file too
        from klingkit.errors import ValidationError

        known = S.effect_scene_names()
        raise ValidationError("scene", scene, f"a scene of the effects data ({len(known)}: "
                              f"{', '.join(known[:8])}, ...)", "`klingkit effects` lists them; a scene "
                              "Kling added since can be added to $KLINGKIT_EFFECTS")  # fmt: skip
    images = list(a.get("images") or [])
    params: dict[str, Any] = {
        "effect_scene": a.get("scene"),
        "model_name": a.get("model"),
        "duration": a.get("duration"),
        "mode": catalog.normalize_mode(a["mode"]) if a.get("mode") else None,
    }
    if len(images) == 1:
        params["image"] = images[0]
    elif images:
        params["images"] = images
    return "effects", params


def try_on(a: Mapping[str, Any], _: ResolveVideo) -> tuple[str, dict[str, Any]]:
    keep = {k: a.get(k) for k in S.tryon_settings()}
    if a.get("solution") or any(v is not None for v in keep.values()):  # the keep settings choose 3.0's route
        if a.get("model"):
            from klingkit.errors import ValidationError

            raise ValidationError("model", a.get("model"), "no model on the Try-On solution route (solution, "
                                  "keep_*)", "leave out model, or leave out solution and the keep settings")  # fmt: skip
        return "virtual_try_on", {
            "person_image": a.get("person_image"),
            "product_image": a.get("garment_image"),
            **keep,
        }
    return "kolors-virtual-try-on", {
        "model_name": a.get("model"),
        "human_image": a.get("person_image"),
        "cloth_image": a.get("garment_image"),
    }


def avatar(a: Mapping[str, Any], _: ResolveVideo) -> tuple[str, dict[str, Any]]:
    keys = {
        "image": "image",
        "sound_file": "audio",
        "audio_id": "audio_id",
        "prompt": "prompt",
        "mode": "mode",
    }
    return "avatar", {wire: a.get(arg) for wire, arg in keys.items()}


def motion(a: Mapping[str, Any], _: ResolveVideo) -> tuple[str, dict[str, Any]]:
    params = {k: a.get(k) for k in ("image", "video", "prompt", "mode")}
    params.update(
        model_name=a.get("model") or S.motion()[1],
        character_orientation=a.get("orientation"),
        keep_original_sound=a.get("keep_sound"),
    )
    return "motion-control", params


def element(a: Mapping[str, Any], _: ResolveVideo) -> tuple[str, dict[str, Any]]:
    return "custom-elements", {k: a.get(k) for k in ("name", "images", "element_type", "description", "tags")}


def voice(a: Mapping[str, Any], _: ResolveVideo) -> tuple[str, dict[str, Any]]:
    return "custom-voices", {"name": a.get("name"), "audio": a.get("audio")}
