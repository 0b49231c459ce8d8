"""``klingkit video --images A B C``: multi-image to video (``/v1/videos/multi-image2video``), the part of
``klingkit video`` that takes several pictures; the catalog checks the count, model, mode and duration."""

from __future__ import annotations

from typing import Any

from klingkit import catalog

from ._exit import CLIError
from ._run import Guard, Job, run_job
from ._run_flags import PRICE_ONLY_PROMPT, _drop_none, _media
from ._session import Session


def multi_image_video(
    session: Session,
    guard: Guard,
    prompt: str | None,
    images: tuple[str, ...],
    duration: int | None,
    ratio: str | None,
    mode: str | None,
    model: str | None,
    negative: str | None,
    others: dict[str, Any],
) -> None:
    """``video --images A B C``: ``/v1/videos/multi-image2video`` (the catalog checks count, model, mode)."""
    clash = [flag for flag, value in others.items() if value not in (None, False, ())]
    if clash:
        raise CLIError(f"{', '.join(clash)} cannot be used with --images (multi-image to video)",
                       type="ValidationError",
                       hint="--images takes -p/PROMPT, -d, -r, -m, --model and --negative")  # fmt: skip
    if len(images) > catalog.MULTI_IMAGE_VIDEO_MAX:  # said here in flag words; the catalog's rule is the same
        raise CLIError(f"invalid --images: {len(images)} images; allowed 1 to {catalog.MULTI_IMAGE_VIDEO_MAX}",
                       type="ValidationError", hint=f"keep the {catalog.MULTI_IMAGE_VIDEO_MAX} that matter most")  # fmt: skip
    if prompt is None and guard.dry_run:
        prompt = PRICE_ONLY_PROMPT
    params = {
        "model_name": model,
        "prompt": prompt,
        "negative_prompt": negative,
        "image_list": [_media(i, "--images") for i in images],
        "duration": duration,
        "aspect_ratio": ratio,
        "mode": catalog.normalize_mode(mode) if mode else None,
    }
    shown = {"images": len(images)}
    job = Job("multi-image2video", _drop_none(params), "multi-image to video", shown,
              duration=float(duration or catalog.DEFAULT_VIDEO_DURATION))  # fmt: skip
    run_job(session, job, guard)
