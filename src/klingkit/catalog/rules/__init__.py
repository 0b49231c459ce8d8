"""The request rules, stated once: what each create route accepts, per model, mode and duration.

The client runs them before sending (``klingkit.prepare``; a :class:`Refusal` becomes a
``klingkit.ValidationError``), the sandbox runs them on what it receives (a :class:`Refusal` becomes
400/1201), so the two cannot drift; ``tests/contract`` checks they agree on thousands of generated requests.
Every rule reads the catalog's data (models, capabilities, limits); a refusal names the field, the value,
what is allowed and, where the catalog knows one, the nearest model that allows it.

Each function takes the caller's flat parameters (``prompt``, ``model_name``, ``mode``, ``duration``, ...)
after normalisation (:func:`as_mode`, :func:`as_duration`, :func:`as_bool`) and a :class:`Checks`, which
collects warnings and, with ``strict``, refuses unknown model names (policy ``unknown-name``).

**Writing a wire-body table** (a 2026-H2 body as sent: ``settings``, ``options``, typed ``contents[]``):
give the body itself as ``Ctx.p`` (the model's row in ``row``, decoded inputs in ``media`` keyed by path,
``contents[2]``) and name fields by dotted path (``Field("settings.resolution", enum=...)``). State the
shapes first, with ``stop`` where the rest reads inside them (``Shape("settings", "object", stop=True)``,
``Shape("contents", "list", "a non-empty array of typed items", required=True, stop=True)``); then
``Typed("contents", TYPES)`` (each item's ``type``), ``Tally`` per type or group of types (``Tally(
"contents", ("refer_image",), hi=10, what="images")``), ``Items("contents", {"refer_image": (...), ...})``
for each type's own fields (named ``contents[i].url``), ``Media`` inside them for what decoding found and
``Mentions`` for the prompt's ``@ids``. Facts (limits, types, texts) come from the catalog module of the
route, never retyped; small functions of the ``Ctx`` (``lambda x: x.row.durations``) read the request.
The table module raises nothing and builds no ``Refusal`` (``tests/catalog/test_rules_data.py`` scans it):
``rules/_kling4.py`` is the worked example.
"""

from __future__ import annotations

from ._audio import (
    ADVANCED_LIP_SYNC,
    ADVANCED_LIP_SYNC_SESSION,
    IDENTIFY_FACE,
    LIP_SYNC,
    TEXT_TO_AUDIO,
    TTS,
    VIDEO_TO_AUDIO,
    VIDEO_TO_AUDIO_SOURCE,
)
from ._base import Checks, Refusal, as_bool, as_duration, as_mode, given, page
from ._drive import AVATAR, MOTION_CONTROL, MOTION_CONTROL_NEW
from ._edit import MULTI_ELEMENTS
from ._image4 import IMAGE4
from ._images import (
    EXPAND,
    IMAGE_GENERATIONS,
    MULTI_IMAGE2IMAGE,
    OMNI_IMAGE,
    TRY_ON,
    TRY_ON_SOLUTION,
)
from ._interp import camera_control, multi_shot
from ._library import CUSTOM_ELEMENT, CUSTOM_VOICE
from ._multishot import AI_MULTI_SHOT
from ._omni import (
    NEW_IMAGE_TO_VIDEO,
    NEW_TEXT_TO_VIDEO,
    NEW_VIDEO_MODEL,
    OMNI_VIDEO,
    OMNI_VIDEO_NEW,
    OMNI_VIDEO_NEW_MODEL,
    omni_new_model,
)
from ._recognize import IMAGE_RECOGNIZE
from ._video import (
    EFFECTS,
    IMAGE2VIDEO,
    MULTI_IMAGE2VIDEO,
    TEXT2VIDEO,
    VIDEO_EXTEND,
    VIDEO_EXTEND_SOURCE,
)
from ._vocab import Rule

