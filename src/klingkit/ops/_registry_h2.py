"""The 2026-H2 operations' rows (see :mod:`._registry`): video editing, image recognition, AI multi-shot,
image expand, omni image (Image 4.0, Long Image 4.0) and Kling 4.0 omni video.

Each is one description for the CLI command it names and for its MCP tool; enums, ranges and limits are
read from the catalog through :mod:`._schema`.
"""

from __future__ import annotations

from ..catalog.lists import modes_in_words
from . import _build_h2 as B
from . import _schema as S
from ._types import Operation, P, Param
from ._types import op as _op

__all__ = ["OPERATIONS_H2"]

_E = S.edit()
_SIDE = S.expand_ratio()
_OMNI_IMAGE_MODELS, _OMNI_IMAGE_MODEL = S.omni_image_models()
_I4 = S.omni_image4()
_K4 = S.kling4()
_N = S.image_count()


def _side(where: str) -> Param:
    return P(where, S.number(f"Add this share of the {'height' if where in ('up', 'down') else 'width'} "
                             f"{'above' if where == 'up' else 'below' if where == 'down' else where}.",
                             *_SIDE, 0.0), f"--{where}")  # fmt: skip


OPERATIONS_H2: tuple[Operation, ...] = (
    _op(
        "edit_video", "Edit a video", "klingkit edit", B.edit,
        "Add, swap or remove things in a video (multi-element editing): give exactly one of add (an image "
        "of what to add), swap (an image of what to put in) or remove, and points on what to change. A "
        "free selection session is opened on the video just before the paid edit task is created.",
        P("video", S.text("A Kling video id, the task/external id that made it, or an http(s) URL."),
          "VIDEO", required=True),
        P("add", S.media("Add the subject of this image"), "--add"),
        P("swap", S.media("Swap the selected thing for this image's subject"), "--swap"),
        P("remove", S.boolean("Remove the selected thing."), "--remove"),
        P("points", S.array(S.text("X,Y: a point on what to change, as shares (0-1) of the width and "
                                   "height, e.g. 0.5,0.4."), 1, _E.POINTS_MAX), "--point"),
        P("frame", S.number("The frame the points are on.", 0, None, 0, integer=True), "--frame"),
        P("prompt", S.text("What the result shows (needed to add or swap).", _E.PROMPT_MAX), "-p"),
        P("mode", S.enum(_E.MODES, f"{modes_in_words(_E.MODES)}.", _E.MODES[0]), "-m"),
        P("duration", S.enum(_E.DURATIONS, "Seconds.", _E.DURATIONS[0]), "-d"),
        opens=B.edit_opens,
    ),
    _op(
        "recognize_image", "Recognize an image", "klingkit recognize", B.recognize,
        "Segment an image: a mask of the objects, heads, faces or clothes in it (answers at once: the task "
        "is finished when created).",
        P("image", S.media("The image to segment"), "IMAGE", required=True),
        P("kind", S.enum(S.recognize_kinds(), "What to segment.", S.recognize_kinds()[0]), "--type"),
    ),
    _op(
        "multi_shot", "AI multi-shot views", "klingkit multishot", B.multishot,
        "Three pictures of the subject of a frontal image from other angles (e.g. the references for "
        "create_element).",
        P("image", S.media("A frontal picture of one subject"), "IMAGE", required=True),
    ),
    _op(
        "expand_image", "Expand an image", "klingkit image expand", B.expand,
        "Outpaint an image: extend it on each side by a share of its width or height (at least one side).",
        P("image", S.media("The image to expand"), "IMAGE", required=True),
        _side("up"), _side("down"), _side("left"), _side("right"),
        P("prompt", S.text("What the new area shows.", S.prompt_max()), "-p"),
        P("n", S.number("How many images.", *_N, integer=True), "-n"),
    ),
    _op(
        "omni_image", "Omni image", "klingkit image omni", B.omni_image,
        "Images from a prompt with reference images and elements, as single images or a series; Kling "
        f"Image 4.0 (2k/4k) and Long Image 4.0 ({_I4.LONG}: skill webpage or ecommerce) too.",
        P("prompt", S.text("What to generate; name references by their order or @element.",
                           _I4.PROMPT_MAX_ENGLISH), "PROMPT"),
        P("refs", S.array(S.media("Reference image"), 1, _I4.REFERENCES_MAX), "--ref"),
        P("elements", S.array(S.text("An element id."), 1, _I4.REFERENCES_MAX), "--element"),
        P("model", S.enum(_OMNI_IMAGE_MODELS, "Omni image model.", _OMNI_IMAGE_MODEL), "--model"),
        P("n", S.number("How many images.", *_N, integer=True), "-n"),
        P("aspect_ratio", S.enum(S.omni_image_ratios(), "Aspect ratio (the model's own list is checked)."),
          "-r"),
        P("resolution", S.enum(S.omni_image_resolutions(), "Resolution (the model's own list is checked)."),
          "--resolution"),
        P("series", {"anyOf": [{"type": "integer", "minimum": _I4.SERIES_AMOUNT[0],
                                "maximum": _I4.SERIES_AMOUNT[1]}, {"type": "string", "enum": ["auto"]}],
                     "description": "A series of this many related images, or auto (the model picks)."},
          "--series"),
        P("skill", S.enum(_I4.SKILLS, f"{_I4.LONG} only: a web page or an e-commerce set."), "--skill"),
        P("style", S.media(f"{_I4.LONG} webpage: the style reference"), "--style"),
        P("subject", S.media(f"{_I4.LONG} webpage: the subject reference"), "--subject"),
    ),
    _op(
        "omni_video", "Kling 4.0 omni video", "klingkit omni", B.omni_video,
        "A Kling 4.0 video from a prompt with reference images, elements and voices (named @NAME in the "
        "prompt), feature videos, or a base video to edit; audio is always generated. Prices are estimates "
        "(not exact).",
        P("prompt", S.text("What happens; name elements and voices as @NAME.", _K4.PROMPT_MAX_ENGLISH),
          "PROMPT", required=True),
        P("refs", S.array(S.media("Reference image"), 1, _K4.OMNI_IMAGES_MAX), "--ref"),
        P("elements", S.array(S.text("NAME=ID (the prompt says @NAME), or an element id."), 1,
                              _K4.OMNI_ELEMENTS_MAX), "--element"),
        P("voices", S.array(S.text("NAME=ID (the prompt says @NAME), or a voice id."), 1,
                            _K4.OMNI_VOICES_MAX), "--voice"),
        P("feature_videos", S.array(S.media("Feature video"), 1, _K4.OMNI_VIDEOS_MAX), "--feature-video"),
        P("base_video", S.media("A video to edit (the result keeps its length)"), "--base-video"),
        P("keep_sound", S.boolean("With base_video: keep its original sound."), "--keep-sound"),
        P("model", S.enum(_K4.MODELS, "Kling 4.0 model.", next(iter(_K4.MODELS))), "--model"),
        P("duration", S.number("Seconds (the model decides which: "
                               + ", ".join("{} {}-{}".format(m.name, *m.durations) for m in _K4.MODELS.values())
                               + ").", *S.kling4_durations(), _K4.DEFAULT_DURATION, integer=True), "-d"),
        P("mode", S.enum(S.kling4_modes(), f"{modes_in_words(S.kling4_modes())}; each 4.0 model renders its own (see models)."), "-m"),
        P("aspect_ratio", S.enum(_K4.ASPECT_RATIOS, "Aspect ratio.", _K4.DEFAULT_ASPECT_RATIO), "-r"),
    ),
)  # fmt: skip
