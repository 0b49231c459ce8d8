"""``klingkit avatar``, ``klingkit motion`` and ``klingkit omni``: the 2026-H2 generations.

Each runs the same path as ``klingkit video`` (validate and price offline, cost guards, ledger row before
the create, live wait, save with a sidecar); the choices come from the catalog.
"""

from __future__ import annotations

from typing import Any

import click

from klingkit.catalog import drive, kling4

from ._exit import CLIError
from ._help import modes_in_words
from ._ops_options import ops_argument, ops_option
from ._run import Guard, Job, run_job
from ._run_flags import _drop_none, _media, generate_options
from ._session import Session, session_options

_DURATION_HELP = "Seconds: {}. [default: {}]".format(
    ", ".join("{} {}-{}".format(m.name, *m.durations) for m in kling4.MODELS.values()),
    kling4.DEFAULT_DURATION,
)
_AVATAR_EPILOG = (
    "Examples:\n\n"
    "  klingkit avatar -i portrait.png --audio speech.mp3 -o talk.mp4\n\n"
    '  klingkit avatar -i portrait.png --audio-id 8765 -p "smiles, nods" -m pro\n\n'
    "  klingkit avatar -i portrait.png --audio speech.wav --sandbox --dry-run"
)


@click.command(epilog=_AVATAR_EPILOG)
@click.option("-i", "--image", required=True, metavar="PATH|URL", help="The portrait to animate.")
@click.option(
    "--audio",
    metavar="PATH|URL",
    help="The speech (mp3/wav/m4a/aac, {:g}-{:g} s).".format(*drive.AVATAR_AUDIO_SECONDS),
)
@click.option("--audio-id", metavar="ID", help="An audio id from `klingkit audio tts` instead of --audio.")
@click.option("-p", "--prompt", metavar="TEXT", help="How the person moves or looks (optional).")
@click.option(
    "-m",
    "--mode",
    type=click.Choice(drive.AVATAR_MODES),
    help=f"{modes_in_words(drive.AVATAR_MODES)}. [default: {drive.AVATAR_DEFAULT_MODE}]",
)
@session_options
@generate_options
def avatar(
    session: Session,
    guard: Guard,
    image: str,
    audio: str | None,
    audio_id: str | None,
    prompt: str | None,
    mode: str | None,
) -> None:
    """A talking portrait: --image driven by --audio (or --audio-id); the video lasts as long as the audio.

    Priced per second of audio (--dry-run prices a run); an --audio-id's length is unknown here, so the
    estimate assumes the longest audio allowed.
    """
    if bool(audio) == bool(audio_id):
        raise CLIError("give exactly one of --audio and --audio-id", type="ValidationError",
                       hint="--audio FILE for a recording, --audio-id ID for a TTS result")  # fmt: skip
    params = {"image": _media(image), "sound_file": _media(audio, "--audio"), "audio_id": audio_id, "prompt": prompt,
              "mode": mode}  # fmt: skip
    run_job(session, Job("avatar", _drop_none(params), "avatar"), guard)


_MOTION_EPILOG = (
    "Examples:\n\n"
    "  klingkit motion -i hero.png --video dance.mp4 -o hero-dance.mp4\n\n"
    "  klingkit motion -i hero.png --video https://example.com/dance.mp4 --model kling-3.0 -m pro\n\n"
    "  klingkit motion -i hero.png --video dance.mp4 --orientation video --keep-sound --dry-run"
)


@click.command(epilog=_MOTION_EPILOG)
@click.option("-i", "--image", required=True, metavar="PATH|URL", help="The character to move.")
@click.option("--video", required=True, metavar="PATH|URL", help="The motion reference video.")
@click.option(
    "--model",
    type=click.Choice(tuple(drive.MOTION_MODELS)),
    default=drive.MOTION_DEFAULT_MODEL,
    show_default=True,
    help=" ".join(
        f"{m.name} uses the 2026 route {drive.MOTION_NEW.path}/{m.name}."
        for m in drive.MOTION_MODELS.values()
        if m.route == "new"
    ),
)
@click.option("-p", "--prompt", metavar="TEXT", help="Scene or style (optional).")
@click.option("-m", "--mode", type=click.Choice(tuple(drive.MOTION_MODES)),
              help=" or ".join(f"{m} ({r})" for m, r in drive.MOTION_MODES.items()) + ".")  # fmt: skip
