"""The request rules, stated once: what each create route accepts, per model, mode and duration.

The client runs them before sending (``klingkit.prepare``; a :class:`Refusal` becomes a
``klingkit.ValidationError``), the sandbox runs them on what it receives (a :class:`Refusal` becomes
400/1201), so the two cannot drift; ``tests/contract`` checks they agree on thousands of generated requests.
Every rule reads the catalog's data (models, capabilities, limits); a refusal names the field, the value,
what is allowed and, where the catalog knows one, the nearest model that allows it.

Each function takes the caller's flat parameters (``prompt``, ``model_name``, ``mode``, ``duration``, ...)
after normalisation (:func:`as_mode`, :func:`as_duration`, :func:`as_bool`) and a :class:`Checks`, which
collects warnings and, with ``strict``, refuses unknown model names (policy ``unknown-name``).
"""

from __future__ import annotations

from ._audio import advanced_lip_sync, identify_face, lip_sync, text_to_audio, tts, video_to_audio, voice_id
from ._base import Checks, Refusal, as_bool, as_duration, as_mode, given, page
from ._images import expand, image_generation, multi_image_to_image, omni_image, try_on
from ._omni import new_omni_video, new_video, omni_new_model, omni_video
from ._video import camera_control, effects, legacy_video, multi_image_to_video, multi_shot, video_extend

__all__ = [
    "Checks",
    "Refusal",
    "advanced_lip_sync",
    "as_bool",
    "as_duration",
    "as_mode",
    "camera_control",
    "effects",
    "expand",
    "given",
    "identify_face",
    "image_generation",
    "legacy_video",
    "lip_sync",
    "multi_image_to_image",
    "multi_image_to_video",
    "multi_shot",
    "new_omni_video",
    "new_video",
    "omni_image",
    "omni_new_model",
    "omni_video",
    "page",
    "text_to_audio",
    "try_on",
    "tts",
    "video_extend",
    "video_to_audio",
    "voice_id",
]
