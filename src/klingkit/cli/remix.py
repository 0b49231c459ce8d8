"""Commands that start from something already made: extend, lipsync, effect, tryon, audio.

A video is named the way people have it at hand: the file klingkit saved (found in the ledger, or from
the JSON sidecar beside it), a task id or external id, or a Kling video id.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click

from klingkit import catalog, ops
from klingkit.catalog import lists

from ._exit import CLIError
from ._guard import Guard
from ._help import examples
from ._ops_options import ops_argument, ops_option
from ._run import Job, run_job
from ._run_flags import _drop_none, _is_url, _media, generate_options
from ._session import Session, session_options

# The voice speed's range and default are Kling's (the catalog's), shown as typed.
_SPEED_RANGE = "{:.1f}..{:.1f}".format(*catalog.VOICE_SPEED)
_SPEED_DEFAULT = f"[default: {catalog.VOICE_SPEED_DEFAULT:.1f}]"


def _made_here(session: Session, path: Path) -> tuple[str | None, str | None]:
    """(video id, task key) of a file klingkit saved: the ledger first, then its JSON sidecar."""
    resolved = str(path.resolve())
    for rec in session.ledger().find(None, limit=None):
        if resolved in (rec.files or []):
            session.adopt(rec)
            for out in rec.outputs or []:
                if out.get("kind") == "video" and out.get("id"):
                    return str(out["id"]), rec.external_id
            return None, rec.external_id
    side = path.with_name(path.name + ".json")
    if side.exists():
        try:
            data = json.loads(side.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None, None
        vid = (data.get("output") or {}).get("id")
        return (str(vid) if vid else None), data.get("external_id") or data.get("task_id")
    return None, None


def video_id(session: Session, value: str) -> str:
    """A Kling video id from a saved file, a task id, an external id or a video id."""
    path = Path(os.path.expanduser(value))
    if path.is_file():
        vid, key = _made_here(session, path)
        if vid:
            return vid
        if key is None:
            raise CLIError(
                f"invalid VIDEO {value!r}: a file klingkit did not make (no ledger row, no sidecar); "
                "nothing was sent",
                type="ValidationError",
                hint="extend needs a video Kling made: give its task id (see `klingkit history`)",
            )
        value = key
    rec = session.ledger().get(value)
    if rec is not None:
        session.adopt(rec)
        for recorded in rec.outputs or []:
            if recorded.get("kind") == "video" and recorded.get("id"):
                return str(recorded["id"])
        if rec.task_id:
            value = rec.task_id
    try:
        task = session.client().tasks.get(value, feature=rec.feature if rec else None)
    except Exception as exc:
        from klingkit.errors import NotFoundError

        if isinstance(exc, NotFoundError):
            return value  # not a task we can see: take it as a video id
        raise
    for out in task.videos:
        if out.id:
            return str(out.id)
    raise CLIError(f"task {value} has no video output yet", hint=f"wait for it: klingkit tasks wait {value}")


def _video_param(session: Session, guard: Guard, video: str, params: dict[str, Any]) -> None:
    """``video_id`` for a video Kling made (by file, task or id); ``video_url`` for another file or URL."""
    if _is_url(video):
        params["video_url"] = video
        return
    path = Path(os.path.expanduser(video))
    if path.is_file():
        vid, _ = _made_here(session, path)
        if vid:
            params["video_id"] = vid
        else:
            params["video_url"] = _media(video, "VIDEO")
        return
    params["video_id"] = video if guard.dry_run else video_id(session, video)


@click.command(
    epilog=examples(
        'klingkit extend sunset.mp4 -p "the sun sinks below the waves"',
        "klingkit extend <task-id> -o longer.mp4",
    )
)
@click.argument("video")
@ops_option("extend_video", "prompt", "-p", "--prompt", metavar="TEXT")
@ops_option("extend_video", "negative_prompt", "--negative", metavar="TEXT")
@ops_option("extend_video", "cfg_scale", "--cfg", metavar="0..1")
@session_options
@generate_options
def extend(
    session: Session, guard: Guard, video: str, prompt: str | None, negative: str | None, cfg: float | None
) -> None:
    """Extend VIDEO by about 5 seconds: a file klingkit saved, a task id, an external id or a video id."""
    path = Path(os.path.expanduser(video))
    vid = video if guard.dry_run and not path.is_file() else video_id(session, video)
    params = {"video_id": vid, "prompt": prompt, "negative_prompt": negative, "cfg_scale": cfg}
    run_job(session, Job("video-extend", _drop_none(params), "extend"), guard)


@click.command(
    epilog=examples(
        'klingkit lipsync talk.mp4 --text "Hello there" --voice genshin_vindi2',
        "klingkit lipsync talk.mp4 --audio speech.mp3",
        "klingkit voices",
    )
)
@click.argument("video")
@ops_option(
    "lip_sync",
    "text",
    "--text",
    metavar="TEXT",
    help=f"Words to speak (<= {catalog.LIPSYNC_TEXT_MAX} characters).",
)
@ops_option(
    "lip_sync",
    "voice_id",
    "--voice",
    lenient=True,
    metavar="VOICE_ID",
    help="Voice; required with --text (`klingkit voices` lists them).",
)
@ops_option(
    "lip_sync", "voice_language", "--language", help="Voice language. [default: the voice's own language]"
)
@ops_option("lip_sync", "voice_speed", "--speed", metavar=_SPEED_RANGE, help=f"Voice speed. {_SPEED_DEFAULT}")
@ops_option(
    "lip_sync", "audio", "--audio", metavar="PATH|URL", help="Audio to lip-sync to (instead of --text)."
)
@session_options
@generate_options
def lipsync(
    session: Session,
    guard: Guard,
    video: str,
    text: str | None,
    voice: str | None,
    language: str | None,
    speed: float | None,
    audio: str | None,
) -> None:
    """Make the face in VIDEO (a file, URL, video id or task id) speak --text or follow --audio."""
    name = os.path.basename(video)
    if (text is None) == (audio is None):
        raise CLIError(
            "give exactly one of --text or --audio",
            type="ValidationError",
            hint=f'klingkit lipsync {name} --text "Hello" --voice genshin_vindi2, or --audio speech.mp3',
        )
    if text is not None and voice is None:
        raise CLIError(
            "--text needs --voice: which voice should speak it; nothing was sent",
            type="ValidationError",
            hint=f'`klingkit voices` lists them; e.g. klingkit lipsync {name} --text "..." --voice genshin_vindi2',
        )
    params: dict[str, Any] = {"mode": "text2video" if text is not None else "audio2video"}
    _video_param(session, guard, video, params)
    if text is not None:
        language = language or (lists.voice_language(voice) if voice else None)
        params.update(text=text, voice_id=voice, voice_language=language, voice_speed=speed)
    else:
        is_url = audio is not None and _is_url(audio)
        params["audio_type"] = "url" if is_url else "file"
        params["audio_url" if is_url else "audio_file"] = audio if is_url else _media(audio, "--audio")
    run_job(session, Job("lip-sync", _drop_none(params), "lip-sync"), guard)


@click.command(
    epilog=examples(
        "klingkit effect bullet_time -i photo.png",
        "klingkit effect hug_pro -i photo.png -i photo.png",
        "klingkit effects",
    )
)
@ops_argument("apply_effect", "scene", "scene", metavar="SCENE", lenient=True)
@ops_option(
    "apply_effect",
    "images",
    "-i",
    "--image",
    "images",
    metavar="PATH|URL",
    help="Input image (twice for two-person scenes).",
)
@ops_option(
    "apply_effect",
    "model",
    "--model",
    lenient=True,
    metavar="NAME",
    help="Model for the 2025 two-person scenes (hug, kiss, ...).",
)
@ops_option("apply_effect", "mode", "-m", "--mode", also=ops.MODE_ALIASES, help="Mode (2025 scenes).")
@ops_option(
    "apply_effect",
    "duration",
    "-d",
    "--duration",
    seconds=True,
    metavar="SECONDS",
    help="Seconds (2025 scenes).",
)
@session_options
@generate_options
def effect(
    session: Session,
    guard: Guard,
    scene: str,
    images: tuple[str, ...],
    model: str | None,
    mode: str | None,
    duration: int | None,
) -> None:
    """Apply the effect SCENE to one image (or two for two-person scenes); `klingkit effects` lists them."""
    from klingkit import catalog

    params: dict[str, Any] = {"effect_scene": scene, "model_name": model, "duration": duration}
    params["mode"] = catalog.normalize_mode(mode) if mode else None
    paths = [_media(i) for i in images]
    if len(paths) == 1:
        params["image"] = paths[0]
    elif paths:
        params["images"] = paths
    run_job(session, Job("effects", _drop_none(params), f"effect {scene}"), guard)


def _keep_help(setting: str) -> str:
    default, what = catalog.tryon.SETTINGS[setting]
    return f"Keep {what} (Try-On {catalog.tryon.VERSION} solution route; chooses it). [default: {'on' if default else 'off'}]"


def _tryon_help() -> str:
    kinds = "; ".join(f"{k}: {v}" for k, v in catalog.tryon.GARMENT_PHOTOS.items())
    return (f"Dress --person in --garment (virtual try-on {catalog.tryon.VERSION}).\n\n"
            f"The garment photo may be {kinds}. One image per task, from the try-on pack (--dry-run prices it).")  # fmt: skip


@click.command(
    help=_tryon_help(),
    epilog=examples(
        "klingkit tryon --person person.png --garment shirt.png -o dressed.png",
        "klingkit tryon --person person.png --garment shirt.png --solution --keep-face",
        "klingkit tryon --person person.png --garment shirt.png --no-keep-background -o studio.png",
    ),
)
@ops_option(
    "try_on", "person_image", "--person", required=True, metavar="PATH|URL", help="Photo of the person."
)
@ops_option(
    "try_on",
    "garment_image",
    "--garment",
    "--cloth",
    required=True,
    metavar="PATH|URL",
    help="Photo of the garment.",
)
@ops_option("try_on", "model", "--model")
@ops_option("try_on", "solution", "--solution", help="Use the 2026 virtual_try_on solution route.")
@ops_option("try_on", "keep_face", "--keep-face/--no-keep-face", help=_keep_help("keep_face"))
@ops_option("try_on", "keep_pose", "--keep-pose/--no-keep-pose", help=_keep_help("keep_pose"))
@ops_option(
    "try_on", "keep_background", "--keep-background/--no-keep-background", help=_keep_help("keep_background")
)
@session_options
@generate_options
def tryon(
    session: Session,
    guard: Guard,
    person: str,
    garment: str,
    model: str | None,
    solution: bool,
    keep_face: bool | None,
    keep_pose: bool | None,
    keep_background: bool | None,
) -> None:
    """Dress --person in --garment (virtual try-on)."""
    if not solution and (keep_face, keep_pose, keep_background) != (None, None, None):
        solution = True  # the keep options exist on the solution route only: asking for one chooses it
    if solution and model:
        raise CLIError(f"--model {model} is a legacy try-on model; the solution route (--solution, --keep-*) "
                       "takes none", type="ValidationError",
                       hint="drop --model, or drop --solution and the --keep options")  # fmt: skip
    if solution:
        params: dict[str, Any] = {
            "person_image": _media(person, "--person"),
            "product_image": _media(garment, "--garment"),
            "keep_face": keep_face,
            "keep_pose": keep_pose,
            "keep_background": keep_background,
        }
        feature = "virtual_try_on"
    else:
        params = {
            "model_name": model,
            "human_image": _media(person, "--person"),
            "cloth_image": _media(garment, "--garment"),
        }
        feature = "kolors-virtual-try-on"
    run_job(session, Job(feature, _drop_none(params), "try-on"), guard)


@click.group(
    epilog=examples(
        'klingkit audio text "rain on a tin roof" -d 5 -o rain.mp3',
        'klingkit audio tts "Hello and welcome" --voice genshin_vindi2 -o hello.mp3',
        'klingkit audio video sunset.mp4 --bgm "calm piano"',
    )
)
def audio() -> None:
    """Generate audio: from text (sound effects), for a video, or speech (tts)."""


@audio.command("text", epilog=examples('klingkit audio text "rain on a tin roof" -d 5 -o rain.mp3'))
@click.argument("prompt")
@ops_option("generate_audio", "duration", "-d", "--duration", seconds=True, required=True, metavar="3..10")
@session_options
@generate_options
def audio_text(session: Session, guard: Guard, prompt: str, duration: float) -> None:
    """Sound from a text PROMPT (<= 200 characters)."""
    job = Job("text-to-audio", {"prompt": prompt, "duration": duration}, "text-to-audio", duration=duration)
    run_job(session, job, guard)


@audio.command(
    "video", epilog=examples('klingkit audio video sunset.mp4 --bgm "calm piano" -o sunset-audio.mp3')
)
@click.argument("video")
@ops_option("video_to_audio", "sound_effect_prompt", "--sfx", metavar="TEXT")
@ops_option("video_to_audio", "bgm_prompt", "--bgm", metavar="TEXT")
@ops_option("video_to_audio", "asmr_mode", "--asmr")
@session_options
@generate_options
def audio_video(
    session: Session, guard: Guard, video: str, sfx: str | None, bgm: str | None, asmr: bool
) -> None:
    """A soundtrack for VIDEO (a file, URL, video id or task id)."""
    params: dict[str, Any] = {
        "sound_effect_prompt": sfx,
        "bgm_prompt": bgm,
        "asmr_mode": True if asmr else None,
    }
    _video_param(session, guard, video, params)
    run_job(session, Job("video-to-audio", _drop_none(params), "video-to-audio"), guard)


@audio.command(
    "tts", epilog=examples('klingkit audio tts "Hello and welcome" --voice genshin_vindi2 -o hello.mp3')
)
@click.argument("text")
@ops_option("text_to_speech", "voice_id", "--voice", required=True, lenient=True, metavar="VOICE_ID")
@ops_option("text_to_speech", "voice_language", "--language", help="Language. [default: the voice's own]")
@ops_option("text_to_speech", "voice_speed", "--speed", metavar=_SPEED_RANGE, help=f"Speed. {_SPEED_DEFAULT}")
@session_options
@generate_options
def audio_tts(
    session: Session, guard: Guard, text: str, voice: str, language: str | None, speed: float | None
) -> None:
    """Speak TEXT with a preset voice (`klingkit voices` lists them)."""
    language = language or lists.voice_language(voice)
    params = {"text": text, "voice_id": voice, "voice_language": language, "voice_speed": speed}
    run_job(session, Job("tts", _drop_none(params), "tts"), guard)
