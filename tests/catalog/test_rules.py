"""The rules refuse bad values with a named refusal, never a crash, on the client and the sandbox alike."""

from __future__ import annotations

import math
import warnings
from typing import Any

import pytest

import klingkit
from klingkit import catalog
from klingkit.catalog import rules

from .test_consistency import MINIMAL

# Values a caller (or a JSON body) can send where a rule expects something else.
WEIRD: list[Any] = [
    math.nan,
    math.inf,
    -math.inf,
    True,
    False,
    "",
    "x",
    -1,
    10**30,
    2.5,
    [],
    {},
    [1],
    {"a": 1},
]
FIELDS = [
    "model_name",
    "mode",
    "duration",
    "sound",
    "aspect_ratio",
    "cfg_scale",
    "n",
    "resolution",
    "camera_control",
    "multi_shot",
    "image_fidelity",
    "voice_speed",
    "series_amount",
    "result_type",
    "negative_prompt",
    "prompt",
    "audio",
    "element_list",
    "voice_list",
    "image_list",
    "face_choose",
    "up_expansion_ratio",
    "voice_language",
    "effect_scene",
]


@pytest.mark.parametrize("feature", sorted(MINIMAL))
def test_weird_values_are_refused_by_name_or_accepted_never_crash(feature: str) -> None:
    name, base = MINIMAL[feature]
    for field in FIELDS:
        for value in WEIRD:
            params = {**base, field: value}
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    spec = klingkit.prepare(name, **params)
                except klingkit.ValidationError as e:
                    assert e.field and str(e).startswith("invalid "), (feature, field, value)
                else:
                    assert math.isfinite(spec.estimate.units), (feature, field, value)


def test_a_refusal_names_field_value_allowed_and_the_nearest_model() -> None:
    with pytest.raises(rules.Refusal) as e:
        catalog.check(
            "text2video", {"prompt": "x", "duration": 15, "model_name": "kling-v2-6", "mode": "std"}
        )
    r = e.value
    assert (r.field, r.value) == ("duration", 15)
    assert "5, 10 on kling-v2-6" in str(r.allowed) and r.suggestion == "kling-v3 allows 15"
    # The client raises the same refusal as a ValidationError, word for word.
    with pytest.raises(klingkit.ValidationError) as v:
        klingkit.prepare("text2video", prompt="x", model_name="kling-v2-6", duration=15)
    assert str(v.value) == str(r) and v.value.suggestion == r.suggestion


def test_strict_refuses_unknown_models_under_the_policy() -> None:
    with pytest.warns(UserWarning, match="policy unknown-name"):
        klingkit.prepare("text2video", prompt="x", model_name="kling-v9")
    with pytest.raises(klingkit.ValidationError, match="strict mode"):
        klingkit.prepare("text2video", prompt="x", model_name="kling-v9", strict=True)