TABLES: dict[str, tuple[tuple[Rule, ...], ...]] = {
    "text2video": (TEXT2VIDEO,),
    "image2video": (IMAGE2VIDEO,),
    "multi-image2video": (MULTI_IMAGE2VIDEO,),
    "video-extend": (VIDEO_EXTEND, VIDEO_EXTEND_SOURCE),
    "effects": (EFFECTS,),
    "omni-video": (OMNI_VIDEO,),
    "text-to-video": (NEW_VIDEO_MODEL, NEW_TEXT_TO_VIDEO),
    "image-to-video": (NEW_VIDEO_MODEL, NEW_IMAGE_TO_VIDEO),
    "omni-video-new": (OMNI_VIDEO_NEW_MODEL, OMNI_VIDEO_NEW),
    "lip-sync": (LIP_SYNC,),
    "identify-face": (IDENTIFY_FACE,),
    "advanced-lip-sync": (ADVANCED_LIP_SYNC, ADVANCED_LIP_SYNC_SESSION),
    "images/generations": (IMAGE_GENERATIONS,),
    "multi-image2image": (MULTI_IMAGE2IMAGE,),
    "editing/expand": (EXPAND,),
    "omni-image": (OMNI_IMAGE,),
    "kolors-virtual-try-on": (TRY_ON,),
    "virtual_try_on": (TRY_ON_SOLUTION,),
    "text-to-audio": (TEXT_TO_AUDIO,),
    "video-to-audio": (VIDEO_TO_AUDIO, VIDEO_TO_AUDIO_SOURCE),
    "tts": (TTS,),
    "omni-image-new": (IMAGE4,),
    "image-recognize": (IMAGE_RECOGNIZE,),
    "ai-multi-shot": (AI_MULTI_SHOT,),
    "avatar": (AVATAR,),
    "motion-control": (MOTION_CONTROL,),
    "motion-control-new": (MOTION_CONTROL_NEW,),
    "custom-elements": (CUSTOM_ELEMENT,),
    "custom-voices": (CUSTOM_VOICE,),
    "multi-elements": (MULTI_ELEMENTS,),
}
"""Each route's rule tables (catalog endpoint keys), in the order the route runs them; the interpreter
(:mod:`._interp`) evaluates them. A Kling 4.0 model on the 2026 routes is judged by its own tables instead
(``_kling4.TABLES``, over the wire body: the 4.0 routes share these endpoint keys), which return every
refusal too."""

__all__ = [
    "ADVANCED_LIP_SYNC",
    "ADVANCED_LIP_SYNC_SESSION",
    "AI_MULTI_SHOT",
    "AVATAR",
    "CUSTOM_ELEMENT",
    "CUSTOM_VOICE",
    "EFFECTS",
    "EXPAND",
    "IDENTIFY_FACE",
    "IMAGE2VIDEO",
    "IMAGE4",
    "IMAGE_GENERATIONS",
    "IMAGE_RECOGNIZE",
    "LIP_SYNC",
    "MOTION_CONTROL",
    "MOTION_CONTROL_NEW",
    "MULTI_ELEMENTS",
    "MULTI_IMAGE2IMAGE",
    "MULTI_IMAGE2VIDEO",
    "NEW_IMAGE_TO_VIDEO",
    "NEW_TEXT_TO_VIDEO",
    "NEW_VIDEO_MODEL",
    "OMNI_IMAGE",
    "OMNI_VIDEO",
    "OMNI_VIDEO_NEW",
    "OMNI_VIDEO_NEW_MODEL",
    "TABLES",
    "TEXT2VIDEO",
    "TEXT_TO_AUDIO",
    "TRY_ON",
    "TRY_ON_SOLUTION",
    "TTS",
    "VIDEO_EXTEND",
    "VIDEO_EXTEND_SOURCE",
    "VIDEO_TO_AUDIO",
    "VIDEO_TO_AUDIO_SOURCE",
    "Checks",
    "Refusal",
    "as_bool",
    "as_duration",
    "as_mode",
    "camera_control",
    "given",
    "multi_shot",
    "omni_new_model",
    "page",
]
