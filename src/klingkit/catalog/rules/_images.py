"""The image routes' rules as data (§2.7-§2.10, §2.14): generations, multi-image, expand, try-on (legacy and
the 2026 solution) and omni-image; one table per route, read by the interpreter (:mod:`._interp`). The
per-model capabilities are lookups in the image model rows of the catalog."""

from __future__ import annotations

from functools import partial
from typing import Any

from .. import _data as C
from ._base import _join, _num
from ._vocab import (
    Count,
    Ctx,
    Field,
    Forbid,
    KnownModel,
    Nearest,
    PerModel,
    Refuse,
    Require,
    Rule,
    Warn,
)


def _image_rows() -> tuple[Any, ...]:
    return C.IMAGE_MODELS


def _omni_rows() -> tuple[Any, ...]:
    return C.OMNI_IMAGE_MODELS


N = Field("n", integer=(C.N_MIN, C.N_MAX), value=lambda x: x.p.get("n", 1), always=True)
"""How many images (every image route)."""


def _image(x: Ctx) -> bool:
    return x.given("image")


def _fidelity_warning(name: str) -> Warn:
    # Decision "fidelity": accepted everywhere (clients send it by default), used by few models.
    users = Nearest(_image_rows, lambda o, x: o.fidelity, name)
    return Warn(
        lambda x: x.given(name) and not x.row.fidelity,
        lambda x: (
            f"{name} has no effect on {x.model}; sent as given" + (f" ({u})" if (u := users(x)) else "")
        ),
        row=True,
    )


IMAGE_GENERATIONS: tuple[Rule, ...] = (
    N,
    Field("prompt", max_len=C.PROMPT_MAX, required=True),
    Field("negative_prompt", max_len=C.NEGATIVE_PROMPT_MAX),
    Forbid("negative_prompt", "no negative_prompt with image", "negative_prompt is text-to-image only", when=_image),
    Field("image_reference", enum=C.IMAGE_REFERENCES),
    Refuse("image", when=lambda x: x.given("image_reference") and not _image(x), shown=lambda x: None,
           allowed="an image with image_reference", why="image_reference needs the reference image",
           reads=("image_reference",)),
    Field("image_fidelity", range=(0, 1)),
    Field("human_fidelity", range=(0, 1)),
    Warn(lambda x: x.given("human_fidelity") and x.p.get("image_reference") != "subject",
         lambda x: "human_fidelity has no effect without image_reference='subject'; sent as given",
         reads=("human_fidelity",)),
    Field("resolution", enum=C.IMAGE_RESOLUTIONS),
    Field("aspect_ratio", enum=C.IMAGE_ASPECT_RATIOS),
    Count("element_list", 1, lambda x: C.IMAGE_ELEMENTS_MAX - int(_image(x))),
    KnownModel(lambda: [m.name for m in C.IMAGE_MODELS], "image generation"),
    # What follows reads the model's row (skipped for a model the catalog does not know).
    Refuse("image", when=lambda x: _image(x) and not x.row.image_to_image, shown=lambda x: "an image",
           allowed=lambda x: f"no image input on {x.model}",
           why=Nearest(_image_rows, lambda o, x: o.image_to_image, "image input"), row=True),
    Refuse("model_name", when=lambda x: not _image(x) and not x.row.text_to_image, shown=lambda x: x.model,
           allowed=lambda x: _join(o.name for o in C.IMAGE_MODELS if o.text_to_image and o.name != x.model),
           why=lambda x: f"{x.model} needs an input image (image-to-image only)", row=True),
    Refuse("image_reference", when=lambda x: x.given("image_reference") and not x.row.image_reference,
           allowed=lambda x: f"no image_reference on {x.model}",
           why=Nearest(_image_rows, lambda o, x: o.image_reference, "image_reference"), row=True),
    _fidelity_warning("image_fidelity"),
    _fidelity_warning("human_fidelity"),
    PerModel("resolution", value=lambda x: x.p["resolution"], of=lambda m: m.resolutions, rows=_image_rows,
             phrase=lambda x: str(x.p["resolution"]), when=lambda x: x.given("resolution")),
    PerModel("aspect_ratio", value=lambda x: x.p["aspect_ratio"], of=lambda m: m.aspect_ratios, rows=_image_rows,
             phrase=lambda x: str(x.p["aspect_ratio"]), when=lambda x: x.given("aspect_ratio")),
    Refuse("element_list", when=lambda x: bool(x.p.get("element_list")) and not x.row.elements,
           shown=lambda x: f"{len(x.p['element_list'])} elements", allowed=lambda x: f"no element_list on {x.model}",
           why=Nearest(_image_rows, lambda o, x: o.elements, "element_list"), row=True),
)  # fmt: skip
"""``/v1/images/generations`` (§2.7)."""

