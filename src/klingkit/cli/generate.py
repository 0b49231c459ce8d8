"""``klingkit video`` and ``klingkit image``, the two commands most runs start with.

Each one creates a task, waits with live progress, and saves the outputs (with a JSON sidecar beside
each file). Choices and help come from the catalog; the library validates and prices every request
before anything is sent. The run flags they share with every spending command are in ``_run_flags``.
"""

from __future__ import annotations

from typing import Any

import click

from klingkit import catalog, ops

from ._argforms import GreedyCommand, WithSubcommands, complete_subcommands
from ._camera import camera_help, parse_camera
from ._exit import CLIError
from ._fit import FIT_CHOICES
from ._guard import Guard
from ._help import examples, modes_in_words
from ._ops_options import ops_option
from ._options import prompt_options
from ._run import Job, run_job
from ._run_flags import PRICE_ONLY_PROMPT, _drop_none, _is_url, _media, generate_options
from ._session import Session, session_options

# The operation registry holds these defaults once, for the CLI, the MCP tools and the skill.
DEFAULT_VIDEO_MODEL = ops.DEFAULT_VIDEO_MODEL
"""The model ``klingkit video`` uses when ``--model`` is not given."""
DEFAULT_IMAGE_MODEL = ops.DEFAULT_IMAGE_MODEL
"""The model ``klingkit image`` uses when ``--model`` is not given."""


def _fitted(session: Session, image: str | None, ratio: str | None, fit: str) -> str | None:
    """The start frame fitted to ``-r`` (Kling makes the clip in the image's shape); says what was done."""
    if image is None or ratio is None:
        return image
    if _is_url(image):
        session.ui.warn(
            f"-r {ratio} with an image URL: the clip follows the image's shape; "
            "pass a local file to have it fitted to the ratio"
        )
        return image
    from ._fit import fit_image

    try:
        path, done = fit_image(image, ratio, fit)
    except OSError as exc:
        raise CLIError(
            f"invalid -i/--image {image!r}: not an image Pillow can read ({exc}); nothing was sent",
            type="ValidationError",
            hint="give a PNG or JPEG file",
        ) from None
    if done:
        session.ui.info(f"image: {done}")
    return path


_VIDEO_EPILOG = examples(
    'klingkit video "sunset over ocean" -o sunset.mp4',
    'klingkit video "animate scene" -i photo.png -d 10 -r 9:16 -m pro',
    'klingkit video "a slow reveal" -i photo.png --model kling-v1-5 -m pro --camera zoom_in',
    'klingkit video "walk through the seasons" -i a.png --frame b.png --frame c.png --last d.png --model kling-4.0 -d 20',
    'klingkit video "the two friends meet in a park" --images a.png b.png c.png -d 10 -r 9:16',
)


