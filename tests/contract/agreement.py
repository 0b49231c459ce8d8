"""The agreement harness: the same generated requests through ``klingkit.prepare`` and the sandbox over HTTP.

Requests are generated from the catalog itself (every endpoint, model, mode, duration, sound, aspect ratio,
camera form, count and media kind the catalog names, plus names it does not know), so a model added to the
catalog is exercised without touching this file. For each request we record whether the client accepts it,
whether the sandbox accepts it, the client's estimate and what the sandbox charges once the task succeeds.

Run it by hand for the figures: ``python tests/contract/agreement.py`` (prints a table per feature).
"""

from __future__ import annotations

import base64
import io
import itertools
import sys
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

import klingkit
from klingkit import catalog
from klingkit._requests import resolve_feature
from klingkit.sandbox import Sandbox

UNKNOWN_VIDEO = "kling-v9-unknown"
UNKNOWN_IMAGE = "kling-image-unknown"
# Library ids Kling (and the sandbox) knows: a create naming any other id is refused by the server.
PRESET_ELEMENT = sorted(catalog.library.preset_ids("element"))[0]
PRESET_VOICE = sorted(catalog.library.preset_ids("voice"))[0]


def png(width: int = 320, height: int = 320) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), (120, 80, 200)).save(buf, format="PNG")
    return buf.getvalue()


IMG = png()


@dataclass
class Case:
    """One generated request: the feature key or alias ``prepare`` takes, and the caller's params."""

    feature: str
    params: dict[str, Any]
    name: str = ""


@dataclass
class Outcome:
    case: Case
    client_ok: bool
    client_error: str = ""
    server_ok: bool = False
    server_error: str = ""
    estimate: float | None = None
    exact: bool = True
    charged: float | None = None
    task_id: str | None = None
    warnings: tuple[str, ...] = ()
    client_policy: str | None = None  # the catalog policy a client refusal came from, if any

    @property
    def policy(self) -> str | None:
        """The named catalog policy under which client and server may legitimately differ here."""
        return policy_of(self)


@dataclass
class Sources:
    """Things the sandbox must have produced before some requests make sense (ids, URLs)."""

    videos: dict[str, str] = field(default_factory=dict)  # "model/mode" -> video id
    video_url: str = ""
    session_id: str = ""
    audio_url: str = ""
    long_audio_url: str = ""  # 8 s: long enough for an avatar's audio and a voice sample


# --- generation -------------------------------------------------------------------------------------------


def _video_models() -> list[str]:
    return [m.name for m in catalog.VIDEO_MODELS]


def _all_durations() -> list[int]:
    return sorted({d for m in (*catalog.VIDEO_MODELS, *catalog.OMNI_VIDEO_MODELS) for d in m.durations})


