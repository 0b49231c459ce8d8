"""``klingkit image expand`` (outpainting) and ``klingkit image omni`` (references, elements, series; Kling
Image 4.0 and Long Image 4.0), the subcommands of ``klingkit image``.

Both run the path of every generate command (validate and price offline, cost guards, ledger row before
the create, live wait, save with a sidecar); the rules, limits and prices are the catalog's.
"""

from __future__ import annotations

from typing import Any

import click

from klingkit import catalog
from klingkit.catalog import image4

from ._exit import CLIError
from ._help import examples
from ._ops_options import ops_argument, ops_option
from ._options import prompt_options
from ._run import Guard, Job, run_job
from ._run_flags import PRICE_ONLY_PROMPT, _drop_none, _media, generate_options
from ._session import Session, session_options


@click.command(
    "expand",
    help="Outpaint IMAGE: extend it on each side.\n\nEach side grows by a share of the width or height; the "
    f"new image is at most {catalog.EXPAND_AREA_MAX:g}x the original area (/v1/images/editing/expand; "
    "--dry-run prices it).",
    epilog=examples(
        "klingkit image expand photo.png --left 0.5 --right 0.5 -o wide.png",
        'klingkit image expand photo.png --up 0.3 --down 0.3 -p "more sky and sand" -n 2',
    ),
)
@ops_argument("expand_image", "image", "image", metavar="IMAGE")
@ops_option("expand_image", "up", "--up", take_default=True)
@ops_option("expand_image", "down", "--down", take_default=True)
@ops_option("expand_image", "left", "--left", take_default=True)
@ops_option("expand_image", "right", "--right", take_default=True)
@ops_option(
    "expand_image", "prompt", "-p", "--prompt", metavar="TEXT", help="What the new area shows (optional)."
)
@ops_option("expand_image", "n", "-n", "count", help="How many images. [default: 1]")
@session_options
@generate_options
def image_expand(
    session: Session,
    guard: Guard,
    image: str,
    up: float,
    down: float,
    left: float,
    right: float,
    prompt: str | None,
    count: int | None,
) -> None:
    """Outpaint IMAGE (the help text is built from the catalog above)."""
    if not any((up, down, left, right)):
        raise CLIError("nothing to expand: every side is 0", type="ValidationError",
                       hint="give at least one of --up, --down, --left, --right, e.g. --left 0.5")  # fmt: skip
    params = {
        "image": _media(image, "IMAGE"),
        "up_expansion_ratio": up,
        "down_expansion_ratio": down,
        "left_expansion_ratio": left,
        "right_expansion_ratio": right,
        "prompt": prompt,
        "n": count,
    }
    run_job(session, Job("expand", _drop_none(params), "image expand"), guard)


_OMNI = "omni_image"


def _series(value: str | None) -> int | str | None:
    if value is None or value == "auto":
        return value
    try:
        return int(value)
    except ValueError:
        raise CLIError(f"invalid --series {value!r}", type="ValidationError",
                       hint="give a number of images (e.g. --series 4) or auto") from None  # fmt: skip


