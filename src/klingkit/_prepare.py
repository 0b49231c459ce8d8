"""Pure request building: ``prepare(feature, **params)`` -> a validated, priced :class:`RequestSpec`.

Nothing here does I/O except reading local media files given as inputs. One builder per endpoint turns the
caller's flat parameters (``klingkit._params``) into the exact wire JSON, after the rules in
``klingkit._validation`` and the media checks in ``klingkit._media``; the price comes from the catalog.

Body conventions (documented choices):

* ``model_name`` is always sent on routes that take it, even when the caller left it out, so the body says
  which model was validated and priced (the service default differs between doc versions).
* Other optional fields are sent only when given; empty strings (``"negative_prompt": ""``,
  ``"callback_url": ""``, ``"external_task_id": ""`` as in the official samples) are dropped, because the
  service treats absent and empty alike.
* Legacy routes send ``duration`` as a string (``"5"``) and ``mode`` in its short form (``std``/``pro``; the
  service rejects ``standard``); 2026 routes send ``settings.duration`` as an int. ``multi_shot`` is sent as
  a JSON boolean (its documented type) even when given as ``"true"``.
* ``camera_control`` of type ``simple`` is sent with all six axes (the others 0), as documented.
"""

from __future__ import annotations

import difflib
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from . import _media as media
from . import _params as P
from . import _requests_more, _video4, catalog
from . import _validation as V
from ._bodies import (
    _b_advanced_lip_sync,
    _b_effects,
    _b_expand,
    _b_identify_face,
    _b_images_generations,
    _b_lip_sync,
    _b_multi_image2image,
    _b_omni_image,
    _b_text_to_audio,
    _b_try_on,
    _b_tts,
    _b_video_to_audio,
    _Built,
)
from ._bodies_video import (
    _b_image2video,
    _b_image_to_video_new,
    _b_multi_image2video,
    _b_omni_video,
    _b_omni_video_new,
    _b_text2video,
    _b_text_to_video_new,
    _b_video_extend,
)
from ._exceptions import ValidationError
from ._input_guard import check_body, check_params
from ._undocumented import refuse_undocumented
from ._validation import Checks
from .catalog import Estimate, rules

__all__ = ["FEATURE_ALIASES", "RequestSpec", "features", "prepare", "resolve_feature"]


@dataclass(frozen=True)
class RequestSpec:
    """Everything needed to send one create request, and to record it.

    ``feature`` is the catalog endpoint key (``text2video``, ``text-to-video``, ``images/generations``...);
    ``body`` is the exact wire JSON; ``params`` the caller's parameters with blobs elided (for sidecars
    and the ledger); ``estimate`` the catalog price; ``duration`` seconds of output (when known).
    """

    feature: str
    method: str
    path: str
    body: dict[str, Any]
    family: str
    pack: str
    params: dict[str, Any]
    estimate: Estimate
    query: dict[str, Any] | None = None
    external_id: str | None = None
    warnings: tuple[str, ...] = ()
    sync: bool = False
    model: str | None = None
    mode: str | None = None
    duration: float | None = None

    def with_external_id(self, eid: str) -> RequestSpec:
        """A copy whose body carries ``eid`` as ``external_task_id`` (top level on legacy routes,
        inside ``options`` on the 2026 and solutions routes)."""
        if not catalog.takes_external_id(self.model):
            # Kling 4.0 refuses the field: the id stays a local key (ledger, sidecars), never sent.
            return replace(self, external_id=eid)
        body = dict(self.body)
        if self.family == "legacy":
            body["external_task_id"] = eid
        else:
            options = dict(body.get("options") or {})
            options["external_task_id"] = eid
            body["options"] = options
        return replace(self, body=body, external_id=eid)


# --- routing --------------------------------------------------------------------------------------------

_Builder = Callable[[dict[str, Any], Checks], _Built]

_BUILDERS: dict[str, tuple[_Builder, type]] = {
    "text2video": (_b_text2video, P.TextToVideoParams),
    "text-to-video": (_b_text_to_video_new, P.TextToVideoParams),
    "image2video": (_b_image2video, P.ImageToVideoParams),
    "image-to-video": (_b_image_to_video_new, P.ImageToVideoParams),
    "multi-image2video": (_b_multi_image2video, P.MultiImageToVideoParams),
    "video-extend": (_b_video_extend, P.VideoExtendParams),
    "lip-sync": (_b_lip_sync, P.LipSyncParams),
    "identify-face": (_b_identify_face, P.IdentifyFaceParams),
    "advanced-lip-sync": (_b_advanced_lip_sync, P.AdvancedLipSyncParams),
    "effects": (_b_effects, P.EffectsParams),
    "omni-video": (_b_omni_video, P.OmniVideoParams),
    "omni-video-new": (_b_omni_video_new, P.OmniVideoParams),
    "images/generations": (_b_images_generations, P.ImageGenerationParams),
    "multi-image2image": (_b_multi_image2image, P.MultiImageToImageParams),
    "editing/expand": (_b_expand, P.ExpandParams),
    "kolors-virtual-try-on": (_b_try_on, P.TryOnParams),
    "virtual_try_on": (_b_try_on, P.TryOnParams),
    "omni-image": (_b_omni_image, P.OmniImageParams),
    "text-to-audio": (_b_text_to_audio, P.TextToAudioParams),
    "video-to-audio": (_b_video_to_audio, P.VideoToAudioParams),
    "tts": (_b_tts, P.TtsParams),
}