def legacy_video_cases() -> Iterator[Case]:
    modes = [*catalog.VIDEO_MODES]
    for i2v in (False, True):
        feature = "image2video" if i2v else "text2video"
        base: dict[str, Any] = {"prompt": "a fox"}
        if i2v:
            base["image"] = IMG
        for model in (*_video_models(), UNKNOWN_VIDEO):
            for mode, duration, sound in itertools.product(modes, _all_durations(), (None, "on", "off")):
                p = {**base, "model_name": model, "mode": mode, "duration": duration}
                if sound:
                    p["sound"] = sound
                yield Case(feature, p, f"{model}/{mode}/{duration}s/sound={sound}")
            one = {**base, "model_name": model}
            for ar in catalog.VIDEO_ASPECT_RATIOS:
                yield Case(feature, {**one, "aspect_ratio": ar}, f"{model} aspect {ar}")
            for cfg in (0.0, 0.5, 1.0, 1.5):
                yield Case(feature, {**one, "cfg_scale": cfg}, f"{model} cfg {cfg}")
            for mode, duration in itertools.product(("std", "pro"), (5, 10)):
                for preset in catalog.CAMERA_PRESETS:
                    wire = dict(catalog.CAMERA_PRESETS[preset])
                    if wire["type"] == "simple":
                        config = {a: 0 for a in catalog.CAMERA_AXES}
                        config.update(wire["config"])  # type: ignore[arg-type]
                        wire = {"type": "simple", "config": config}
                    if preset in ("zoom_in", "down_back", "forward_up"):
                        yield Case(
                            feature,
                            {**one, "mode": mode, "duration": duration, "camera_control": wire},
                            f"{model} {mode} {duration}s camera {preset}",
                        )
                yield Case(
                    feature,
                    {**one, "mode": mode, "duration": duration, "camera_control": {"type": "simple"}},
                    f"{model} {mode} {duration}s camera simple without config",
                )
            yield Case(feature, {**one, "negative_prompt": "blur"}, f"{model} negative")
            yield Case(feature, {**one, "multi_shot": True, "shot_type": "intelligence"}, f"{model} multi")
            yield Case(
                feature, {**one, "element_list": [{"element_id": PRESET_ELEMENT}]}, f"{model} elements"
            )
            yield Case(
                feature,
                {**one, "sound": "on", "mode": "pro", "voice_list": [{"voice_id": PRESET_VOICE}]},
                f"{model} voices",
            )
            if i2v:
                for mode, duration in itertools.product(("std", "pro"), (5, 10)):
                    yield Case(
                        feature,
                        {**one, "mode": mode, "duration": duration, "image_tail": IMG},
                        f"{model} {mode} {duration}s end frame",
                    )
                    yield Case(
                        feature,
                        {**one, "mode": mode, "duration": duration, "static_mask": IMG},
                        f"{model} {mode} {duration}s motion brush",
                    )


def new_video_cases() -> Iterator[Case]:
    names = [m.name for m in catalog.NEW_VIDEO_MODELS]
    for i2v in (False, True):
        feature = "image_to_video" if i2v else "text_to_video"
        for model in names:
            for res, duration, audio in itertools.product(
                ("720p", "1080p", "4k"), _all_durations(), (None, "native", "off")
            ):
                p: dict[str, Any] = {"prompt": "a fox", "model_name": model, "resolution": res}
                p["duration"] = duration
                if audio:
                    p["audio"] = audio
                if i2v:
                    p["image"] = IMG
                yield Case(feature, p, f"{model}/{res}/{duration}s/audio={audio}")
            for ar in catalog.VIDEO_ASPECT_RATIOS:
                p = {"prompt": "a fox", "model_name": model, "aspect_ratio": ar}
                if i2v:
                    p["image"] = IMG
                yield Case(feature, p, f"{model} aspect {ar}")


def omni_video_cases(src: Sources) -> Iterator[Case]:
    inputs: dict[str, dict[str, Any]] = {
        "text": {},
        "first": {"image_list": [{"image_url": IMG, "type": "first_frame"}]},
        "first+end": {
            "image_list": [{"image_url": IMG, "type": "first_frame"}, {"image_url": IMG, "type": "end_frame"}]
        },
        "video": {"video_list": [{"video_url": src.video_url, "refer_type": "feature"}]},
    }
    legacy = [m.name for m in catalog.OMNI_VIDEO_MODELS]
    new = [m.new_name for m in catalog.OMNI_VIDEO_MODELS if m.new_name]
    for model in (*legacy, *new):
        for (kind, extra), mode, duration, sound in itertools.product(
            inputs.items(), catalog.VIDEO_MODES, _all_durations(), (None, "on")
        ):
            p = {"prompt": "a fox", "model_name": model, "mode": mode, "duration": duration, **extra}
            if sound:
                p["sound"] = sound
            yield Case("omni_video", p, f"{model}/{kind}/{mode}/{duration}s/sound={sound}")


def multi_image_video_cases() -> Iterator[Case]:
    for model in ("kling-v1-6", "kling-v2-6"):
        for count, mode, duration in itertools.product((1, 2, 4, 5), ("std", "pro"), (5, 10)):
            p = {
                "model_name": model,
                "prompt": "a fox",
                "image_list": [IMG] * count,
                "mode": mode,
                "duration": duration,
            }
            yield Case("multi-image2video", p, f"{model} {count} images {mode} {duration}s")


