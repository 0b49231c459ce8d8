"""The operations, each described once: the CLI and the MCP server are two views of these entries.

Adding an operation is one row of :data:`OPERATIONS`: a name, a title, the CLI command that does the same,
how its arguments become a library request (a function of :mod:`._build`; None for free operations), a
summary, and its parameters. A parameter is its name, its JSON schema (built from the catalog, see
:mod:`._schema`), whether it is required, and its CLI spelling (``--model``, ``-d``, or ``PROMPT`` for an
argument). The CLI's options take their types, choices, ranges, defaults and help from these schemas
(``klingkit.cli._ops_options``), and a test checks that every spelled parameter agrees with its CLI flag.
"""

from __future__ import annotations

from ..catalog.lists import modes_in_words
from . import _build as B
from . import _schema as S
from ._build import ResolveVideo
from ._registry_h2 import OPERATIONS_H2
from ._types import Operation, P, Param
from ._types import op as _op

__all__ = ["OPERATIONS", "Operation", "Param", "ResolveVideo"]


# --- parameters several operations share -------------------------------------------------------------

_PROMPT = P("prompt", S.text("What to generate.", S.prompt_max()), "PROMPT")
_NEGATIVE = P("negative_prompt", S.text("What to avoid.", S.prompt_max()), "--negative")
_CFG = P(
    "cfg_scale", S.number(f"Prompt adherence (cfg_scale; for {S.cfg_models()}).", *S.cfg_range()), "--cfg"
)
_VIDEO_MODES = S.video_modes()
_VIDEO_DURATIONS = S.video_durations()
_VOICE = P(
    "voice_id",
    S.suggest(
        S.voices(),
        "A voice id: a preset (`klingkit voices` lists them; the examples "
        "are some) or a custom voice create_voice made.",
    ),
    "--voice",
)
_LANGUAGE = P("voice_language", S.enum(S.voice_languages(), "Voice language."), "--language")
_SPEED = P("voice_speed", S.number("Voice speed.", *S.voice_speed()), "--speed")
_VIDEO_REF = S.text("A video file/URL, video id, or task/external id.")
_AUDIO_MAX, _AUDIO_SECONDS = S.text_to_audio()
_AVATAR_MODES, _AVATAR_PROMPT = S.avatar()
_MOTION_MODELS, _MOTION_MODEL, _MOTION_MODES, _ORIENTATIONS, _MOTION_PROMPT = S.motion()
_NAME_MAX, _DESCRIPTION_MAX, _REFERENCES, _ELEMENT_TYPES = S.library()
_SOUNDTRACK_MAX = S.video_to_audio_prompt_max()

# --- the operations that create a (paid) task -----------------------------------------------------------