FEATURE_ALIASES: dict[str, str] = catalog.FEATURE_WORDS
"""Friendly names -> catalog feature keys: the catalog's one table of feature words (policy and the
word-to-route rules in :mod:`klingkit.catalog` ``feature_for``)."""


_KLING4_FEATURES = (
    "text2video",
    "image2video",
    "omni-video",
    "text-to-video",
    "image-to-video",
    "omni-video-new",
)
"""The features whose builders hand a Kling 4.0 model to ``_video4`` (one model, three modes)."""


def features() -> list[str]:
    """The catalog feature keys :func:`prepare` can build."""
    return list(_BUILDERS)


def resolve_feature(feature: str, params: Mapping[str, Any]) -> str:
    """The catalog feature key for ``feature`` (a key or an alias), looking at the model name."""
    key = catalog.feature_for(feature, params) or feature
    if key not in _BUILDERS:
        close = difflib.get_close_matches(feature, [*_BUILDERS, *FEATURE_ALIASES], n=1)
        raise ValidationError(
            "feature", feature, ", ".join(_BUILDERS), f"did you mean {close[0]!r}?" if close else None
        )
    if key in ("text2video", "image2video"):  # the model picks the route (policy feature-words)
        model = params.get("model_name")
        if isinstance(model, str) and catalog.new_video_model(model) is not None:
            return "text-to-video" if key == "text2video" else "image-to-video"
    if key == "omni-video":
        model = params.get("model_name")
        if isinstance(model, str) and V.omni_new_model(model) is not None:
            return "omni-video-new"
    return key


def _allowed_keys(td: type) -> frozenset[str]:
    keys: frozenset[str] = getattr(td, "__required_keys__", frozenset()) | getattr(
        td, "__optional_keys__", frozenset()
    )
    return keys


def _prepare_2026h2(feature: str, params: dict[str, Any]) -> RequestSpec | None:
    """The spec when ``feature``/``params`` ask for one of the 2026-H2 builders, else None. A value of a
    type those builders cannot use (a list where a name goes, ...) is a ValidationError, never a crash."""
    try:
        if _video4.is_kling4(params) and FEATURE_ALIASES.get(feature, feature) in _KLING4_FEATURES:
            spec: RequestSpec = _video4.prepare4(feature, params)
            return spec
        more: RequestSpec | None = _requests_more.prepare_more(feature, params)
        return more
    except ValidationError:
        raise
    except (TypeError, ValueError, AttributeError, KeyError, OverflowError) as exc:
        shown = {k: type(v).__name__ for k, v in params.items()}
        raise ValidationError(
            "params", shown, "the documented types (text, numbers, lists of media)", f"unusable value: {exc}"
        ) from None


def prepare(feature: str, /, *, strict: bool = False, **params: Any) -> RequestSpec:
    """Validate, price and build the create request for ``feature``.

    ``feature`` is a catalog key (``text2video``, ``images/generations``...) or an alias (``text_to_video``,
    ``generate``...). ``strict=True`` refuses model names the catalog does not know (otherwise they pass
    with a warning in ``spec.warnings``). Raises :class:`~klingkit._exceptions.ValidationError` before
    anything is sent.
    """
    check_params(params)  # NaN, infinities, deep nesting, huge or non-JSON values: refused before any rule
    if "model" in params:
        # ``model=`` reads better in Python; the wire (and the reference) call it ``model_name``.
        if "model_name" in params:
            raise ValidationError("model", params["model"], "either model or model_name, not both")
        params["model_name"] = params.pop("model")
    if isinstance(params.get("sound"), bool):
        params["sound"] = "on" if params["sound"] else "off"
    h2 = _prepare_2026h2(feature, params)  # Kling 4.0, avatar, motion control, Image 4.0, library, editing
    if h2 is not None:
        check_body(h2.body)
        for message in h2.warnings:
            warnings.warn(message, UserWarning, stacklevel=3)
        return h2
    key = resolve_feature(feature, params)
    builder, td = _BUILDERS[key]
    allowed = _allowed_keys(td) - {"model"}  # ``model`` was renamed to ``model_name`` above
    if "model_name" in params and "model_name" not in allowed:
        raise ValidationError(
            "model_name", params["model_name"], f"no model choice: {key} has a single model"
        )
    refuse_undocumented(params, allowed, key)  # the value is not echoed: it may be a file's bytes or a key
    c = Checks(strict)
    try:
        built = builder(dict(params), c)
    except rules.Refusal as r:
        raise V.refused_as_validation_error(r) from None
    final = built.feature or key
    ep = catalog.endpoint(final)
    path = f"{ep.path}/{built.path_model}" if ep.model_in_path and built.path_model else ep.path
    found = (*c.warnings, *built.extra_warnings)
    for message in found:
        warnings.warn(message, UserWarning, stacklevel=3)
    eid = params.get("external_task_id")
    check_body(built.body)  # what passed the rules must still be plain JSON to be sent
    return RequestSpec(
        feature=final,
        method="POST",
        path=path,
        body=built.body,
        family=ep.family,
        pack=ep.pack,
        params=media.elide(params),
        estimate=built.estimate,
        external_id=eid if isinstance(eid, str) and eid else None,
        warnings=tuple(found),
        sync=ep.sync,
        model=built.model,
        mode=built.mode,
        duration=built.duration,
    )
