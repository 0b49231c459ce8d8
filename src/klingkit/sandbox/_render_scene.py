"""Pictures for the sandbox renderer: seeded scenes, moving shapes and input images (the prompt's caption
card is drawn by ``_render_text``)."""

from __future__ import annotations

import colorsys
import hashlib
import io
import math
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageOps

from ._render_planes import Sprite
from ._render_text import caption_card


def rng_for(*parts: object) -> np.random.Generator:
    """A generator seeded from a stable hash of `parts` (Python's hash() is salted per process)."""
    digest = hashlib.sha256(repr(parts).encode("utf-8")).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def _hsv(h: float, s: float, v: float) -> tuple[int, int, int]:
    r, g, b = colorsys.hsv_to_rgb(h % 1.0, s, v)
    return (round(r * 255), round(g * 255), round(b * 255))


@dataclass(frozen=True)
class Palette:
    top: tuple[int, int, int]
    bottom: tuple[int, int, int]
    glow: tuple[int, int, int]
    accents: tuple[tuple[int, int, int], ...]


def palette_for(rng: np.random.Generator) -> Palette:
    """Harmonious colours: a darkish two-tone sky plus bright accents spread around the hue circle."""
    hue = float(rng.random())
    spread = 0.08 + 0.12 * float(rng.random())
    accents = tuple(
        _hsv(hue + 0.5 + 0.17 * i + 0.05 * float(rng.random()), 0.55 + 0.35 * float(rng.random()), 0.95)
        for i in range(6)
    )
    return Palette(
        top=_hsv(hue, 0.65, 0.35),
        bottom=_hsv(hue + spread, 0.55, 0.75),
        glow=_hsv(hue + 2 * spread, 0.35, 1.0),
        accents=accents,
    )