_GENERATE: tuple[Operation, ...] = (
    _op(
        "generate_video", "Generate a video", "klingkit video", B.video,
        "Generate a video from a prompt (text-to-video) or animate an image (image-to-video).",
        _PROMPT,
        P("model", S.enum(S.video_models(), "Video model.", S.DEFAULT_VIDEO_MODEL), "--model"),
        P("duration", S.enum(_VIDEO_DURATIONS, "Seconds (the model decides which).", 5), "-d"),
        P("mode", S.enum(_VIDEO_MODES, f"{modes_in_words(_VIDEO_MODES)}.", "std"), "--mode"),
        P("aspect_ratio", S.enum(S.video_aspect_ratios(), "Aspect ratio (text-to-video).", "16:9"), "-r"),
        P("image", S.media("Start frame: makes this image-to-video"), "--image"),
        P("images", S.array(S.media("A person or thing to show (multi-image to video)"), 1, S.multi_image_max()),
          "--images"),
        P("image_tail", S.media("End frame (image-to-video)"), "--tail"),
        P("middle_frames", S.array(S.media("Middle keyframe, in order"), 1, S.keyframes_max()), "--frame"),
        _NEGATIVE,
        _CFG,
        P("camera", S.enum(S.camera_presets(), "Camera move preset."), "--camera"),
        P("sound", S.boolean("Native audio track (models with sound)."), "--sound"),
        P("multi_shot", S.boolean("Let the model cut between shots."), "--multi-shot"),
    ),
    _op(
        "generate_image", "Generate images", "klingkit image", B.image,
        "Generate one or more images from a prompt, optionally guided by a reference image.",
        P("prompt", S.text("What to generate.", S.prompt_max()), "PROMPT", required=True),
        P("model", S.enum(S.image_models(), "Image model.", S.DEFAULT_IMAGE_MODEL), "--model"),
        P("n", S.number("How many images.", *S.image_count(), default=1, integer=True), "-n"),
        P("aspect_ratio", S.enum(S.image_aspect_ratios(), "Aspect ratio.", "16:9"), "-r"),
        P("resolution", S.enum(S.image_resolutions(), "Image resolution.", "1k"), "--resolution"),
        P("image", S.media("Reference image (image-to-image)"), "--ref"),
        P("image_reference", S.enum(S.image_references(), "What to keep from the reference."), "--ref-type"),
        P("image_fidelity", S.number("How closely to follow the reference.", 0, 1), "--fidelity"),
        _NEGATIVE,
    ),
    _op(
        "generate_audio", "Generate a sound", "klingkit audio text", B.audio,
        "Generate a sound effect or ambience from a text prompt.",
        P("prompt", S.text("The sound to make.", _AUDIO_MAX), "PROMPT", required=True),
        P("duration", S.number("Seconds of audio.", *_AUDIO_SECONDS), "-d", required=True),
    ),
    _op(
        "video_to_audio", "Add a soundtrack", "klingkit audio video", B.soundtrack,
        "Generate sound effects and background music for a video.",
        P("video", _VIDEO_REF, "VIDEO", required=True),
        P("sound_effect_prompt", S.text("Sound-effect prompt.", _SOUNDTRACK_MAX), "--sfx"),
        P("bgm_prompt", S.text("Background-music prompt.", _SOUNDTRACK_MAX), "--bgm"),
        P("asmr_mode", S.boolean("ASMR mode."), "--asmr"),
    ),
    _op(
        "text_to_speech", "Speak text", "klingkit audio tts", B.speech,
        "Speak a text with a preset voice (answers at once: the task is finished when created).",
        P("text", S.text("Words to speak.", S.tts_text_max()), "TEXT", required=True),
        P(_VOICE.name, _VOICE.schema, _VOICE.flag, required=True),
        _LANGUAGE,
        _SPEED,
    ),
    _op(
        "extend_video", "Extend a video", "klingkit extend", B.extend,
        "Extend a generated video by about 5 seconds.",
        P("video", S.text("A video id, or the task id / external id that made it."), "VIDEO", required=True),
        P("prompt", S.text("What happens next.", S.prompt_max()), "--prompt"),
        _NEGATIVE,
        _CFG,
    ),
    _op(
        "lip_sync", "Lip-sync a video", "klingkit lipsync", B.lip_sync,
        "Make the face in a video speak a text (with a voice) or follow an audio file.",
        P("video", _VIDEO_REF, "VIDEO", required=True),
        P("text", S.text("Words to speak.", S.lipsync_text_max()), "--text"),
        _VOICE,
        _LANGUAGE,
        _SPEED,
        P("audio", S.media("Audio to follow instead of text"), "--audio"),
    ),
    _op(
        "apply_effect", "Apply a video effect", "klingkit effect", B.effect,
        "Turn one image (or two, for two-person scenes) into a short effect video.",
        P("scene", S.suggest(S.effect_scenes(), "Effect scene: `klingkit effects` lists them (the examples are "
                             "the packaged ones); scenes added to $KLINGKIT_EFFECTS count too."), "SCENE", True),
        P("images", S.array(S.media("Input image"), 1, 2), "--image", required=True),
        P("model", S.enum(S.video_models(), "Model (two-person scenes)."), "--model"),
        P("mode", S.enum(_VIDEO_MODES, "Mode (two-person scenes)."), "--mode"),
        P("duration", S.enum(_VIDEO_DURATIONS, "Seconds (two-person scenes)."), "-d"),
    ),
    _op(
        "try_on", "Virtual try-on", "klingkit tryon", B.try_on,
        "Dress a person in a garment (virtual try-on image). Try-On 3.0 (the solution route, chosen by "
        "solution or any keep_* setting) keeps the face, pose and background unless told not to.",
        P("person_image", S.media("Photo of the person"), "--person", required=True),
        P("garment_image", S.media(f"Photo of the garment ({S.tryon_garments()})"), "--garment", required=True),
        P("model", S.enum(S.tryon_models(), "Try-on model (legacy route)."), "--model"),
        P("solution", S.boolean("Use the Try-On 3.0 solution route."), "--solution"),
        *(P(name, S.boolean(f"Keep {what} (Try-On 3.0; on unless false; chooses the solution route)."),
            f"--{name.replace('_', '-')}") for name, (_, what) in S.tryon_settings().items()),
    ),
    _op(
        "generate_avatar", "Talking portrait", "klingkit avatar", B.avatar,
        "Animate a portrait speaking an audio file (or a TTS audio id); the video is as long as the audio.",
        P("image", S.media("The portrait to animate"), "--image", required=True),
        P("audio", S.media("The speech (mp3/wav/m4a/aac)"), "--audio"),
        P("audio_id", S.text("An audio id from text_to_speech, instead of audio."), "--audio-id"),
        P("prompt", S.text("How the person moves or looks.", _AVATAR_PROMPT), "--prompt"),
        P("mode", S.enum(_AVATAR_MODES, f"{modes_in_words(_AVATAR_MODES)}.", "std"), "--mode"),
    ),
    _op(
        "motion_control", "Motion control", "klingkit motion", B.motion,
        "Make the character in an image perform the motion of a reference video (same length as the video).",
        P("image", S.media("The character to move"), "--image", required=True),
        P("video", S.media("The motion reference video"), "--video", required=True),
        P("model", S.enum(_MOTION_MODELS, "Motion control model.", _MOTION_MODEL), "--model"),
        P("prompt", S.text("Scene or style.", _MOTION_PROMPT), "--prompt"),
        P("mode", S.enum(_MOTION_MODES, f"{modes_in_words(_MOTION_MODES)}."), "--mode"),
        P("orientation", S.enum(_ORIENTATIONS, "Face the way the image or the video does."), "--orientation"),
        P("keep_sound", S.boolean("Keep the reference video's sound."), "--keep-sound"),
    ),
    _op(
        "create_element", "Create an element", "klingkit elements create", B.element,
        "Create a reusable element (a character, object or scene) from reference images; its id is in the "
        "result's outputs, for Kling 4.0 prompts (@name).",
        P("name", S.text("The element's name.", _NAME_MAX), "NAME", required=True),
        P("images", S.array(S.media("Reference image"), *_REFERENCES), "--image", required=True),
        P("element_type", S.enum(_ELEMENT_TYPES, "What it is."), "--type"),
        P("description", S.text("A short description.", _DESCRIPTION_MAX), "--description"),
        P("tags", S.array(S.text("A tag.")), "--tag"),
    ),
    _op(
        "create_voice", "Create a voice", "klingkit voices create", B.voice,
        "Create a custom voice from a 5-30 s sample; its id is in the result's outputs.",
        P("name", S.text("The voice's name.", _NAME_MAX), "NAME", required=True),
        P("audio", S.media("A 5-30 s voice sample"), "--audio", required=True),
    ),
    *OPERATIONS_H2,
)  # fmt: skip