def extend_cases(src: Sources) -> Iterator[Case]:
    for key, video_id in src.videos.items():
        yield Case("video-extend", {"video_id": video_id, "prompt": "more"}, f"extend {key}")
        yield Case("video-extend", {"video_id": video_id, "cfg_scale": 0.3}, f"extend {key} cfg")
        yield Case("video-extend", {"video_id": video_id, "negative_prompt": "x"}, f"extend {key} negative")


def lip_sync_cases(src: Sources) -> Iterator[Case]:
    vid = next(iter(src.videos.values()))
    for lang, voices in catalog.VOICES.items():
        for voice in (*voices[:3], "no-such-voice"):
            for speed in (None, 0.5, 1.0, 2.0):
                p: dict[str, Any] = {
                    "video_id": vid,
                    "mode": "text2video",
                    "text": "hello",
                    "voice_id": voice,
                    "voice_language": lang,
                }
                if speed is not None:
                    p["voice_speed"] = speed
                yield Case("lip-sync", p, f"tts voice {lang}/{voice} speed {speed}")
    yield Case(
        "lip-sync",
        {"video_id": vid, "mode": "audio2video", "audio_type": "url", "audio_url": src.audio_url},
        "audio url",
    )
    yield Case(
        "lip-sync",
        {"video_url": src.video_url, "mode": "text2video", "text": "hi", "voice_id": catalog.VOICES["zh"][0]},
        "video url",
    )


def face_cases(src: Sources) -> Iterator[Case]:
    vid = next(iter(src.videos.values()))
    yield Case("identify-face", {"video_id": vid}, "by id")
    yield Case("identify-face", {"video_url": src.video_url}, "by url")
    face = {
        "face_id": "0",
        "audio_id": "a1",
        "sound_start_time": 0,
        "sound_end_time": 3000,
        "sound_insert_time": 0,
    }
    for count in (1, 2, 3):
        yield Case(
            "advanced-lip-sync",
            {"session_id": src.session_id, "face_choose": [face] * count},
            f"{count} faces",
        )
    for end in (1500, 2000, 4000, 9000):
        yield Case(
            "advanced-lip-sync",
            {"session_id": src.session_id, "face_choose": [{**face, "sound_end_time": end}]},
            f"audio to {end} ms",
        )


def effects_cases() -> Iterator[Case]:
    scenes = [
        *catalog.DUAL_IMAGE_EFFECTS[:3],
        *catalog.LEGACY_DUAL_EFFECTS,
        *catalog.SINGLE_IMAGE_EFFECTS[:4],
        "unknown_scene",
    ]
    for scene in scenes:
        for images, duration in itertools.product((1, 2), (None, 5, 10)):
            p: dict[str, Any] = {"effect_scene": scene}
            if images == 1:
                p["image"] = IMG
            else:
                p["images"] = [IMG, IMG]
            if duration:
                p["duration"] = duration
            yield Case("effects", p, f"{scene} {images} images {duration}s")


