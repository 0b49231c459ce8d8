"""The generate commands: video, image, extend, lipsync, effect, tryon, audio.

Each one creates a task, waits with live progress, and saves the outputs (with a JSON sidecar beside
each file). Choices and help come from the catalog; the library validates and prices every request
before anything is sent.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any, TypeVar

import click

from klingkit import catalog
from klingkit.catalog import _data

from ._camera import camera_help, parse_camera
from ._exit import CLIError
from ._run import DEFAULT_CONFIRM_ABOVE_USD, Guard, Job, run_job
from ._session import Session, session_options

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_VIDEO_MODEL = "kling-v2-6"
"""The model ``klingkit video`` uses when ``--model`` is not given."""
DEFAULT_IMAGE_MODEL = "kling-v2-1"
"""The model ``klingkit image`` uses when ``--model`` is not given."""

_MODE_CHOICES = tuple(_data.MODE_ALIASES)
_VIDEO_MODELS = [m.name for m in _data.VIDEO_MODELS] + [m.name for m in _data.NEW_VIDEO_MODELS]
_IMAGE_MODELS = [m.name for m in _data.IMAGE_MODELS]


def generate_options(func: F) -> F:
    """Options every generate command shares; the command receives ``guard: Guard``."""

    @click.option(
        "-o", "--output", metavar="PATH", help="File or directory to save to. [default: current directory]"
    )
    @click.option("--dry-run", is_flag=True, help="Validate and price only; send nothing.")
    @click.option(
        "--max-cost", type=float, metavar="USD", help="Refuse if the estimate is above USD dollars."
    )
    @click.option(
        "-y", "--yes", is_flag=True, help="Do not ask before an expensive task (needed without a terminal)."
    )
    @click.option(
        "--confirm-above",
        type=float,
        metavar="USD",
        help=f"Ask for confirmation above this estimate. [default: {DEFAULT_CONFIRM_ABOVE_USD:g}, "
        "env KLINGKIT_CONFIRM_ABOVE]",
    )
    @click.option("--no-download", is_flag=True, help="Wait, but do not save the outputs (print their URLs).")
    @click.option("--force", is_flag=True, help="Overwrite an existing -o file (else refused before paying).")
    @click.option(
        "--max-wait",
        type=click.FloatRange(min=1),
        metavar="SECONDS",
        help="Stop waiting after this long (the task keeps running; exit 8). [default: 1800]",
    )
    @functools.wraps(func)
    def wrapper(
        *args: Any,
        output: str | None,
        dry_run: bool,
        max_cost: float | None,
        yes: bool,
        confirm_above: float | None,
        no_download: bool,
        force: bool,
        max_wait: float | None,
        **kwargs: Any,
    ) -> Any:
        guard = Guard(
            dry_run=dry_run,
            max_cost=max_cost,
            yes=yes,
            confirm_above=confirm_above,
            download=not no_download,
            output=output,
            max_wait=max_wait,
            force=force,
        )
        return func(*args, guard=guard, **kwargs)

    return wrapper  # type: ignore[return-value]


def _media(value: str | None) -> str | None:
    """A local path is expanded; URLs and other strings pass through (the library reads the file)."""
    if value is None:
        return None
    if value.startswith(("http://", "https://")):
        return value
    expanded = os.path.expanduser(value)
    if not os.path.exists(expanded):
        raise CLIError(
            f"invalid image/media {value!r}: no such file",
            type="ValidationError",
            hint="give a path to an existing file or an http(s) URL",
        )
    return expanded


def _drop_none(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if v is not None}


_VIDEO_EPILOG = (
    "Examples:\n\n"
    '  klingkit video "sunset over ocean" -o sunset.mp4\n\n'
    '  klingkit video "animate scene" -i photo.png -d 10 -r 9:16 -m pro\n\n'
    '  klingkit video "a slow reveal" -i photo.png --model kling-v1-5 -m pro --camera zoom_in\n\n'
    '  klingkit video "test" --sandbox --dry-run'
)


@click.command(epilog=_VIDEO_EPILOG)
@click.argument("prompt", required=False)
@click.option("-i", "--image", metavar="PATH|URL", help="Start frame: makes this image-to-video.")
@click.option("--tail", metavar="PATH|URL", help="End frame (image-to-video).")
@click.option("-d", "--duration", type=int, help="Seconds (5 or 10; kling-v3: 3-15). [default: 5]")
@click.option(
    "-r", "--ratio", type=click.Choice(_data.VIDEO_ASPECT_RATIOS), help="Aspect ratio (text-to-video)."
)
@click.option(
    "-m",
    "--mode",
    type=click.Choice(_MODE_CHOICES, case_sensitive=False),
    help="std (720p), pro (1080p), 4k; standard/professional are aliases. [default: std]",
)
@click.option(
    "--model",
    default=DEFAULT_VIDEO_MODEL,
    show_default=True,
    metavar="NAME",
    help=f"Video model ({', '.join(_VIDEO_MODELS)}); see `klingkit models`.",
)
@click.option("--negative", metavar="TEXT", help="Negative prompt: what to avoid.")
@click.option("--cfg", type=float, metavar="0..1", help="Prompt adherence (cfg_scale; kling-v1.x only).")
@click.option("--camera", metavar="MOVE", help=camera_help())
@click.option("--sound/--no-sound", default=None, help="Native audio track (kling-v2-6 pro, kling-v3).")
@click.option("--multi-shot", is_flag=True, help="Let the model cut between shots (kling-v3, kling-3.0).")
@session_options
@generate_options
def video(
    session: Session,
    guard: Guard,
    prompt: str | None,
    image: str | None,
    tail: str | None,
    duration: int | None,
    ratio: str | None,
    mode: str | None,
    model: str,
    negative: str | None,
    cfg: float | None,
    camera: str | None,
    sound: bool | None,
    multi_shot: bool,
) -> None:
    """Generate a video from PROMPT (text-to-video), or animate --image (image-to-video)."""
    image_to_video = image is not None or tail is not None
    shown: dict[str, Any] = {}
    camera_control = None
    if camera:
        camera_control, described = parse_camera(camera)
        shown["camera_control"] = camera_control
        session.ui.info(f"camera: {described}")
    norm_mode = catalog.normalize_mode(mode) if mode else None
    new_model = catalog.new_video_model(model)
    params: dict[str, Any] = {
        "model_name": model,
        "prompt": prompt,
        "negative_prompt": negative,
        "duration": duration,
        "cfg_scale": cfg,
        "camera_control": camera_control,
        "multi_shot": True if multi_shot else None,
    }
    if new_model is not None:  # 2026 model-in-path routes speak resolution/audio, not mode/sound
        feature = "image-to-video" if image_to_video else "text-to-video"
        params["resolution"] = _data.MODE_RESOLUTION[norm_mode] if norm_mode else None
        params["audio"] = None if sound is None else ("native" if sound else "off")
    else:
        feature = "image2video" if image_to_video else "text2video"
        params["mode"] = norm_mode
        params["sound"] = None if sound is None else ("on" if sound else "off")
    if image_to_video:
        params["image"] = _media(image)
        params["image_tail"] = _media(tail)
    else:
        params["aspect_ratio"] = ratio
    if image_to_video and ratio:
        session.ui.warn("--ratio is ignored for image-to-video: the video follows the image's shape")
    job = Job(
        feature,
        _drop_none(params),
        "image-to-video" if image_to_video else "text-to-video",
        shown,
        duration=float(duration or _data.DEFAULT_VIDEO_DURATION),
    )
    run_job(session, job, guard)


@click.command()
@click.argument("prompt")
@click.option(
    "-n", "count", type=click.IntRange(_data.N_MIN, _data.N_MAX), help="How many images. [default: 1]"
)
@click.option(
    "-r", "--ratio", type=click.Choice(_data.IMAGE_ASPECT_RATIOS), help="Aspect ratio. [default: 16:9]"
)
@click.option("--resolution", type=click.Choice(("1k", "2k")), help="Image resolution. [default: 1k]")
@click.option("--ref", metavar="PATH|URL", help="Reference image (image-to-image).")
@click.option(
    "--ref-type", type=click.Choice(_data.IMAGE_REFERENCES), help="What to keep from --ref (subject or face)."
)
@click.option("--fidelity", type=float, metavar="0..1", help="How closely to follow --ref (image_fidelity).")
@click.option(
    "--model",
    default=DEFAULT_IMAGE_MODEL,
    show_default=True,
    metavar="NAME",
    help=f"Image model ({', '.join(_IMAGE_MODELS)}).",
)
@click.option("--negative", metavar="TEXT", help="Negative prompt (not with --ref).")
@session_options
@generate_options
def image(
    session: Session,
    guard: Guard,
    prompt: str,
    count: int | None,
    ratio: str | None,
    resolution: str | None,
    ref: str | None,
    ref_type: str | None,
    fidelity: float | None,
    model: str,
    negative: str | None,
) -> None:
    """Generate images from PROMPT (optionally guided by a --ref image)."""
    params = {
        "model_name": model,
        "prompt": prompt,
        "negative_prompt": negative,
        "n": count,
        "aspect_ratio": ratio,
        "resolution": resolution,
        "image": _media(ref),
        "image_reference": ref_type,
        "image_fidelity": fidelity,
    }
    run_job(session, Job("images/generations", _drop_none(params), "image"), guard)


def _video_id(session: Session, value: str) -> str:
    """A Kling video id from a video id, a task id or an external id (ledger first, then the API)."""
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


@click.command()
@click.argument("video")
@click.option("-p", "--prompt", metavar="TEXT", help="What happens next.")
@click.option("--negative", metavar="TEXT", help="Negative prompt.")
@click.option("--cfg", type=float, metavar="0..1", help="Prompt adherence (cfg_scale).")
@session_options
@generate_options
def extend(
    session: Session, guard: Guard, video: str, prompt: str | None, negative: str | None, cfg: float | None
) -> None:
    """Extend VIDEO (a video id, or the task id / external id that made it) by about 5 seconds."""
    vid = video if guard.dry_run else _video_id(session, video)
    params = {"video_id": vid, "prompt": prompt, "negative_prompt": negative, "cfg_scale": cfg}
    run_job(session, Job("video-extend", _drop_none(params), "extend"), guard)


@click.command()
@click.argument("video")
@click.option("--text", metavar="TEXT", help=f"Words to speak (<= {_data.LIPSYNC_TEXT_MAX} characters).")
@click.option("--voice", metavar="VOICE_ID", help="Voice for --text (e.g. genshin_vindi2).")
@click.option("--language", type=click.Choice(_data.VOICE_LANGUAGES), help="Voice language. [default: zh]")
@click.option("--speed", type=float, metavar="0.8..2.0", help="Voice speed. [default: 1.0]")
@click.option("--audio", metavar="PATH|URL", help="Audio to lip-sync to (instead of --text).")
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
    if (text is None) == (audio is None):
        raise CLIError(
            "give exactly one of --text or --audio", type="ValidationError", hint="--text 'hello' --voice ID"
        )
    params: dict[str, Any] = {"mode": "text2video" if text is not None else "audio2video"}
    if video.startswith(("http://", "https://")) or os.path.exists(os.path.expanduser(video)):
        params["video_url"] = _media(video)
    else:
        params["video_id"] = video if guard.dry_run else _video_id(session, video)
    if text is not None:
        params.update(text=text, voice_id=voice, voice_language=language, voice_speed=speed)
    else:
        is_url = audio is not None and audio.startswith(("http://", "https://"))
        params["audio_type"] = "url" if is_url else "file"
        params["audio_url" if is_url else "audio_file"] = audio if is_url else _media(audio)
    run_job(session, Job("lip-sync", _drop_none(params), "lip-sync"), guard)


@click.command()
@click.argument("scene")
@click.option(
    "-i",
    "--image",
    "images",
    multiple=True,
    metavar="PATH|URL",
    help="Input image (twice for two-person scenes).",
)
@click.option("--model", metavar="NAME", help="Model for the 2025 two-person scenes (hug, kiss, ...).")
@click.option(
    "-m",
    "--mode",
    type=click.Choice(_MODE_CHOICES, case_sensitive=False),
    help="Mode (2025 two-person scenes).",
)
@click.option("-d", "--duration", type=int, help="Seconds (2025 scenes).")
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
    """Apply the effect SCENE to one image (or two for two-person scenes such as hug_pro).

    Some scenes:"""
    params: dict[str, Any] = {"effect_scene": scene, "model_name": model, "duration": duration}
    params["mode"] = catalog.normalize_mode(mode) if mode else None
    paths = [_media(i) for i in images]
    if len(paths) == 1:
        params["image"] = paths[0]
    elif paths:
        params["images"] = paths
    run_job(session, Job("effects", _drop_none(params), f"effect {scene}"), guard)


assert effect.help is not None
effect.help += (
    ", ".join((*_data.SINGLE_IMAGE_EFFECTS[:8], *_data.DUAL_IMAGE_EFFECTS[:4]))
    + " (unknown names are passed on)."
)


@click.command()
@click.option("--person", required=True, metavar="PATH|URL", help="Photo of the person.")
@click.option("--garment", "--cloth", required=True, metavar="PATH|URL", help="Photo of the garment.")
@click.option("--model", type=click.Choice(_data.TRYON_MODELS), help="Try-on model (legacy route).")
@click.option("--solution", is_flag=True, help="Use the 2026 virtual_try_on solution route.")
@click.option("--keep-face/--no-keep-face", default=None, help="Solution route: keep the face.")
@click.option("--keep-pose/--no-keep-pose", default=None, help="Solution route: keep the pose.")
@click.option(
    "--keep-background/--no-keep-background", default=None, help="Solution route: keep the background."
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
    if solution:
        params: dict[str, Any] = {
            "person_image": _media(person),
            "product_image": _media(garment),
            "keep_face": keep_face,
            "keep_pose": keep_pose,
            "keep_background": keep_background,
        }
        feature = "virtual_try_on"
    else:
        params = {"model_name": model, "human_image": _media(person), "cloth_image": _media(garment)}
        feature = "kolors-virtual-try-on"
    run_job(session, Job(feature, _drop_none(params), "try-on"), guard)


@click.group()
def audio() -> None:
    """Generate audio: from text (sound effects), for a video, or speech (tts)."""


@audio.command("text")
@click.argument("prompt")
@click.option("-d", "--duration", type=float, required=True, metavar="3.0..10.0", help="Seconds of audio.")
@session_options
@generate_options
def audio_text(session: Session, guard: Guard, prompt: str, duration: float) -> None:
    """Sound from a text PROMPT (<= 200 characters)."""
    job = Job("text-to-audio", {"prompt": prompt, "duration": duration}, "text-to-audio", duration=duration)
    run_job(session, job, guard)


@audio.command("video")
@click.argument("video")
@click.option("--sfx", metavar="TEXT", help="Sound-effect prompt.")
@click.option("--bgm", metavar="TEXT", help="Background-music prompt.")
@click.option("--asmr", is_flag=True, help="ASMR mode.")
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
    if video.startswith(("http://", "https://")) or os.path.exists(os.path.expanduser(video)):
        params["video_url"] = _media(video)
    else:
        params["video_id"] = video if guard.dry_run else _video_id(session, video)
    run_job(session, Job("video-to-audio", _drop_none(params), "video-to-audio"), guard)


@audio.command("tts")
@click.argument("text")
@click.option("--voice", required=True, metavar="VOICE_ID", help="Voice id (e.g. genshin_vindi2).")
@click.option("--language", type=click.Choice(_data.VOICE_LANGUAGES), help="Language. [default: zh]")
@click.option("--speed", type=float, metavar="0.8..2.0", help="Speed. [default: 1.0]")
@session_options
@generate_options
def audio_tts(
    session: Session, guard: Guard, text: str, voice: str, language: str | None, speed: float | None
) -> None:
    """Speak TEXT (<= 1000 characters) with a preset voice."""
    params = {"text": text, "voice_id": voice, "voice_language": language, "voice_speed": speed}
    run_job(session, Job("tts", _drop_none(params), "tts"), guard)
