"""Image recognition: ``POST /v1/videos/image-recognize`` segments an image and answers at once.

Source: ``kling-api.md`` §2.14 (path, sync, the four kinds; H), §7.2 (0.1 unit a call; H). The body and
answer shapes are not in the reference (L): {``image``, ``type`` object_seg|head_seg|face_seg|cloth_seg} ->
a finished task whose result holds one mask image per call (``task_result.images[]``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._refusal import Refusal
from ._types import Endpoint

RECOGNIZE = Endpoint("image-recognize", "/v1/videos/image-recognize", "legacy", "video", "image", sync=True)
ENDPOINTS = (RECOGNIZE,)
KINDS = ("object_seg", "head_seg", "face_seg", "cloth_seg")
UNITS = 0.1  # §7.2, H


def check(body: Any) -> list[Refusal]:
    """Reasons to refuse an image-recognize body."""
    if not isinstance(body, Mapping):
        return [Refusal("body", type(body).__name__, "a JSON object")]
    out: list[Refusal] = []
    image = body.get("image")
    if not isinstance(image, str) or not image:
        out.append(Refusal("image", image, "a URL or raw base64 image", "required"))
    kind = body.get("type")
    if kind not in KINDS:
        out.append(Refusal("type", kind, ", ".join(KINDS)))
    return out