def image_cases() -> Iterator[Case]:
    names = [m.name for m in catalog.IMAGE_MODELS]
    ars = catalog.IMAGE_ASPECT_RATIOS
    for model in (*names, UNKNOWN_IMAGE):
        for with_image, res, n in itertools.product((False, True), catalog.IMAGE_RESOLUTIONS, (1, 2, 9, 10)):
            p: dict[str, Any] = {"model_name": model, "prompt": "a fox", "resolution": res, "n": n}
            if with_image:
                p["image"] = IMG
            yield Case("images/generations", p, f"{model} image={with_image} {res} n={n}")
        for ar in (*ars, "auto"):
            yield Case("images/generations", {"model_name": model, "prompt": "x", "aspect_ratio": ar}, ar)
        for ref in ("subject", "face"):
            p = {"model_name": model, "prompt": "x", "image": IMG, "image_reference": ref}
            yield Case("images/generations", p, f"{model} reference {ref}")
            yield Case("images/generations", {**p, "human_fidelity": 0.5}, f"{model} ref {ref} human")
        for fid in (0.0, 0.5, 1.0, 1.5):
            p = {"model_name": model, "prompt": "x", "image": IMG, "image_fidelity": fid}
            yield Case("images/generations", p, f"{model} image_fidelity {fid}")
        yield Case(
            "images/generations",
            {"model_name": model, "prompt": "x", "element_list": [{"element_id": PRESET_ELEMENT}]},
            f"{model} elements",
        )
    for model in (*catalog.MULTI_IMAGE_TO_IMAGE_MODELS, "kling-v1", UNKNOWN_IMAGE):
        for count, n in itertools.product((1, 4, 5), (1, 3)):
            p = {"model_name": model, "prompt": "x", "subject_image_list": [IMG] * count, "n": n}
            yield Case("multi-image2image", p, f"{model} {count} subjects n={n}")
        for ar in ars:
            p = {"model_name": model, "subject_image_list": [IMG], "aspect_ratio": ar}
            yield Case("multi-image2image", p, f"{model} {ar}")
    for up, left, n in itertools.product((0.0, 0.5, 1.0, 2.0), (0.0, 0.3, 1.0), (1, 2)):
        p = {
            "image": IMG,
            "up_expansion_ratio": up,
            "down_expansion_ratio": 0.0,
            "left_expansion_ratio": left,
            "right_expansion_ratio": 0.0,
            "n": n,
        }
        yield Case("expand", p, f"expand up={up} left={left} n={n}")
    for model in (*catalog.TRYON_MODELS, "kolors-unknown"):
        yield Case(
            "kolors-virtual-try-on", {"model_name": model, "human_image": IMG, "cloth_image": IMG}, model
        )
    for keep in (None, True, False):
        p = {"person_image": IMG, "product_image": IMG}
        if keep is not None:
            p["keep_face"] = keep
        yield Case("try_on", p, f"solution keep_face={keep}")


def omni_image_cases() -> Iterator[Case]:
    names = [m.name for m in catalog.OMNI_IMAGE_MODELS]
    for model in (*names, UNKNOWN_IMAGE):
        for res, result_type, amount, images in itertools.product(
            catalog.IMAGE_RESOLUTIONS, (None, "single", "series"), (None, 2, 9, 10, "auto"), (0, 1)
        ):
            p: dict[str, Any] = {"model_name": model, "prompt": "x", "resolution": res}
            if result_type:
                p["result_type"] = result_type
            if amount is not None:
                p["series_amount"] = amount
            if images:
                p["image_list"] = [IMG]
            yield Case("omni-image", p, f"{model} {res} {result_type} amount={amount} images={images}")
        for ar in (*catalog.IMAGE_ASPECT_RATIOS, "auto"):
            yield Case(
                "omni-image", {"model_name": model, "prompt": "x", "aspect_ratio": ar}, f"{model} {ar}"
            )
        for n in (1, 3, 9):
            yield Case("omni-image", {"model_name": model, "prompt": "x", "n": n}, f"{model} n={n}")


def audio_cases(src: Sources) -> Iterator[Case]:
    for d in (2.5, 3, 3.0, 3.5, 3.55, 7.25, 10, 10.5, "5"):
        yield Case("text-to-audio", {"prompt": "rain", "duration": d}, f"duration {d!r}")
    vid = next(iter(src.videos.values()))
    yield Case("video-to-audio", {"video_id": vid}, "by id")
    yield Case("video-to-audio", {"video_url": src.video_url}, "by url")
    yield Case("video-to-audio", {"video_id": vid, "asmr_mode": True, "bgm_prompt": "jazz"}, "asmr")
    for lang, voices in catalog.VOICES.items():
        for voice in (*voices[:2], "no-such-voice"):
            for speed in (None, 0.8, 2.0, 2.5):
                p: dict[str, Any] = {"text": "hello", "voice_id": voice, "voice_language": lang}
                if speed is not None:
                    p["voice_speed"] = speed
                yield Case("tts", p, f"{lang}/{voice} speed {speed}")