@click.command(cls=GreedyCommand, greedy=("--images",), epilog=_VIDEO_EPILOG)
@prompt_options(required=False)
@click.option("-i", "--image", metavar="PATH|URL", help="Start frame: makes this image-to-video.")
@click.option(
    "--images",
    "images",
    multiple=True,
    metavar="PATH|URL...",
    help=f"Multi-image to video: the people and things to show, up to {catalog.MULTI_IMAGE_VIDEO_MAX} images "
    f"(--images A B C; {', '.join(catalog.MULTI_IMAGE_TO_VIDEO_MODELS)}). Give the prompt before it.",
)
@click.option("--tail", "--last", "tail", metavar="PATH|URL", help="End frame (image-to-video).")
@click.option(
    "--frame",
    "frames",
    multiple=True,
    metavar="PATH|URL",
    help="A middle keyframe, in order ({}; with -i as the first frame).".format(
        ", ".join(
            f"{m.name}: up to {m.keyframes_middle_max}" if m.keyframes_middle_max else f"none on {m.name}"
            for m in catalog.kling4.MODELS.values()
        )
    ),
)
@ops_option(
    "generate_video",
    "duration",
    "-d",
    "--duration",
    seconds=True,
    metavar="SECONDS",
    help="Seconds, e.g. 5, 10 or 10s (the model decides which).",
)
@ops_option(
    "generate_video",
    "aspect_ratio",
    "-r",
    "--ratio",
    help="Aspect ratio; with -i the image is fitted to it (see --fit).",
)
@click.option(
    "--fit",
    type=click.Choice(FIT_CHOICES),
    default="crop",
    show_default=True,
    help="How -i is fitted to -r: crop the centre, pad with bars, or keep it as is.",
)
@ops_option(
    "generate_video",
    "mode",
    "-m",
    "--mode",
    also=ops.MODE_ALIASES,
    help=f"{modes_in_words(catalog.VIDEO_MODES)}; standard/professional are aliases.",
)
@ops_option(
    "generate_video",
    "model",
    "--model",
    lenient=True,
    take_default=True,
    metavar="NAME",
    help="Video model; `klingkit models` lists them with what each supports and costs.",
)
@ops_option("generate_video", "negative_prompt", "--negative", metavar="TEXT")
@ops_option("generate_video", "cfg_scale", "--cfg", metavar="0..1")
@ops_option("generate_video", "camera", "--camera", lenient=True, metavar="MOVE", help=camera_help())
@ops_option(
    "generate_video",
    "sound",
    "--sound/--no-sound",
    help="Native audio track ("
    + ", ".join(f"{m.name} {'/'.join(m.sound_modes)}" for m in catalog.VIDEO_MODELS if m.sound_modes)
    + ").",
)
@ops_option(
    "generate_video",
    "multi_shot",
    "--multi-shot",
    help=f"Let the model cut between shots ({', '.join(catalog.models_where(lambda m: m.multi_shot))}).",
)
@session_options
@generate_options
def video(
    session: Session,
    guard: Guard,
    prompt: str | None,
    image: str | None,
    images: tuple[str, ...],
    tail: str | None,
    frames: tuple[str, ...],
    duration: int | None,
    ratio: str | None,
    fit: str,
    mode: str | None,
    model: str,
    negative: str | None,
    cfg: float | None,
    camera: str | None,
    sound: bool | None,
    multi_shot: bool,
) -> None:
    """Generate a video from PROMPT (text-to-video), animate --image (image-to-video), or bring several
    --images together in one video (multi-image to video).

    The prompt is PROMPT, -p TEXT or --prompt-file FILE; '-' reads it from stdin.
    """
    if images:
        typed = (
            click.get_current_context().get_parameter_source("model") != click.core.ParameterSource.DEFAULT
        )
        from ._multi_image import multi_image_video  # only --images runs need it

        others = {"-i/--image": image, "--last/--tail": tail, "--frame": frames, "--cfg": cfg, "--camera": camera,
                  "--sound/--no-sound": sound, "--multi-shot": multi_shot}  # fmt: skip
        chosen = model if typed else None
        multi_image_video(session, guard, prompt, images, duration, ratio, mode, chosen, negative, others)
        return
    image_to_video = image is not None or tail is not None
    if prompt is None and guard.dry_run and not image_to_video:
        prompt = PRICE_ONLY_PROMPT  # pricing needs no prompt (`klingkit cost video -d 10`)
    shown: dict[str, Any] = {}
    camera_control = None
    if camera:
        camera_control, _ = parse_camera(camera)
        shown["camera_control"] = camera_control
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
        # --multi-shot lets the model choose the cuts (a shot list is a batch-file feature)
        "shot_type": "intelligence" if multi_shot else None,
    }
    if new_model is not None:  # 2026 model-in-path routes speak resolution/audio, not mode/sound
        feature = "image-to-video" if image_to_video else "text-to-video"
        params["resolution"] = catalog.resolution_for_mode(norm_mode) if norm_mode else None
        params["audio"] = catalog.audio_for_sound(sound)
    else:
        feature = "image2video" if image_to_video else "text2video"
        params["mode"] = norm_mode
        params["sound"] = None if sound is None else ("on" if sound else "off")
    if image_to_video:
        params["image"] = _fitted(session, _media(image), ratio, fit) if image else None
        params["image_tail"] = _media(tail, "--last/--tail")
        if frames:  # Kling 4.0 keyframes; other models refuse middle_frames by name
            params["middle_frames"] = [_media(f, "--frame") for f in frames]
        if ratio:
            shown["ratio"] = ratio
    else:
        params["aspect_ratio"] = ratio
    job = Job(
        feature,
        _drop_none(params),
        "image-to-video" if image_to_video else "text-to-video",
        shown,
        duration=float(duration or catalog.DEFAULT_VIDEO_DURATION),
    )
    run_job(session, job, guard)


@click.command(
    cls=WithSubcommands,
    subcommands={
        "expand": "klingkit.cli.image_cmd:image_expand",
        "omni": "klingkit.cli.image_cmd:image_omni",
    },
    epilog=examples(
        'klingkit image "a lighthouse at dusk" -n 3 -r 1:1 -o out/',
        'klingkit image "the same lighthouse in winter" -i lighthouse.png --ref-type subject -o winter.png',
        "klingkit image expand lighthouse.png --left 0.5 --right 0.5",
    ),
)
@prompt_options(complete=complete_subcommands)
@click.option(
    "-n", "count", type=click.IntRange(catalog.N_MIN, catalog.N_MAX), help="How many images. [default: 1]"
)
@ops_option("generate_image", "aspect_ratio", "-r", "--ratio")
@ops_option("generate_image", "resolution", "--resolution")
@ops_option(
    "generate_image",
    "image",
    "-i",
    "--image",
    "--ref",
    "ref",
    metavar="PATH|URL",
    help="Reference image (image-to-image).",
)
@ops_option("generate_image", "image_reference", "--ref-type", help="What to keep from -i (subject or face).")
@ops_option(
    "generate_image",
    "image_fidelity",
    "--fidelity",
    metavar="0..1",
    help="How closely to follow -i (image_fidelity).",
)
@ops_option(
    "generate_image",
    "model",
    "--model",
    lenient=True,
    take_default=True,
    metavar="NAME",
    help="Image model; `klingkit models --kind image` lists them.",
)
@ops_option(
    "generate_image", "negative_prompt", "--negative", metavar="TEXT", help="Negative prompt (not with -i)."
)
@session_options
@generate_options
def image(
    session: Session,
    guard: Guard,
    prompt: str | None,
    count: int | None,
    ratio: str | None,
    resolution: str | None,
    ref: str | None,
    ref_type: str | None,
    fidelity: float | None,
    model: str,
    negative: str | None,
) -> None:
    """Generate images from PROMPT (optionally guided by an -i/--ref image).

    The prompt is PROMPT, -p TEXT or --prompt-file FILE; '-' reads it from stdin. `klingkit image expand`
    outpaints an image and `klingkit image omni` takes references, elements and series (a prompt that is
    exactly "expand" or "omni" is given with -p).
    """
    if prompt is None and guard.dry_run:
        prompt = PRICE_ONLY_PROMPT
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