@click.command(
    "omni",
    epilog=examples(
        'klingkit image omni "the cat from the photo as a clay figure" --ref photo.png -n 2',
        'klingkit image omni "three views of a teapot" --model kling-image-4.0 --series 3 --resolution 4k',
        'klingkit image omni "a landing page for tea" --model kling-long-image-4.0 --skill webpage --style a.png',
    ),
)
@prompt_options()
@ops_option(_OMNI, "refs", "--ref", "refs", metavar="PATH|URL", help="Reference image (repeatable).")
@ops_option(_OMNI, "elements", "--element", "elements", metavar="ID", help="Element id (repeatable).")
@ops_option(
    _OMNI,
    "model",
    "--model",
    take_default=True,
    help=f"{' and '.join(image4.MODELS)} use the 2026 route (shapes {image4.CONFIDENCE}, route and price "
    f"{image4.ROUTE_CONFIDENCE}).",
)
@ops_option(_OMNI, "n", "-n", "count", help="How many images. [default: 1]")
@ops_option(
    _OMNI,
    "aspect_ratio",
    "-r",
    "--ratio",
    metavar="W:H",
    help="Aspect ratio, or auto (the model's list is checked).",
)
@ops_option(_OMNI, "resolution", "--resolution")
@ops_option(_OMNI, "series", "--series", metavar="N|auto")
@ops_option(_OMNI, "skill", "--skill", help="Long Image 4.0: a web page or an e-commerce set.")
@ops_option(
    _OMNI, "style", "--style", metavar="PATH|URL", help="Long Image 4.0 webpage: the style reference."
)
@ops_option(
    _OMNI, "subject", "--subject", metavar="PATH|URL", help="Long Image 4.0 webpage: the subject reference."
)
@session_options
@generate_options
def image_omni(
    session: Session,
    guard: Guard,
    prompt: str | None,
    refs: tuple[str, ...],
    elements: tuple[str, ...],
    model: str,
    count: int | None,
    ratio: str | None,
    resolution: str | None,
    series: str | None,
    skill: str | None,
    style: str | None,
    subject: str | None,
) -> None:
    """Omni image: references, elements, series.

    PROMPT with --ref images and --element ids, as single images or a --series; Kling Image 4.0 (2k/4k)
    and Long Image 4.0 (--skill webpage|ecommerce) too.
    """
    if prompt is None and guard.dry_run:
        prompt = PRICE_ONLY_PROMPT
    amount = _series(series)
    images = [_media(r, "--ref") for r in refs] or None
    params: dict[str, Any] = {
        "model_name": model,
        "prompt": prompt,
        "n": count,
        "aspect_ratio": ratio,
        "resolution": resolution,
        "result_type": "series" if series else None,
        "series_amount": amount,
    }
    if model in image4.MODELS:
        params.update(refer_images=images, elements=list(elements) or None, skill=skill,
                      style_image=_media(style, "--style"), subject_image=_media(subject, "--subject"))  # fmt: skip
    else:
        given = [
            flag for flag, value in (("--skill", skill), ("--style", style), ("--subject", subject)) if value
        ]
        if given:
            raise CLIError(f"{', '.join(given)}: only with --model {image4.LONG} (not {model})", type="ValidationError",
                           hint=f"add --model {image4.LONG}")  # fmt: skip
        params.update(image_list=images, element_list=list(elements) or None)
    run_job(session, Job("omni_image", _drop_none(params), "omni image"), guard)


@click.command(
    "multishot",
    epilog=examples(
        "klingkit multishot front.png -o views/",
        "klingkit multishot https://example.com/hero.png --dry-run --json",
    ),
)
@ops_argument("multi_shot", "image", "image", metavar="IMAGE")
@session_options
@generate_options
def multishot(session: Session, guard: Guard, image: str) -> None:
    """AI multi-shot: views of the subject in IMAGE from other angles.

    IMAGE is a frontal picture of one subject (a person, a product, a pet); the task makes three pictures of it
    from other angles, e.g. the references for `klingkit elements create` (/v1/general/ai-multi-shot, priced
    per call: --dry-run prices it; body and answer shapes confidence M).
    """
    run_job(session, Job("ai_multi_shot", {"image": _media(image, "IMAGE")}, "multi-shot"), guard)


@click.command(
    "recognize",
    epilog=examples(
        "klingkit recognize photo.png -o masks/",
        "klingkit recognize https://example.com/team.jpg --type face_seg --dry-run --json",
    ),
)
@ops_argument("recognize_image", "image", "image", metavar="IMAGE")
@ops_option("recognize_image", "kind", "--type", "kind", take_default=True)
@session_options
@generate_options
def recognize(session: Session, guard: Guard, image: str, kind: str) -> None:
    """Image recognition: a mask of the objects, heads, faces or clothes in IMAGE.

    The task answers at once (/v1/videos/image-recognize, priced per call: --dry-run prices it; body and
    answer shapes confidence L).
    """
    run_job(session, Job("recognize", {"image": _media(image, "IMAGE"), "type": kind}, "recognize"), guard)