def kling4_cases() -> Iterator[Case]:
    """Kling 4.0 and Flash (and a reseller alias) on text and keyframes: durations, resolutions, aspect
    ratios and a last frame, each inside and just outside what the catalog allows."""
    names = [*catalog.kling4.MODELS, "kling-v4"]
    lo, hi = (
        min(m.durations[0] for m in catalog.kling4.MODELS.values()),
        max(m.durations[1] for m in catalog.kling4.MODELS.values()),
    )
    durations = sorted({lo - 1, lo, 5, 10, 20, 21, hi, hi + 1})
    for model, duration, resolution in itertools.product(names, durations, ("720p", "1080p", "4k")):
        base = {"model_name": model, "duration": duration, "resolution": resolution}
        for aspect in (*catalog.kling4.ASPECT_RATIOS[:2], "2:1"):
            yield Case("text_to_video", {**base, "prompt": "x", "aspect_ratio": aspect}, f"{model} {aspect}")
        yield Case("image_to_video", {**base, "prompt": "x", "image": IMG}, f"{model} first frame")
        yield Case("image_to_video", {**base, "image": IMG, "image_tail": IMG}, f"{model} last frame")


def late_2026_cases(src: Sources) -> Iterator[Case]:
    """The 2026-H2 routes: avatar, motion control (legacy and 2026), Image 4.0 and Long Image 4.0,
    elements, voices and image recognition, each with values inside and just outside the catalog's."""
    drive, library, image4 = catalog.drive, catalog.library, catalog.image4
    URL_AUDIO, URL_VIDEO = src.long_audio_url, src.video_url  # fetched by the sandbox
    for mode, prompt in itertools.product((None, *drive.AVATAR_MODES, "ultra"), ("", "x", "y" * 2501)):
        p = {"image": IMG, "sound_file": URL_AUDIO, "mode": mode, "prompt": prompt}
        yield Case("avatar", {k: v for k, v in p.items() if v not in (None, "")}, f"avatar {mode}")
    yield Case("avatar", {"image": IMG}, "avatar without audio")
    models = (None, *drive.MOTION_MODELS, "kling-v1")
    orientations = (None, *drive.MOTION_ORIENTATIONS, "sideways")
    for model, mode, orientation in itertools.product(models, (None, "std", "pro", "4k"), orientations):
        p = {"model_name": model, "image": IMG, "video": URL_VIDEO, "mode": mode}
        p["character_orientation"] = orientation
        yield Case("motion_control", {k: v for k, v in p.items() if v is not None}, f"motion {model} {mode}")
    for keep in (True, "no", "maybe"):
        yield Case("motion_control", {"image": IMG, "video": URL_VIDEO, "keep_original_sound": keep}, "keep")
    for model, resolution, n in itertools.product(image4.MODELS, ("1k", "2k", "4k", "8k"), (None, 1, 4, 10)):
        p = {"model_name": model, "prompt": "x", "resolution": resolution, "n": n}
        yield Case("omni_image", {k: v for k, v in p.items() if v is not None}, f"{model} {resolution} n={n}")
    for model, amount in itertools.product(image4.MODELS, ("auto", 2, 9, 12)):
        p = {"model_name": model, "prompt": "x", "result_type": "series", "series_amount": amount}
        yield Case("omni_image", p, f"{model} series {amount}")
    for name, count, kind in itertools.product(
        ("Hero", "x" * 21), (0, 1, 4, 5), (*library.ELEMENT_TYPES, "pet")
    ):
        yield Case(
            "create_element",
            {"name": name, "images": [IMG] * count, "element_type": kind},
            f"element {count}",
        )
    for name in ("Narrator", "", "x" * 21):
        yield Case("create_voice", {"name": name, "audio": URL_AUDIO}, f"voice {name[:8]!r}")
    for kind in (*catalog.recognize.KINDS, "sky_seg"):
        yield Case("recognize", {"image": IMG, "type": kind}, f"recognize {kind}")
    for shot in ({"image": IMG}, {"image": IMG, "callback_url": "https://example.com/cb"}, {}):
        yield Case("ai_multi_shot", shot, f"multi-shot {sorted(shot)}")


GROUPS: dict[str, Callable[[Sources], Iterator[Case]]] = {
    "legacy-video": lambda s: legacy_video_cases(),
    "new-video": lambda s: new_video_cases(),
    "omni-video": omni_video_cases,
    "multi-image-video": lambda s: multi_image_video_cases(),
    "extend": extend_cases,
    "lip-sync": lip_sync_cases,
    "faces": face_cases,
    "effects": lambda s: effects_cases(),
    "images": lambda s: image_cases(),
    "omni-image": lambda s: omni_image_cases(),
    "audio": audio_cases,
    "kling-4": lambda s: kling4_cases(),
    "late-2026": late_2026_cases,
}


