"""The operations, each described once: the CLI and the MCP server are two views of these entries.

Adding an operation is one :class:`Operation` entry in :data:`OPERATIONS`: a name, a summary, its
parameters (schemas from the catalog, see :mod:`._schema`), whether it costs money, the CLI command
that does the same, and (for paid ones) how its arguments become a library request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import _schema as S

__all__ = ["OPERATIONS", "Operation", "Param", "ResolveVideo"]

ResolveVideo = Callable[[str], str]
"""Turns what an agent calls a video (a video id, or the task/external id that made it) into a video id."""

Build = Callable[[Mapping[str, Any], ResolveVideo], tuple[str, dict[str, Any]]]


@dataclass(frozen=True)
class Param:
    """One argument: its name, JSON schema, whether it is required and the CLI's spelling of it."""

    name: str
    schema: dict[str, Any]
    required: bool = False
    flag: str | None = None


@dataclass(frozen=True)
class Operation:
    """One thing klingkit can do for a person or an agent.

    ``paid`` operations create a Kling task (priced before sending); the others are free. ``build`` maps
    the arguments to ``(catalog feature, library params)``, which ``klingkit.prepare`` validates and prices.
    """

    name: str
    title: str
    summary: str
    paid: bool
    params: tuple[Param, ...] = ()
    cli: str | None = None
    build: Build | None = field(default=None, compare=False)
    network: bool = True  # False: answered from the catalog alone (offline)

    def input_schema(self) -> dict[str, Any]:
        """The JSON Schema (an object) of this operation's arguments."""
        return {
            "type": "object",
            "properties": {p.name: dict(p.schema) for p in self.params},
            "required": [p.name for p in self.params if p.required],
            "additionalProperties": False,
        }

    def request(
        self, args: Mapping[str, Any], resolve_video: ResolveVideo = str
    ) -> tuple[str, dict[str, Any]]:
        """``(feature, params)`` for ``klingkit.prepare``; None values are left out."""
        if self.build is None:
            raise TypeError(f"{self.name} does not create a task")
        feature, params = self.build(args, resolve_video)
        return feature, {k: v for k, v in params.items() if v is not None}


def _media_or_id(value: str | None, resolve: ResolveVideo) -> dict[str, Any]:
    """A video given as a URL or path is sent as ``video_url``; anything else is an id to resolve."""
    import os

    if value is None:
        return {}
    if value.startswith(("http://", "https://")) or os.path.exists(os.path.expanduser(value)):
        return {"video_url": os.path.expanduser(value) if not value.startswith("http") else value}
    return {"video_id": resolve(value)}


# --- builds: arguments -> (feature, library params) -------------------------------------------------


def _video(a: Mapping[str, Any], _: ResolveVideo) -> tuple[str, dict[str, Any]]:
    from klingkit import catalog

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
        params.update(image=a.get("image"), image_tail=a.get("image_tail"))
    else:
        params["aspect_ratio"] = a.get("aspect_ratio")
    return feature, params


def _image(a: Mapping[str, Any], _: ResolveVideo) -> tuple[str, dict[str, Any]]:
    keys = ("prompt", "negative_prompt", "n", "aspect_ratio", "resolution", "image", "image_reference")
    params = {k: a.get(k) for k in keys}
    params["model_name"] = a.get("model") or S.DEFAULT_IMAGE_MODEL
    params["image_fidelity"] = a.get("image_fidelity")
    return "images/generations", params


def _audio(a: Mapping[str, Any], _: ResolveVideo) -> tuple[str, dict[str, Any]]:
    return "text-to-audio", {"prompt": a.get("prompt"), "duration": a.get("duration")}


def _soundtrack(a: Mapping[str, Any], resolve: ResolveVideo) -> tuple[str, dict[str, Any]]:
    params: dict[str, Any] = _media_or_id(a.get("video"), resolve)
    params.update(
        sound_effect_prompt=a.get("sound_effect_prompt"),
        bgm_prompt=a.get("bgm_prompt"),
        asmr_mode=True if a.get("asmr_mode") else None,
    )
    return "video-to-audio", params


def _speech(a: Mapping[str, Any], _: ResolveVideo) -> tuple[str, dict[str, Any]]:
    keys = ("text", "voice_id", "voice_language", "voice_speed")
    return "tts", {k: a.get(k) for k in keys}


def _extend(a: Mapping[str, Any], resolve: ResolveVideo) -> tuple[str, dict[str, Any]]:
    params = {k: a.get(k) for k in ("prompt", "negative_prompt", "cfg_scale")}
    params["video_id"] = resolve(str(a.get("video", "")))
    return "video-extend", params


def _lip_sync(a: Mapping[str, Any], resolve: ResolveVideo) -> tuple[str, dict[str, Any]]:
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


def _effect(a: Mapping[str, Any], _: ResolveVideo) -> tuple[str, dict[str, Any]]:
    from klingkit import catalog

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