MULTI_IMAGE2IMAGE: tuple[Rule, ...] = (
    N,
    Field("prompt", max_len=C.PROMPT_MAX),
    Field("negative_prompt", max_len=C.NEGATIVE_PROMPT_MAX),
    Count("subject_image_list", C.SUBJECT_IMAGES_MIN, C.SUBJECT_IMAGES_MAX, always=True),
    Field("aspect_ratio", enum=C.IMAGE_ASPECT_RATIOS),
    KnownModel(lambda: C.MULTI_IMAGE_TO_IMAGE_MODELS, "multi-image-to-image", listed=True),
)
"""``/v1/images/multi-image2image`` (§2.8)."""

SIDES = ("up", "down", "left", "right")
_RATIOS = tuple(f"{side}_expansion_ratio" for side in SIDES)
_RATIO_TEXT = f"{_num(C.EXPAND_RATIO_MIN)} to {_num(C.EXPAND_RATIO_MAX)}"


def _present(name: str, x: Ctx) -> bool:
    return name in x.p  # a ratio of None is given (and refused as no number)


def area(x: Ctx) -> float:
    """The expanded image's area, in multiples of the original's."""
    r = {side: float(x.p[f"{side}_expansion_ratio"]) for side in SIDES}
    return (1 + r["up"] + r["down"]) * (1 + r["left"] + r["right"])


EXPAND: tuple[Rule, ...] = (
    N,
    Field("prompt", max_len=C.PROMPT_MAX),
    Require("image", "an image to expand", "image is required"),
    *(
        rule
        for name in _RATIOS
        for rule in (
            Require(name, _RATIO_TEXT, "all four ratios are required", present=partial(_present, name)),
            Field(name, range=(C.EXPAND_RATIO_MIN, C.EXPAND_RATIO_MAX), always=True),
        )
    ),
    Refuse("expansion ratios", when=lambda x: area(x) > C.EXPAND_AREA_MAX + 1e-3, shown=lambda x: f"area x{area(x):.2f}",
           allowed=f"a new image at most {_num(C.EXPAND_AREA_MAX)}x the original area",
           why="(1 + up + down) x (1 + left + right) must not exceed 3", reads=_RATIOS),
)  # fmt: skip
"""``/v1/images/editing/expand`` (§2.9)."""


def _given(x: Ctx) -> str:
    return "given"


_SOLUTION = "person_image, product_image, keep_face/keep_pose/keep_background"

TRY_ON_SOLUTION: tuple[Rule, ...] = (
    *(Require(f, "an image", f"{f} is required for the try-on solution") for f in ("person_image", "product_image")),
    *(Forbid(f, _SOLUTION, f"{f} belongs to the legacy kolors try-on", shown=_given)
      for f in ("human_image", "cloth_image", "model_name")),
    *(Field(f, boolean=True) for f in C.TRYON_SOLUTION_SETTINGS),
)  # fmt: skip
"""The 2026 try-on solution (§2.10b)."""

TRY_ON: tuple[Rule, ...] = (
    *(Require(f, "an image", f"{f} is required") for f in ("human_image", "cloth_image")),
    *(Forbid(f, "only with the 2026 try-on solution", "pass solution=True (person_image, product_image)")
      for f in C.TRYON_SOLUTION_SETTINGS),
    KnownModel(lambda: C.TRYON_MODELS, "virtual try-on", listed=True),
)  # fmt: skip
"""The legacy kolors try-on (§2.10a)."""


def _series(x: Ctx) -> bool:
    return bool(x.p.get("result_type", "single") == "series")


OMNI_IMAGE: tuple[Rule, ...] = (
    N,
    Field("prompt", max_len=C.PROMPT_MAX, required=True),
    Field("result_type", enum=C.OMNI_IMAGE_RESULT_TYPES, value=lambda x: x.p.get("result_type", "single"),
          always=True),
    Field("series_amount", integer=C.OMNI_SERIES_AMOUNT, when=lambda x: x.p.get("series_amount") != "auto"),
    # Decision "series_amount": ignored (not refused) outside a series.
    Warn(lambda x: x.given("series_amount") and not _series(x),
         lambda x: "series_amount is ignored without result_type='series'; sent as given",
         reads=("series_amount", "result_type")),
    Field("resolution", enum=C.IMAGE_RESOLUTIONS),
    KnownModel(lambda: [m.name for m in C.OMNI_IMAGE_MODELS], "omni-image"),
    Field("aspect_ratio", enum=(*C.IMAGE_ASPECT_RATIOS, "auto"), when=lambda x: x.row is None),
    PerModel("resolution", value=lambda x: x.p["resolution"], of=lambda m: m.resolutions, rows=_omni_rows,
             phrase=lambda x: str(x.p["resolution"]), when=lambda x: x.given("resolution")),
    Field("aspect_ratio", enum=lambda x: x.row.aspect_ratios, where=lambda x: f"on {x.model}", row=True),
)  # fmt: skip
"""``/v1/images/omni-image`` (§2.14)."""
