"""YUV 4:2:0 working pictures for the sandbox renderer.

Frames are composed directly as three 8-bit planes (full-size Y, half-size Cb and Cr) rather than RGB:
the encoder wants yuv420p anyway, so this skips a per-frame colour conversion, and resampling 1.5 bytes
per pixel instead of PIL's 4-byte RGBX layout roughly halves the cost of every camera move.

Colours use BT.709 coefficients in limited ("tv", 16-235) range, and the encoded streams are tagged so,
which is what players assume for HD H.264.
"""

from __future__ import annotations

from dataclasses import dataclass

import av
import numpy as np
from numpy.typing import NDArray
from PIL import Image

U8Array = NDArray[np.uint8]

_KR = 0.2126
_KB = 0.0722
_KG = 1.0 - _KR - _KB
# FFmpeg's AVColorSpace / AVColorPrimaries / AVColorTransferCharacteristic value for BT.709, and
# AVCOL_RANGE_MPEG (limited range).
BT709 = 1
RANGE_LIMITED = 1
# Rows converted per numpy pass: keeps the float temporaries of a 4K canvas to a few tens of MB.
_ROWS_PER_CHUNK = 256

_BILINEAR = Image.Resampling.BILINEAR


def _rgb_chunk_to_yuv(rgb: U8Array) -> tuple[U8Array, U8Array, U8Array]:
    """Convert an (h, w, 3) RGB block with even h and w to limited-range Y and 2x2-averaged Cb/Cr."""
    f = rgb.astype(np.float32) * np.float32(1.0 / 255.0)
    r, g, b = f[..., 0], f[..., 1], f[..., 2]
    luma = _KR * r + _KG * g + _KB * b
    y = 16.0 + 219.0 * luma
    # Average chroma over each 2x2 block (what "4:2:0" means) before scaling to 8 bits.
    h, w = luma.shape
    cb_full = (b - luma) / (2.0 * (1.0 - _KB))
    cr_full = (r - luma) / (2.0 * (1.0 - _KR))
    cb = cb_full.reshape(h // 2, 2, w // 2, 2).mean(axis=(1, 3))
    cr = cr_full.reshape(h // 2, 2, w // 2, 2).mean(axis=(1, 3))
    u = 128.0 + 224.0 * cb
    v = 128.0 + 224.0 * cr
    return (
        np.clip(y + 0.5, 0, 255).astype(np.uint8),
        np.clip(u + 0.5, 0, 255).astype(np.uint8),
        np.clip(v + 0.5, 0, 255).astype(np.uint8),
    )


def _plane_to_array(plane: av.video.plane.VideoPlane) -> U8Array:
    """Copy one plane of a decoded frame, dropping the stride padding FFmpeg adds to each row."""
    raw = np.frombuffer(memoryview(plane), dtype=np.uint8)
    rows = raw.reshape(plane.height, plane.line_size)
    return np.ascontiguousarray(rows[:, : plane.width])


@dataclass
class Planes:
    """A picture as YUV 4:2:0 planes held in PIL "L" images (so PIL's C resamplers do the heavy work)."""

    y: Image.Image
    u: Image.Image
    v: Image.Image

    @property
    def width(self) -> int:
        return self.y.width

    @property
    def height(self) -> int:
        return self.y.height

    @classmethod
    def from_rgb(cls, image: Image.Image) -> Planes:
        """Convert an RGB picture with even width and height (pixels)."""
        if image.width % 2 or image.height % 2:
            raise ValueError(f"YUV 4:2:0 needs even dimensions, got {image.width}x{image.height}")
        rgb = np.asarray(image.convert("RGB"))
        h, w = rgb.shape[:2]
        y = np.empty((h, w), np.uint8)
        u = np.empty((h // 2, w // 2), np.uint8)
        v = np.empty((h // 2, w // 2), np.uint8)
        for top in range(0, h, _ROWS_PER_CHUNK):
            bottom = min(h, top + _ROWS_PER_CHUNK)
            cy, cu, cv = _rgb_chunk_to_yuv(rgb[top:bottom])
            y[top:bottom] = cy
            u[top // 2 : bottom // 2] = cu
            v[top // 2 : bottom // 2] = cv
        return cls(Image.fromarray(y), Image.fromarray(u), Image.fromarray(v))

    @classmethod
    def from_frame(cls, frame: av.VideoFrame) -> Planes:
        """Take the planes of a decoded frame, converting it to BT.709 yuv420p first if needed."""
        if frame.format.name != "yuv420p" or frame.width % 2 or frame.height % 2:
            frame = frame.reformat(
                width=frame.width - frame.width % 2,
                height=frame.height - frame.height % 2,
                format="yuv420p",
                dst_colorspace=BT709,
                dst_color_range=RANGE_LIMITED,
            )
        y, u, v = (Image.fromarray(_plane_to_array(p)) for p in frame.planes[:3])
        return cls(y, u, v)

    def copy(self) -> Planes:
        return Planes(self.y.copy(), self.u.copy(), self.v.copy())

    def mirror_pad(self, left: int, top: int, right: int, bottom: int) -> Planes:
        """Extend by mirrored copies of the picture; the four margins (luma pixels) must be even."""
        if (left | top | right | bottom) % 2:
            raise ValueError("margins must be even for 4:2:0 planes")
        if not (left or top or right or bottom):
            return self

        def pad(image: Image.Image, div: int) -> Image.Image:
            widths = ((top // div, bottom // div), (left // div, right // div))
            return Image.fromarray(np.pad(np.asarray(image), widths, mode="symmetric"))

        return Planes(pad(self.y, 1), pad(self.u, 2), pad(self.v, 2))

    def view_box(self, box: tuple[float, float, float, float], width: int, height: int) -> Planes:
        """Resample the axis-aligned region `box` (x0, y0, x1, y1 in luma pixels, sub-pixel) to width x height."""
        half = (box[0] / 2, box[1] / 2, box[2] / 2, box[3] / 2)
        return Planes(
            self.y.resize((width, height), _BILINEAR, box=box),
            self.u.resize((width // 2, height // 2), _BILINEAR, box=half),
            self.v.resize((width // 2, height // 2), _BILINEAR, box=half),
        )

    def view_affine(
        self, coeffs: tuple[float, float, float, float, float, float], width: int, height: int
    ) -> Planes:
        """Resample through PIL's affine map: output (x, y) shows source (a*x+b*y+c, d*x+e*y+f), luma px.

        Chroma coordinates are luma coordinates halved, so the linear part is shared and only the
        offsets c and f are halved.
        """
        a, b, c, d, e, f = coeffs
        half = (a, b, c / 2, d, e, f / 2)
        # Anything sampled from outside the canvas becomes video black (Y=16, neutral chroma).
        return Planes(
            self.y.transform((width, height), Image.Transform.AFFINE, coeffs, _BILINEAR, fillcolor=16),
            self.u.transform(
                (width // 2, height // 2), Image.Transform.AFFINE, half, _BILINEAR, fillcolor=128
            ),
            self.v.transform(
                (width // 2, height // 2), Image.Transform.AFFINE, half, _BILINEAR, fillcolor=128
            ),
        )

    def blend(self, other: Planes, alpha: float) -> Planes:
        """Cross-fade: (1 - alpha) * self + alpha * other (same sizes)."""
        return Planes(
            Image.blend(self.y, other.y, alpha),
            Image.blend(self.u, other.u, alpha),
            Image.blend(self.v, other.v, alpha),
        )

    def paste(self, sprite: Sprite, x: int, y: int, opacity: float = 1.0) -> None:
        """Alpha-blend `sprite` in place with its top-left corner at (x, y) luma pixels.

        The position is snapped to even pixels so the half-size chroma lands on the same spot; parts
        outside the picture are clipped by PIL.
        """
        x -= x % 2
        y -= y % 2
        alpha, alpha_half = sprite.alpha, sprite.alpha_half
        if opacity < 1.0:
            alpha = alpha.point(lambda a: round(a * opacity))
            alpha_half = alpha_half.point(lambda a: round(a * opacity))
        self.y.paste(sprite.planes.y, (x, y), alpha)
        self.u.paste(sprite.planes.u, (x // 2, y // 2), alpha_half)
        self.v.paste(sprite.planes.v, (x // 2, y // 2), alpha_half)

    def to_frame(self) -> av.VideoFrame:
        """Pack into a BT.709-tagged yuv420p VideoFrame."""
        w, h = self.width, self.height
        packed = np.concatenate(
            [
                np.asarray(self.y).reshape(-1),
                np.asarray(self.u).reshape(-1),
                np.asarray(self.v).reshape(-1),
            ]
        ).reshape(h * 3 // 2, w)
        frame = av.VideoFrame.from_ndarray(packed, format="yuv420p")
        frame.colorspace = BT709
        frame.color_range = RANGE_LIMITED
        return frame

    def to_rgb(self) -> Image.Image:
        """Convert back to an RGB picture (used for stills and tests, not per video frame)."""
        rgb = self.to_frame().to_ndarray(format="rgb24")
        return Image.fromarray(np.ascontiguousarray(rgb, dtype=np.uint8), "RGB")


@dataclass
class Sprite:
    """An overlay: colour planes plus coverage masks at luma and chroma resolution."""

    planes: Planes
    alpha: Image.Image
    alpha_half: Image.Image

    @property
    def width(self) -> int:
        return self.planes.width

    @property
    def height(self) -> int:
        return self.planes.height

    @classmethod
    def from_rgba(cls, image: Image.Image) -> Sprite:
        """Build from an RGBA picture; odd sizes are padded by one transparent pixel."""
        rgba = image.convert("RGBA")
        if rgba.width % 2 or rgba.height % 2:
            padded = Image.new("RGBA", (rgba.width + rgba.width % 2, rgba.height + rgba.height % 2))
            padded.paste(rgba, (0, 0))
            rgba = padded
        alpha = rgba.getchannel("A")
        # BOX averaging gives each chroma sample the mean coverage of its 2x2 luma block.
        alpha_half = alpha.resize((rgba.width // 2, rgba.height // 2), Image.Resampling.BOX)
        return cls(Planes.from_rgb(rgba.convert("RGB")), alpha, alpha_half)