def background(
    canvas_size: tuple[int, int],
    content_origin: tuple[int, int],
    content_size: tuple[int, int],
    rng: np.random.Generator,
) -> Image.Image:
    """An RGB scene: vertical gradient, soft glows and a scatter of small stars.

    Geometry is expressed in content coordinates (the frame-0 rectangle at `content_origin` in the
    canvas), so a scene looks the same whatever margin a camera path needs around it.
    """
    cw, ch = canvas_size
    ox, oy = content_origin
    w, h = content_size
    pal = palette_for(rng)
    # Smooth fields are computed at 1/8 scale and upsampled: the result is identical to the eye and
    # ~60x cheaper than evaluating exponentials per output pixel.
    step = 8
    sw, sh = max(2, -(-cw // step)), max(2, -(-ch // step))
    xs = (np.arange(sw, dtype=np.float32) * step - ox) / w
    ys = (np.arange(sh, dtype=np.float32) * step - oy) / h
    gx, gy = np.meshgrid(xs, ys)
    mix = np.clip(gy * 0.8 + gx * 0.2, 0.0, 1.0)[..., None]
    top = np.array(pal.top, np.float32)
    bottom = np.array(pal.bottom, np.float32)
    img = top * (1.0 - mix) + bottom * mix
    aspect = w / h
    for i in range(3):
        bx, by = float(rng.uniform(0.1, 0.9)), float(rng.uniform(0.1, 0.7))
        radius = float(rng.uniform(0.15, 0.35))
        colour = np.array(pal.glow if i == 0 else pal.accents[i], np.float32)
        d2 = ((gx - bx) * aspect) ** 2 + (gy - by) ** 2
        weight = (0.55 * np.exp(-d2 / (2 * radius * radius)))[..., None]
        img = img * (1.0 - weight) + colour * weight
    small = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB")
    canvas = small.resize((sw * step, sh * step), Image.Resampling.BILINEAR).crop((0, 0, cw, ch))
    # Stars give the camera paths visible texture to move against.
    draw = ImageDraw.Draw(canvas)
    count = int(80 * cw * ch / (w * h))
    unit = max(1.0, min(w, h) / 360)
    for _ in range(count):
        x, y = float(rng.uniform(0, cw)), float(rng.uniform(0, ch))
        r = unit * float(rng.uniform(0.6, 1.8))
        level = int(rng.integers(170, 256))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(level, level, min(255, level + 20)))
    return canvas


@dataclass(frozen=True)
class Shape:
    """A sprite on a Lissajous path; positions are the sprite centre in content pixels."""

    sprite: Sprite
    rgba: Image.Image
    x0: float
    y0: float
    ax: float
    ay: float
    fx: float
    fy: float
    px: float
    py: float

    def centre(self, seconds: float) -> tuple[float, float]:
        return (
            self.x0 + self.ax * math.sin(2 * math.pi * self.fx * seconds + self.px),
            self.y0 + self.ay * math.sin(2 * math.pi * self.fy * seconds + self.py),
        )

    def top_left(self, seconds: float) -> tuple[int, int]:
        x, y = self.centre(seconds)
        return (round(x - self.sprite.width / 2), round(y - self.sprite.height / 2))


def _shape_image(kind: int, size: int, colour: tuple[int, int, int]) -> Image.Image:
    """RGBA shape with anti-aliased edges (drawn at 4x, then box-downsampled)."""
    ss = 4
    big = size * ss
    mask = Image.new("L", (big, big), 0)
    draw = ImageDraw.Draw(mask)
    pad = big // 16
    box = (pad, pad, big - pad, big - pad)
    if kind == 0:
        draw.ellipse(box, fill=255)
    elif kind == 1:
        draw.rounded_rectangle(box, radius=big // 5, fill=255)
    elif kind == 2:
        draw.polygon([(big / 2, pad), (big - pad, big - pad), (pad, big - pad)], fill=255)
    else:
        draw.ellipse(box, fill=255)
        inner = big // 4
        draw.ellipse((inner, inner, big - inner, big - inner), fill=0)
    alpha = mask.resize((size, size), Image.Resampling.BOX)
    # Colour fills the whole square (not just the shape) so chroma averaging at the edges stays clean;
    # a vertical light-to-dark ramp gives the shape some volume.
    ramp = np.linspace(1.15, 0.7, size, dtype=np.float32)[:, None, None]
    rgb = np.clip(np.array(colour, np.float32)[None, None, :] * ramp, 0, 255).astype(np.uint8)
    rgb = np.broadcast_to(rgb, (size, size, 3))
    image = Image.fromarray(np.ascontiguousarray(rgb), "RGB").convert("RGBA")
    image.putalpha(alpha)
    return image


def make_shapes(width: int, height: int, rng: np.random.Generator) -> list[Shape]:
    """Five to seven seeded shapes drifting around the frame."""
    pal = palette_for(rng)
    short = min(width, height)
    shapes = []
    for i in range(int(rng.integers(5, 8))):
        size = max(8, round(short * float(rng.uniform(0.08, 0.18))))
        size += size % 2
        rgba = _shape_image(int(rng.integers(0, 4)), size, pal.accents[i % len(pal.accents)])
        shapes.append(
            Shape(
                sprite=Sprite.from_rgba(rgba),
                rgba=rgba,
                x0=width * float(rng.uniform(0.15, 0.85)),
                y0=height * float(rng.uniform(0.15, 0.75)),
                ax=width * float(rng.uniform(0.08, 0.3)),
                ay=height * float(rng.uniform(0.05, 0.2)),
                fx=float(rng.uniform(0.08, 0.3)),
                fy=float(rng.uniform(0.08, 0.3)),
                px=float(rng.uniform(0, 2 * math.pi)),
                py=float(rng.uniform(0, 2 * math.pi)),
            )
        )
    return shapes


def load_image(data: bytes) -> Image.Image:
    """Decode PNG/JPEG/WebP bytes to RGB, honouring EXIF rotation; alpha is flattened onto black."""
    try:
        image: Image.Image = Image.open(io.BytesIO(data))
        image.load()
    except Exception as exc:
        raise ValueError(f"cannot decode image: {exc}") from exc
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGBA", rgba.size, (0, 0, 0, 255))
        return Image.alpha_composite(flat, rgba).convert("RGB")
    return image.convert("RGB")


def cover_fit(image: Image.Image, width: int, height: int) -> Image.Image:
    """Scale to fill width x height exactly, cropping the overflow equally from both sides."""
    scale = max(width / image.width, height / image.height)
    crop_w, crop_h = width / scale, height / scale
    x0, y0 = (image.width - crop_w) / 2, (image.height - crop_h) / 2
    return image.resize(
        (width, height), Image.Resampling.LANCZOS, box=(x0, y0, x0 + crop_w, y0 + crop_h), reducing_gap=3.0
    )


def mirror_pad(image: Image.Image, left: int, top: int, right: int, bottom: int) -> Image.Image:
    """Extend a picture by mirrored copies of itself (seamless at the original's edges)."""
    if not (left or top or right or bottom):
        return image
    arr = np.asarray(image)
    pad = ((top, bottom), (left, right)) + (((0, 0),) if arr.ndim == 3 else ())
    return Image.fromarray(np.pad(arr, pad, mode="symmetric"))


def scene_image(width: int, height: int, prompt: str, seed: int, index: int) -> Image.Image:
    """A still text-to-image scene: background, shapes frozen at an index-dependent instant, caption."""
    rng = rng_for("image", seed, index, prompt)
    image = background((width, height), (0, 0), (width, height), rng)
    moment = float(rng.uniform(0, 30))
    for shape in make_shapes(width, height, rng):
        image.paste(shape.rgba, shape.top_left(moment), shape.rgba)
    return image


def stylize(image: Image.Image, seed: int, index: int, prompt: str) -> Image.Image:
    """Image-to-image look: a seeded colour grade and vignette that keep the input recognisable."""
    rng = rng_for("stylize", seed, index, prompt)
    pal = palette_for(rng)
    w, h = image.size
    tint = Image.new("RGB", (w, h), pal.bottom)
    graded = Image.blend(image, tint, 0.22)
    # Vignette: darken toward the corners, computed small and upsampled.
    ys, xs = np.mgrid[-1:1:64j, -1:1:64j]
    vignette = np.clip(1.0 - 0.45 * (xs**2 + ys**2) ** 1.5 / 2.0, 0, 1)
    mask = Image.fromarray((vignette * 255).astype(np.uint8), "L").resize((w, h), Image.Resampling.BILINEAR)
    black = Image.new("RGB", (w, h), (0, 0, 0))
    return Image.composite(graded, black, mask)


def with_caption(image: Image.Image, prompt: str) -> Image.Image:
    card = caption_card(prompt, image.width, image.height)
    if card is None:
        return image
    rgba, x, y = card
    out = image.copy()
    out.paste(rgba, (x, y), rgba)
    return out


def outpaint(
    image: Image.Image, left: int, top: int, right: int, bottom: int, seed: int, prompt: str = ""
) -> Image.Image:
    """Fill new borders with a blurred, slightly tinted mirror of the picture; the original stays exact."""
    padded = mirror_pad(image, left, top, right, bottom)
    w, h = padded.size
    # Blur at quarter size: far cheaper than a large-radius blur at full size and just as soft.
    small = padded.resize((max(1, w // 4), max(1, h // 4)), Image.Resampling.BOX)
    radius = max(2.0, max(image.size) / 4 * 0.03)
    soft = small.filter(ImageFilter.GaussianBlur(radius)).resize((w, h), Image.Resampling.BILINEAR)
    tint = Image.new("RGB", (w, h), palette_for(rng_for("expand", seed, prompt)).bottom)
    fill = Image.blend(soft, tint, 0.12)
    fill.paste(image, (left, top))
    return fill


def to_png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    # Level 3 is several times faster than the default 6 for a few percent more bytes.
    image.save(buf, format="PNG", compress_level=3)
    return buf.getvalue()
