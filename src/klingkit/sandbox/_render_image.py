"""Still pictures for the sandbox: generated images (``render_image``) and outpainting (``expand_image``).

Part of :mod:`klingkit.sandbox.render`, which is the door other modules use; the picture itself (scene,
reference grading, caption, mirrored border) is drawn by ``_render_scene``.
"""

from __future__ import annotations

import math

from ._render_scene import cover_fit, load_image, outpaint, scene_image, stylize, to_png, with_caption


def _check_size(width: int, height: int) -> None:
    if width <= 0 or height <= 0:
        raise ValueError(f"width and height must be positive, got {width}x{height}")


def render_image(
    width: int,
    height: int,
    prompt: str = "",
    seed: int = 0,
    reference: bytes | None = None,
    index: int = 0,
) -> bytes:
    """PNG bytes of exactly width x height pixels with the prompt drawn as a legible caption.

    Without `reference`: a seeded scene (sky gradient, stars, shapes) that differs per seed and index.
    With `reference` (PNG/JPEG bytes): that picture cover-fitted to the size, colour-graded (22% seeded
    tint, varying with index) and vignetted, so it stays clearly recognisable.
    """
    _check_size(width, height)
    if reference is not None:
        picture = stylize(cover_fit(load_image(reference), width, height), seed, index, prompt)
    else:
        picture = scene_image(width, height, prompt, seed, index)
    return to_png(with_caption(picture, prompt))


def _round_half_up(value: float) -> int:
    return math.floor(value + 0.5)


def expand_image(
    image: bytes,
    up: float,
    down: float,
    left: float,
    right: float,
    prompt: str = "",
    seed: int = 0,
) -> bytes:
    """Outpainting: PNG of round(w * (1 + left + right)) x round(h * (1 + up + down)) pixels.

    up/down/left/right are fractions of the original height/width (>= 0; rounding is half-up). The
    original sits unchanged at (round(w * left), round(h * up)); the new border is a blurred, lightly
    tinted mirror of the picture. `prompt` is accepted for API symmetry and only salts the tint.
    """
    ratios = (up, down, left, right)
    if any(not math.isfinite(r) or r < 0 for r in ratios):
        raise ValueError(f"expansion ratios must be finite and >= 0, got {ratios}")
    picture = load_image(image)
    w, h = picture.size
    new_w, new_h = _round_half_up(w * (1 + left + right)), _round_half_up(h * (1 + up + down))
    x0 = min(_round_half_up(w * left), new_w - w)
    y0 = min(_round_half_up(h * up), new_h - h)
    return to_png(outpaint(picture, x0, y0, new_w - w - x0, new_h - h - y0, seed, prompt))
