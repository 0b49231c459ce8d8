"""The words people use for what to make, stated once: ``prepare``'s feature aliases, a batch row's
``kind`` and the CLI's help all read :data:`FEATURE_WORDS` through :func:`feature_for`.

Decision ``feature-words`` (``catalog.DECISIONS``; chosen, conf M: the reference names routes, not words):

* A catalog endpoint key names that route: ``text2video``, ``images/generations``, ``text-to-video``.
* Any other word names what to make and stands for the legacy route of it (``text_to_video``, ``video``,
  ``generate``, ``lipsync``, ...).
* On the legacy video routes the model then picks the route: a 2026 model name (``kling-3.0``) moves
  text/image-to-video and omni video to their model-in-path route, a Kling 4.0 name to 4.0's rules. The
  2026 keys (``text-to-video``, ``image-to-video``, ``omni-video-new``) take 2026 model names only, in the
  library, in a batch row and on the command line alike.
* The word ``video`` with an ``image`` given is image-to-video (a batch row says ``video`` for both);
  a try-on word with ``person_image``/``product_image`` (or ``solution``) is the 2026 try-on solution.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._data import ENDPOINTS

__all__ = ["FEATURE_WORDS", "WITH_IMAGE", "feature_for"]

FEATURE_WORDS: dict[str, str] = {
    # the library's resource method names
    "text_to_video": "text2video",
    "image_to_video": "image2video",
    "multi_image_to_video": "multi-image2video",
    "extend": "video-extend",
    "video_extend": "video-extend",
    "lip_sync": "lip-sync",
    "identify_face": "identify-face",
    "advanced_lip_sync": "advanced-lip-sync",
    "omni_video": "omni-video",
    "generate": "images/generations",
    "image_generation": "images/generations",
    "generations": "images/generations",
    "multi_image": "multi-image2image",
    "multi_image_to_image": "multi-image2image",
    "expand": "editing/expand",
    "try_on": "kolors-virtual-try-on",
    "omni_image": "omni-image",
    "text_to_audio": "text-to-audio",
    "video_to_audio": "video-to-audio",
    # what a batch row's ``kind`` says
    "video": "text2video",
    "lipsync": "lip-sync",
    "effect": "effects",
    "image": "images/generations",
    "images": "images/generations",
    "try-on": "kolors-virtual-try-on",
    "tryon": "kolors-virtual-try-on",
    "audio": "text-to-audio",
    # the 2026-H2 routes
    "motion_control": "motion-control",
    "create_element": "custom-elements",
    "create_voice": "custom-voices",
    "multi_elements": "multi-elements",
    "edit": "multi-elements",
    "recognize": "image-recognize",
    "image_recognize": "image-recognize",
    "multi_shot_views": "ai-multi-shot",
    "ai_multi_shot": "ai-multi-shot",
    "multishot": "ai-multi-shot",
}
"""A word -> the catalog endpoint key it stands for (before the model picks a 2026 route)."""

WITH_IMAGE: dict[str, str] = {"video": "image2video"}
"""Words whose route changes when an ``image`` is given."""

SOLUTION_FIELDS = ("solution", "person_image", "product_image")
"""Fields that make a try-on word the 2026 try-on solution (``virtual_try_on``)."""


def _given(params: Mapping[str, Any], key: str) -> bool:
    value = params.get(key)
    return value is not None and value != "" and value is not False


def feature_for(word: str, params: Mapping[str, Any] | None = None) -> str | None:
    """The catalog endpoint key ``word`` names for a request with ``params`` (None: an unknown word)."""
    if word in ENDPOINTS:
        return word
    p = params or {}
    feature = FEATURE_WORDS.get(word)
    if word in WITH_IMAGE and _given(p, "image"):
        return WITH_IMAGE[word]
    if feature == "kolors-virtual-try-on" and any(_given(p, k) for k in SOLUTION_FIELDS):
        return "virtual_try_on"
    return feature
