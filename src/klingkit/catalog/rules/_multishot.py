"""AI multi-shot's rules as data (``kling-api.md`` §2.14): one frontal picture of the subject
(:mod:`klingkit.catalog._multishot` holds the field's name, the view count and the price). The picture's
format, size and aspect are media facts, checked where it is read (the client's media reading, the
sandbox's decoding), like every image input's."""

from __future__ import annotations

from .._multishot import IMAGE_FIELD
from ._vocab import Ctx, Refuse, Rule


def _no_image(x: Ctx) -> bool:
    image = x.p.get(IMAGE_FIELD)
    return not isinstance(image, str) or not image


AI_MULTI_SHOT: tuple[Rule, ...] = (
    Refuse(IMAGE_FIELD, when=_no_image, allowed="a URL or raw base64 image (jpg/png)", why="required"),
)
"""``/v1/general/ai-multi-shot``."""