# --- free operations ----------------------------------------------------------------------------------

_HANDLE = P("handle", S.text("The external_id (or task_id) a generate call returned."), "TASK", required=True)

_FREE: tuple[Operation, ...] = (
    _op(
        "estimate", "Validate and price", "klingkit cost", None,
        "Check a generate call's arguments and price them; nothing is sent, nothing is paid.",
        P("operation", S.enum([o.name for o in _GENERATE], "Which generate tool."), required=True),
        P("arguments", {"type": "object", "description": "That tool's arguments."}, required=True),
        offline=True,
    ),
    _op(
        "task_status", "Task status", "klingkit tasks get", None,
        "The current status of a task started by a generate call (one status check, free).",
        _HANDLE,
    ),
    _op(
        "task_result", "Task result (saved files)", "klingkit tasks download", None,
        "The saved files of a finished task (paths, sizes, duration, sidecar, units charged); free. "
        "Optionally waits up to wait_seconds for the task to finish.",
        _HANDLE,
        P("wait_seconds", S.number("Wait this long for the task to finish.", 0, 50, 0)),  # MCP only
    ),
    _op(
        "list_tasks", "List tasks", "klingkit history", None,
        "Tasks recorded in the local ledger, newest first (free, no request).",
        P("search", S.text("Substring of the prompt, ids, model or feature."), "SEARCH"),
        P("status", S.enum(S.task_statuses(), "Only tasks with this status."), "--status"),
        P("unfinished", S.boolean("Only tasks still pending or running (not abandoned)."), "--unfinished"),
        P("batch", S.text("Only the rows of this batch, in row order (the id a batch printed)."), "--batch"),
        P("limit", S.number("At most this many.", 1, None, 50, integer=True), "--limit"),
        offline=True,
    ),
    _op(
        "models", "Models and capabilities", "klingkit models", None,
        "What can be asked for: models, modes, durations, resolutions, effect scenes, voices and unit "
        "prices, from the catalog (offline).",
        P("kind", S.enum(S.model_kinds(), "Which models.", S.model_kinds()[-1]), "--kind"),
        offline=True,
    ),
    _op(
        "account_balance", "Account balance", "klingkit account", None,
        "Resource packs and remaining units of the account (a free call).",
    ),
)  # fmt: skip

OPERATIONS: dict[str, Operation] = {op.name: op for op in (*_GENERATE, *_FREE)}
"""Every operation by name, generate operations first."""