# --- the wire body of a request the client refused -----------------------------------------------------


def _b64(value: Any) -> Any:
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, dict):
        return {k: _b64(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_b64(v) for v in value]
    return value


_NEW_SETTINGS = ("resolution", "duration", "audio", "aspect_ratio", "multi_shot")


def _late_2026_request(case: Case, p: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The wire body of a refused 2026-H2 request (their own field names), or None for other routes."""
    feature = catalog.feature_for(case.feature, case.params)
    if feature not in (
        "omni-image",
        "motion-control",
        "avatar",
        "custom-elements",
        "custom-voices",
        "image-recognize",
        "ai-multi-shot",
    ):
        return None
    p = dict(p)
    model = p.pop("model_name", None)
    if feature == "omni-image" and catalog.image4.canonical(model) is not None:
        settings = {k: p.pop(k) for k in ("resolution", "n", "result_type", "series_amount") if k in p}
        return f"/omni-image/{model}", {
            "contents": [{"type": "prompt", "text": p.pop("prompt")}],
            "settings": settings,
        }
    if feature == "motion-control":
        if model in catalog.drive.MOTION_MODELS and catalog.drive.MOTION_MODELS[model].route == "new":
            contents = [{"type": "image", "url": p.pop("image")}, {"type": "video", "url": p.pop("video")}]
            return f"/motion-control/{model}", {"contents": contents, "settings": p}
        body = {"image_url": p.pop("image"), "video_url": p.pop("video"), **p}
        if model is not None:
            body["model_name"] = model
        if isinstance(body.get("keep_original_sound"), bool):
            body["keep_original_sound"] = "yes" if body["keep_original_sound"] else "no"
        return catalog.endpoint(feature).path, body
    if feature == "custom-elements":
        p["references"] = [{"image_url": i} for i in p.pop("images")]
    if feature == "custom-voices":
        p["audio_url"] = p.pop("audio")
    if feature == "ai-multi-shot" and "image" in p:
        p[catalog.multishot.IMAGE_FIELD] = p.pop("image")
    if feature == "omni-image":
        return None  # an omni-image model before 4.0: the legacy route below
    if model is not None:
        p["model_name"] = model
    return catalog.endpoint(feature).path, p


def raw_request(case: Case) -> tuple[str, dict[str, Any]]:
    """The path and body a client written from the docs would send for ``case`` (no client-side checks)."""
    p = _b64(dict(case.params))
    h2 = _late_2026_request(case, p)
    if h2 is not None:
        return h2
    feature = resolve_feature(case.feature, case.params)
    if catalog.kling4.canonical(case.params.get("model_name")) is not None:  # 4.0: the 2026 routes
        feature = "image-to-video" if "image" in case.params else "text-to-video"
    ep = catalog.endpoint(feature)
    model = p.pop("model_name", None)
    if ep.model_in_path:
        body: dict[str, Any] = {}
        settings = {k: p.pop(k) for k in _NEW_SETTINGS if k in p}
        if "mode" in p:
            settings["resolution"] = catalog.MODE_RESOLUTION.get(p.pop("mode"), "720p")
        if "sound" in p:
            settings["audio"] = "native" if p.pop("sound") == "on" else "off"
        if "duration" in settings:
            settings["duration"] = int(settings["duration"])
        contents: list[dict[str, Any]] = []
        if "prompt" in p:
            if feature == "text-to-video":
                body["prompt"] = p.pop("prompt")
            else:
                contents.append({"type": "prompt", "text": p.pop("prompt")})
        if "image" in p:
            contents.append({"type": "first_frame", "url": p.pop("image")})
        if "image_tail" in p:
            contents.append({"type": "last_frame", "url": p.pop("image_tail")})
        for item in p.pop("image_list", []):
            kind = "first_frame" if item.get("type") == "first_frame" else "last_frame"
            contents.append({"type": kind, "url": item["image_url"]})
        for item in p.pop("video_list", []):
            contents.append({"type": "video", "url": item["video_url"], "refer_type": item.get("refer_type")})
        if contents:
            body["contents"] = contents
        if settings:
            body["settings"] = settings
        return f"{ep.path}/{model}", body
    if feature in ("lip-sync",):
        return ep.path, {"input": p}
    if feature == "effects":
        scene = p.pop("effect_scene")
        return ep.path, {"effect_scene": scene, "input": p}
    if feature == "virtual_try_on":
        body = {
            "contents": [
                {"type": "product_image", "url": p.pop("product_image")},
                {"type": "person_image", "url": p.pop("person_image")},
            ]
        }
        if p:
            body["settings"] = p
        return ep.path, body
    if "duration" in p and feature not in ("text-to-audio",):
        p["duration"] = str(p["duration"])
    if feature == "multi-image2video":
        p["image_list"] = [{"image": i} for i in p["image_list"]]
    if feature == "multi-image2image":
        p["subject_image_list"] = [{"subject_image": i} for i in p["subject_image_list"]]
    if feature == "omni-image" and "image_list" in p:
        p["image_list"] = [{"image": i} for i in p["image_list"]]
    if model is not None:
        p["model_name"] = model
    return ep.path, p


# --- running ----------------------------------------------------------------------------------------------


def _task_id(payload: dict[str, Any]) -> str | None:
    data = payload.get("data") or {}
    return data.get("task_id") or data.get("id") or data.get("session_id")


def prepare_sources(sb: Sandbox, api: httpx.Client) -> Sources:
    """Videos to extend / lip-sync (one per model and mode that makes one), a session and media URLs."""
    src = Sources()
    for model in ("kling-v1", "kling-v1-6", "kling-v2-6", "kling-v3"):
        for mode in ("std", "pro"):
            r = api.post("/v1/videos/text2video", json={"prompt": "src", "model_name": model, "mode": mode})
            src.videos[f"{model}/{mode}"] = r.json()["data"]["task_id"]
    first = next(iter(src.videos.values()))
    task = api.get(f"/v1/videos/text2video/{first}").json()["data"]
    video = task["task_result"]["videos"][0]
    src.videos = {
        k: api.get(f"/v1/videos/text2video/{v}").json()["data"]["task_result"]["videos"][0]["id"]
        for k, v in src.videos.items()
    }
    src.video_url = video["url"]
    face = api.post("/v1/videos/identify-face", json={"video_id": video["id"]}).json()["data"]
    src.session_id = face["session_id"]
    tts = api.post(
        "/v1/audio/tts",
        json={"text": "hello there", "voice_id": catalog.VOICES["zh"][0], "voice_language": "zh"},
    ).json()["data"]
    src.audio_url = tts["task_result"]["audios"][0]["url"]
    # The sandbox fetches input URLs as Kling does, so the late routes get real media of the sandbox's own.
    long_tts = {"text": "hello there " * 10, "voice_id": catalog.VOICES["zh"][0], "voice_language": "zh"}
    src.long_audio_url = api.post("/v1/audio/tts", json=long_tts).json()["data"]["task_result"]["audios"][0][
        "url"
    ]
    return src


def run_case(api: httpx.Client, case: Case) -> Outcome:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            spec = klingkit.prepare(case.feature, **dict(case.params))
    except klingkit.ValidationError as e:
        out = Outcome(case, client_ok=False, client_error=str(e), client_policy=getattr(e, "policy", None))
        path, body = raw_request(case)
    else:
        out = Outcome(
            case,
            client_ok=True,
            estimate=spec.estimate.units,
            exact=spec.estimate.exact,
            warnings=tuple(spec.warnings),
        )
        path, body = spec.path, spec.body
    r = api.post(path, json=body)
    payload = r.json()
    out.server_ok = r.status_code == 200 and payload.get("code") == 0
    if out.server_ok:
        out.task_id = _task_id(payload)
    else:
        out.server_error = f"{r.status_code}/{payload.get('code')} {payload.get('message')}"
    return out


def charges(api: httpx.Client) -> dict[str, float]:
    """task id -> units the sandbox deducted (its billing export), for every succeeded task."""
    found: dict[str, float] = {}
    cursor = ""
    while True:
        body: dict[str, Any] = {"start_time": 0, "limit": 500}
        if cursor:
            body["cursor"] = cursor
        page = api.post("/account/billing/package", json=body).json()["data"]
        for row in page["result"]["detail"]:
            found[row["task_id"]] = float(row["deduction_amount"])
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return found


def start(sb: Sandbox) -> httpx.Client:
    big = 10.0**9
    sb.configure(
        balances={"video": big, "image": big, "tryon": big, "audio": big},
        concurrency={"video": 10**6, "image": 10**6, "tryon": 10**6, "audio": 10**6},
    )
    headers = {"Authorization": f"Bearer {sb.api_key}"}
    return httpx.Client(base_url=sb.base_url, headers=headers, timeout=60)


def run_group(sb: Sandbox, api: httpx.Client, src: Sources, group: str) -> list[Outcome]:
    outcomes = [run_case(api, case) for case in GROUPS[group](src)]
    billed = charges(api)
    for o in outcomes:
        if o.task_id is not None:
            o.charged = billed.get(o.task_id)
    return outcomes


# Refusals that read the server's task history (policy server-state): the client cannot know these.
SERVER_STATE_MARKS = ("runs past the end", "can be extended")


def policy_of(o: Outcome) -> str | None:
    """Which named catalog policy explains a client/server difference on ``o`` (None: none does)."""
    if o.client_ok and not o.server_ok:
        for w in o.warnings:
            if "policy unknown-name" in w or "not in klingkit's" in w:
                return "unknown-name"
        if any(m in o.server_error for m in SERVER_STATE_MARKS):
            return "server-state"
    if not o.client_ok and o.server_ok and (o.client_policy or "the parameters of" in o.client_error):
        return o.client_policy or "undocumented-field"
    return None


def disagreements(outcomes: list[Outcome]) -> list[Outcome]:
    """Accepted by one side and refused by the other, with no named policy to explain it."""
    return [o for o in outcomes if o.client_ok != o.server_ok and o.policy is None]


def by_policy(outcomes: list[Outcome]) -> list[Outcome]:
    return [o for o in outcomes if o.client_ok != o.server_ok and o.policy is not None]


def price_differences(outcomes: list[Outcome]) -> list[Outcome]:
    """Both accepted, and the charge is not what an exact estimate said (or exceeds an inexact one)."""
    bad = []
    for o in outcomes:
        if not (o.client_ok and o.server_ok) or o.estimate is None or o.charged is None:
            continue
        if (o.exact and abs(o.charged - o.estimate) > 1e-6) or (
            not o.exact and o.charged > o.estimate + 1e-6
        ):
            bad.append(o)
    return bad


def main() -> int:
    verbose = "-v" in sys.argv
    totals = [0, 0, 0, 0]
    with Sandbox(time_scale=0.0) as sb:
        api = start(sb)
        src = prepare_sources(sb, api)
        print(f"{'group':<18} {'requests':>8} {'disagree':>8} {'price':>6} {'policy':>6}")
        for group in GROUPS:
            outcomes = run_group(sb, api, src, group)
            dis, price = disagreements(outcomes), price_differences(outcomes)
            totals[0] += len(outcomes)
            totals[1] += len(dis)
            totals[2] += len(price)
            totals[3] += len(by_policy(outcomes))
            print(
                f"{group:<18} {len(outcomes):>8} {len(dis):>8} {len(price):>6} {len(by_policy(outcomes)):>6}"
            )
            if verbose:
                for o in dis:
                    side = "client" if o.client_ok else "sandbox"
                    why = o.server_error if o.client_ok else o.client_error
                    print(f"   only {side} accepts: {o.case.feature} {o.case.name}: {why}")
                for o in price:
                    print(
                        f"   price: {o.case.feature} {o.case.name}: est {o.estimate} exact={o.exact} "
                        f"charged {o.charged}"
                    )
        print(f"{'total':<18} {totals[0]:>8} {totals[1]:>8} {totals[2]:>6} {totals[3]:>6}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