def _try_on(a: Mapping[str, Any], _: ResolveVideo) -> tuple[str, dict[str, Any]]:
    return "kolors-virtual-try-on", {
        "model_name": a.get("model"),
        "human_image": a.get("person_image"),
        "cloth_image": a.get("garment_image"),
    }


# --- the entries ----------------------------------------------------------------------------------

_PROMPT = Param("prompt", S.text("What to generate.", S.prompt_max()), flag="PROMPT")
_NEGATIVE = Param("negative_prompt", S.text("What to avoid.", S.prompt_max()), flag="--negative")
_CFG = Param("cfg_scale", S.number("Prompt adherence (cfg_scale).", *S.cfg_range()), flag="--cfg")
_VOICE = (
    Param("voice_id", S.enum(S.voices(), "Voice preset id."), flag="--voice"),
    Param("voice_language", S.enum(S.voice_languages(), "Voice language."), flag="--language"),
    Param("voice_speed", S.number("Voice speed.", *S.voice_speed()), flag="--speed"),
)
_AUDIO_MAX, _AUDIO_SECONDS = S.text_to_audio()

_GENERATE: tuple[Operation, ...] = (
    Operation(
        "generate_video",
        "Generate a video",
        "Generate a video from a prompt (text-to-video) or animate an image (image-to-video).",
        paid=True,
        cli="klingkit video",
        build=_video,
        params=(
            _PROMPT,
            Param("model", S.enum(S.video_models(), "Video model.", S.DEFAULT_VIDEO_MODEL), flag="--model"),
            Param(
                "duration", S.enum(S.video_durations(), "Seconds (the model decides which).", 5), flag="-d"
            ),
            Param("mode", S.enum(S.video_modes(), "std 720p, pro 1080p, 4k.", "std"), flag="--mode"),
            Param(
                "aspect_ratio", S.enum(S.video_aspect_ratios(), "Aspect ratio (text-to-video)."), flag="-r"
            ),
            Param("image", S.media("Start frame: makes this image-to-video"), flag="--image"),
            Param("image_tail", S.media("End frame (image-to-video)"), flag="--tail"),
            _NEGATIVE,
            _CFG,
            Param("camera", S.enum(S.camera_presets(), "Camera move preset."), flag="--camera"),
            Param("sound", S.boolean("Native audio track (models with sound)."), flag="--sound"),
            Param("multi_shot", S.boolean("Let the model cut between shots."), flag="--multi-shot"),
        ),
    ),
    Operation(
        "generate_image",
        "Generate images",
        "Generate one or more images from a prompt, optionally guided by a reference image.",
        paid=True,
        cli="klingkit image",
        build=_image,
        params=(
            Param("prompt", S.text("What to generate.", S.prompt_max()), required=True, flag="PROMPT"),
            Param("model", S.enum(S.image_models(), "Image model.", S.DEFAULT_IMAGE_MODEL), flag="--model"),
            Param("n", S.number("How many images.", *S.image_count(), default=1, integer=True), flag="-n"),
            Param("aspect_ratio", S.enum(S.image_aspect_ratios(), "Aspect ratio.", "16:9"), flag="-r"),
            Param(
                "resolution", S.enum(S.image_resolutions(), "Image resolution.", "1k"), flag="--resolution"
            ),
            Param("image", S.media("Reference image (image-to-image)"), flag="--ref"),
            Param(
                "image_reference",
                S.enum(S.image_references(), "What to keep from the reference."),
                flag="--ref-type",
            ),
            Param(
                "image_fidelity", S.number("How closely to follow the reference.", 0, 1), flag="--fidelity"
            ),
            _NEGATIVE,
        ),
    ),
    Operation(
        "generate_audio",
        "Generate a sound",
        "Generate a sound effect or ambience from a text prompt.",
        paid=True,
        cli="klingkit audio text",
        build=_audio,
        params=(
            Param("prompt", S.text("The sound to make.", _AUDIO_MAX), required=True, flag="PROMPT"),
            Param("duration", S.number("Seconds of audio.", *_AUDIO_SECONDS), required=True, flag="-d"),
        ),
    ),
    Operation(
        "video_to_audio",
        "Add a soundtrack",
        "Generate sound effects and background music for a video.",
        paid=True,
        cli="klingkit audio video",
        build=_soundtrack,
        params=(
            Param("video", S.text("A video file/URL, video id, or task/external id."), True, "VIDEO"),
            Param(
                "sound_effect_prompt", S.text("Sound effects.", S.video_to_audio_prompt_max()), flag="--sfx"
            ),
            Param("bgm_prompt", S.text("Background music.", S.video_to_audio_prompt_max()), flag="--bgm"),
            Param("asmr_mode", S.boolean("ASMR mode."), flag="--asmr"),
        ),
    ),
    Operation(
        "text_to_speech",
        "Speak text",
        "Speak a text with a preset voice (answers at once: the task is finished when created).",
        paid=True,
        cli="klingkit audio tts",
        build=_speech,
        params=(
            Param("text", S.text("Words to speak.", S.tts_text_max()), required=True, flag="TEXT"),
            *(Param(p.name, p.schema, required=p.name == "voice_id", flag=p.flag) for p in _VOICE),
        ),
    ),
    Operation(
        "extend_video",
        "Extend a video",
        "Extend a generated video by about 5 seconds.",
        paid=True,
        cli="klingkit extend",
        build=_extend,
        params=(
            Param("video", S.text("A video id, or the task id / external id that made it."), True, "VIDEO"),
            Param("prompt", S.text("What happens next.", S.prompt_max()), flag="--prompt"),
            _NEGATIVE,
            _CFG,
        ),
    ),
    Operation(
        "lip_sync",
        "Lip-sync a video",
        "Make the face in a video speak a text (with a voice) or follow an audio file.",
        paid=True,
        cli="klingkit lipsync",
        build=_lip_sync,
        params=(
            Param("video", S.text("A video file/URL, video id, or task/external id."), True, "VIDEO"),
            Param("text", S.text("Words to speak.", S.lipsync_text_max()), flag="--text"),
            *_VOICE,
            Param("audio", S.media("Audio to follow instead of text"), flag="--audio"),
        ),
    ),
    Operation(
        "apply_effect",
        "Apply a video effect",
        "Turn one image (or two, for two-person scenes) into a short effect video.",
        paid=True,
        cli="klingkit effect",
        build=_effect,
        params=(
            Param("scene", S.enum(S.effect_scenes(), "Effect scene."), required=True, flag="SCENE"),
            Param(
                "images",
                {"type": "array", "items": S.media("Input image"), "minItems": 1, "maxItems": 2},
                required=True,
                flag="--image",
            ),
            Param("model", S.enum(S.video_models(), "Model (two-person scenes)."), flag="--model"),
            Param("mode", S.enum(S.video_modes(), "Mode (two-person scenes)."), flag="--mode"),
            Param("duration", S.enum(S.video_durations(), "Seconds (two-person scenes)."), flag="-d"),
        ),
    ),
    Operation(
        "try_on",
        "Virtual try-on",
        "Dress a person in a garment (virtual try-on image).",
        paid=True,
        cli="klingkit tryon",
        build=_try_on,
        params=(
            Param("person_image", S.media("Photo of the person"), required=True, flag="--person"),
            Param("garment_image", S.media("Photo of the garment"), required=True, flag="--garment"),
            Param("model", S.enum(S.tryon_models(), "Try-on model."), flag="--model"),
        ),
    ),
)

