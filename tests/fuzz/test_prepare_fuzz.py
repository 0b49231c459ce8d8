"""``klingkit.prepare`` never crashes and never accepts what cannot be sent, for any input.

Property: for any feature and any parameters (documented names with wrong types, NaN, infinities, huge
integers, deep nesting, bytes, decompression bombs, unknown names), ``prepare`` either raises a
``KlingError`` (a ValidationError naming the field) or returns a spec whose body is plain JSON
(``allow_nan=False``). A few thousand examples run in the suite; set ``KLINGKIT_FUZZ_EXAMPLES`` for more.
"""

from __future__ import annotations

import io
import json
import os
import warnings
import zlib
from typing import Any

import pytest
from typing_extensions import is_typeddict

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import klingkit  # noqa: E402
from klingkit import _params, catalog  # noqa: E402
from klingkit.errors import KlingError  # noqa: E402

EXAMPLES = int(os.environ.get("KLINGKIT_FUZZ_EXAMPLES", "2500"))


def _field_names() -> list[str]:
    names: set[str] = set()
    for obj in vars(_params).values():
        if isinstance(obj, type) and is_typeddict(obj):
            names.update(obj.__annotations__)
    return sorted(names | {"model", "model_name", "prompt", "duration", "mode", "watermark_info"})


def _bomb_png() -> bytes:
    """A small PNG that claims a huge canvas (Pillow's decompression-bomb check refuses to open it)."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("1", (1, 1)).save(buf, format="PNG")
    data = bytearray(buf.getvalue())
    # IHDR width/height live at bytes 16..24: claim 60000 x 60000 and fix the chunk's CRC.
    data[16:24] = (60000).to_bytes(4, "big") + (60000).to_bytes(4, "big")
    data[29:33] = (zlib.crc32(bytes(data[12:29])) & 0xFFFFFFFF).to_bytes(4, "big")
    return bytes(data)


FEATURES = sorted(catalog.ENDPOINTS)


def _feature_fields() -> dict[str, list[str]]:
    """Each feature's documented parameter names (from its TypedDict), so that most fuzzed calls reach
    the rules instead of stopping at "unknown parameter"."""
    from klingkit import _requests

    builders = getattr(_requests, "_BUILDERS", {})
    out = {}
    for feature in FEATURES:
        td = builders.get(feature, (None, None))[1]
        keys = set(getattr(td, "__required_keys__", ())) | set(getattr(td, "__optional_keys__", ()))
        out[feature] = sorted(keys) or ["prompt"]
    return out


FIELDS = _feature_fields()
NAMES = _field_names()
MODELS = sorted(
    {m for m in getattr(catalog, "MODELS", {})} | {"kling-v1", "kling-v2-6", "kling-2.6", "kling-3.0"}
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 1, 5, 10, "5", "10", "std", "pro", "16:9", "1:1", "on", "off", "", " "]),
    st.text(max_size=40),
    st.sampled_from(MODELS),
    st.binary(max_size=64),
    st.just(_bomb_png()),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(NAMES), st.text(max_size=8)), inner, max_size=4),
    ),
    max_leaves=12,
)


def _deep(n: int) -> Any:
    value: Any = {"enabled": True}
    for _ in range(n):
        value = {"x": value}
    return value


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
    derandomize="KLINGKIT_FUZZ_EXAMPLES" not in os.environ,  # the suite is reproducible; big runs explore
)
@given(data=st.data(), feature=st.sampled_from(FEATURES))
def test_prepare_raises_only_kling_errors_and_returns_only_json(data: Any, feature: str) -> None:
    names = st.one_of(st.sampled_from(FIELDS[feature]), st.sampled_from(NAMES), st.text(max_size=10))
    params = data.draw(st.dictionaries(names, values, max_size=6), label="params")
    if data.draw(st.booleans(), label="with prompt"):
        params.setdefault("prompt", data.draw(st.text(max_size=30), label="prompt"))
    _check(feature, params)


def _check(feature: str, params: dict[str, Any]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            spec = klingkit.prepare(feature, **params)
        except KlingError:
            return
    json.dumps(spec.body, allow_nan=False)  # what would be sent is plain JSON
    assert spec.estimate is not None


@pytest.mark.parametrize(
    "params",
    [
        {"prompt": "x", "watermark_info": {"enabled": float("nan")}},
        {"prompt": "x", "cfg_scale": float("inf")},
        {"prompt": "x", "duration": 10**30},
        {"prompt": "x", "camera_control": _deep(200)},
        {"prompt": "x", "negative_prompt": {"a", "set"}},
        {"prompt": "x", "camera_control": {1: 2}},
        {"prompt": "x", "n": list(range(20_000))},
    ],
    ids=["nan", "inf", "huge-int", "deep", "set", "non-text-key", "huge-list"],
)
def test_values_json_cannot_carry_are_refused_naming_the_field(params: dict[str, Any]) -> None:
    from klingkit.errors import ValidationError

    with pytest.raises(ValidationError) as info:
        klingkit.prepare("text2video", **params)
    assert info.value.field and info.value.field.split(".")[0].split("[")[0] in params


def test_an_omni_image_list_item_without_its_image_is_a_validation_error() -> None:
    # Found by the fuzz test (KeyError before): an item object that lacks image_url.
    from klingkit.errors import ValidationError

    with pytest.raises(ValidationError) as info:
        klingkit.prepare("omni-video", prompt="x", image_list=[{"horizontal": 1}])
    assert info.value.field == "image_list[0].image_url"


def test_a_decompression_bomb_is_a_validation_error() -> None:
    from klingkit.errors import ValidationError

    with pytest.raises(ValidationError) as info:
        klingkit.prepare("image2video", image=_bomb_png(), prompt="x")
    assert info.value.field == "image" and "pixels" in str(info.value)
