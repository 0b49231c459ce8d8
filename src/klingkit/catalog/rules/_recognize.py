"""Image recognition's rules as data (``kling-api.md`` §2.14): an image and one of the catalog's kinds of
segmentation (:mod:`klingkit.catalog._recognize` holds the kinds and the price). The image's pixels are
media facts, checked where it is read (the client's media reading, the sandbox's decoding)."""

from __future__ import annotations

from .._recognize import KINDS
from ._vocab import Ctx, Field, Refuse, Rule


def _no_image(x: Ctx) -> bool:
    image = x.p.get("image")
    return not isinstance(image, str) or not image


IMAGE_RECOGNIZE: tuple[Rule, ...] = (
    Refuse("image", when=_no_image, allowed="a URL or raw base64 image", why="required"),
    Field("type", enum=KINDS, always=True),
)
"""``/v1/videos/image-recognize``: a missing image and an unknown kind are both named."""