_HANDLE = Param(
    "handle",
    S.text("The external_id (or task_id) a generate call returned."),
    required=True,
    flag="ID",
)

_FREE: tuple[Operation, ...] = (
    Operation(
        "estimate",
        "Validate and price",
        "Check a generate call's arguments and price them; nothing is sent, nothing is paid.",
        paid=False,
        network=False,
        cli="klingkit cost",
        params=(
            Param("operation", S.enum([o.name for o in _GENERATE], "Which generate tool."), required=True),
            Param("arguments", {"type": "object", "description": "That tool's arguments."}, required=True),
        ),
    ),
    Operation(
        "task_status",
        "Task status",
        "The current status of a task started by a generate call (one status check, free).",
        paid=False,
        cli="klingkit tasks get",
        params=(_HANDLE,),
    ),
    Operation(
        "task_result",
        "Task result (saved files)",
        "The saved files of a finished task (paths, sizes, duration, sidecar, units charged); free. "
        "Optionally waits up to wait_seconds for the task to finish.",
        paid=False,
        cli="klingkit tasks download",
        params=(
            _HANDLE,
            Param(
                "wait_seconds",
                S.number("Wait this long for the task to finish.", 0, 50, 0),
                flag="--max-wait",
            ),
        ),
    ),
    Operation(
        "list_tasks",
        "List tasks",
        "Tasks recorded in the local ledger, newest first (free, no request).",
        paid=False,
        network=False,
        cli="klingkit history",
        params=(
            Param("search", S.text("Substring of the prompt, ids, model or feature."), flag="SEARCH"),
            Param(
                "status",
                S.enum(
                    ["pending", "submitted", "processing", "succeeded", "failed", "rejected"],
                    "Only tasks with this status.",
                ),
                flag="--status",
            ),
            Param("limit", S.number("At most this many.", 1, 200, 20, integer=True), flag="--limit"),
        ),
    ),
    Operation(
        "models",
        "Models and capabilities",
        "What can be asked for: models, modes, durations, resolutions, effect scenes, voices and unit "
        "prices, from the catalog (offline).",
        paid=False,
        network=False,
        cli="klingkit models",
    ),
    Operation(
        "account_balance",
        "Account balance",
        "Resource packs and remaining units of the account (a free call).",
        paid=False,
        cli="klingkit account",
    ),
)

OPERATIONS: dict[str, Operation] = {op.name: op for op in (*_GENERATE, *_FREE)}
"""Every operation by name, generate operations first."""
