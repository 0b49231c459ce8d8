"""Image recognition: ``POST /v1/videos/image-recognize`` segments an image and answers at once.

Source: ``kling-api.md`` §2.14 (path, sync, the four kinds; H), §7.2 (0.1 unit a call; H). The body and
answer shapes are not in the reference (L): {``image``, ``type`` object_seg|head_seg|face_seg|cloth_seg} ->
a finished task whose result holds one mask image per call (``task_result.images[]``). The rules are a
table, :mod:`klingkit.catalog.rules._recognize`.
"""

from __future__ import annotations

from ._types import Endpoint

RECOGNIZE = Endpoint("image-recognize", "/v1/videos/image-recognize", "legacy", "video", "image", sync=True)
ENDPOINTS = (RECOGNIZE,)
KINDS = ("object_seg", "head_seg", "face_seg", "cloth_seg")
UNITS = 0.1  # §7.2, H