@click.option(
    "--orientation",
    type=click.Choice(drive.MOTION_ORIENTATIONS),
    help="Face the way the image does (reference up to {:g} s) or the video does (up to {:g} s).".format(
        drive.MOTION_VIDEO_SECONDS["image"][1], drive.MOTION_VIDEO_SECONDS["video"][1]
    ),
)
@click.option("--keep-sound/--no-keep-sound", default=None, help="Keep the reference video's sound.")
@session_options
@generate_options
def motion(
    session: Session,
    guard: Guard,
    image: str,
    video: str,
    model: str,
    prompt: str | None,
    mode: str | None,
    orientation: str | None,
    keep_sound: bool | None,
) -> None:
    """Motion control: the character in --image performs the motion of --video (same length as --video).

    Field names of this route are confidence L (no official page in our reference).
    """
    params: dict[str, Any] = {"model_name": model, "image": _media(image), "video": _media(video, "--video"),
                              "prompt": prompt, "character_orientation": orientation,
                              "keep_original_sound": keep_sound}  # fmt: skip
    if drive.MOTION_MODELS[model].route == "new":
        params["resolution"] = drive.MOTION_MODES.get(mode) if mode else None
    else:
        params["mode"] = mode
    run_job(session, Job("motion_control", _drop_none(params), "motion control"), guard)


_OMNI_EPILOG = (
    "Examples:\n\n"
    '  klingkit omni "@hero walks into @city at dusk" --element hero=8812 --element city=9901 -d 10\n\n'
    '  klingkit omni "the same shot, but at night" --base-video clip.mp4 --keep-sound\n\n'
    '  klingkit omni "a product turntable" --ref front.png --ref side.png --model kling-4.0-flash --dry-run'
)


_OMNI = "omni_video"


def _named(values: tuple[str, ...]) -> dict[str, str] | list[str]:
    """``name=ID`` pairs (the name is what the prompt says after @) or bare ids (named by themselves)."""
    if all("=" in v for v in values):
        return dict(v.split("=", 1) for v in values)
    if any("=" in v for v in values):
        raise CLIError(
            "mix of name=ID and bare ids", type="ValidationError", hint="use name=ID for every item"
        )
    return list(values)


@click.command(epilog=_OMNI_EPILOG)
@ops_argument(_OMNI, "prompt", "prompt")
@ops_option(
    _OMNI,
    "refs",
    "--ref",
    "refs",
    metavar="PATH|URL",
    help=f"Reference image (up to {kling4.OMNI_IMAGES_MAX}).",
)
@ops_option(
    _OMNI,
    "elements",
    "--element",
    "elements",
    metavar="NAME=ID",
    help=f"Element, named @NAME (up to {kling4.OMNI_ELEMENTS_MAX}).",
)
@ops_option(
    _OMNI,
    "voices",
    "--voice",
    "voices",
    metavar="NAME=ID",
    help=f"Voice, named @NAME (up to {kling4.OMNI_VOICES_MAX}).",
)
@ops_option(
    _OMNI, "feature_videos", "--feature-video", "feature_videos", metavar="PATH|URL", help="Feature video."
)
@ops_option(
    _OMNI,
    "base_video",
    "--base-video",
    metavar="PATH|URL",
    help="A video to edit (the result keeps its length).",
)
@ops_option(_OMNI, "keep_sound", "--keep-sound", help="With --base-video: keep its original sound.")
@ops_option(_OMNI, "model", "--model", take_default=True)
@ops_option(_OMNI, "duration", "-d", "--duration", help=_DURATION_HELP)
@ops_option(_OMNI, "mode", "-m", "--mode")
@ops_option(_OMNI, "aspect_ratio", "-r", "--ratio")
@session_options
@generate_options
def omni(
    session: Session,
    guard: Guard,
    prompt: str,
    refs: tuple[str, ...],
    elements: tuple[str, ...],
    voices: tuple[str, ...],
    feature_videos: tuple[str, ...],
    base_video: str | None,
    keep_sound: bool,
    model: str,
    duration: int | None,
    mode: str | None,
    ratio: str | None,
) -> None:
    """Kling 4.0 omni video from PROMPT with references, elements and voices (named @NAME in the prompt).

    Audio is always generated. Shapes are confidence M and prices L (estimates are approximate).
    """
    params: dict[str, Any] = {
        "model_name": model,
        "prompt": prompt,
        "refer_images": [_media(r, "--ref") for r in refs] or None,
        "feature_videos": [_media(v, "--feature-video") for v in feature_videos] or None,
        "base_video": _media(base_video, "--base-video"),
        "elements": _named(elements) if elements else None,
        "voices": _named(voices) if voices else None,
        "keep_original_sound": True if keep_sound else None,
        "duration": duration,
        "mode": mode,
        "aspect_ratio": ratio,
    }
    run_job(session, Job("omni_video", _drop_none(params), "omni video", duration=duration), guard)
