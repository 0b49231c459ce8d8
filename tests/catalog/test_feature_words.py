"""One table of feature words (``catalog.FEATURE_WORDS``, policy in ``catalog.feature_for``): the library's
``prepare``, a batch row's ``kind`` and the CLI read it, so a word means the same route everywhere."""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

import pytest

import klingkit
from klingkit import ValidationError, catalog
from klingkit.jobs._batch_rows import KINDS, Row, row_request

PNG = "https://example.com/a.png"


def _batch_feature(kind: str, **fields: Any) -> str:
    feature, _, _ = row_request(Row(1, {"kind": kind, **fields}, Path(".")))
    return feature


WORDS = sorted(set(catalog.FEATURE_WORDS) | {"text2video", "text-to-video", "image-to-video", "omni-video"})


@pytest.mark.parametrize("word", WORDS)
def test_a_word_names_the_same_route_in_the_library_and_in_a_batch_row(word: str) -> None:
    from klingkit._prepare import features, resolve_feature
    from klingkit._requests_more import route_key

    expected = catalog.feature_for(word)
    assert expected in catalog.ENDPOINTS
    assert _batch_feature(word) == expected
    if expected in features():
        assert resolve_feature(word, {}) == expected
    else:  # a 2026-H2 route: its builder is found by the same word (both motion routes share one)
        assert route_key(word) == expected.removesuffix("-new")


def test_the_batch_kinds_are_the_catalog_words() -> None:
    assert KINDS is catalog.FEATURE_WORDS


def test_the_model_picks_the_route_for_legacy_words_and_2026_keys_take_2026_models_only() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for word in ("video", "text_to_video", "text2video"):
            spec = klingkit.prepare(word, prompt="x", model_name="kling-3.0")
            assert (spec.feature, spec.path) == ("text-to-video", "/text-to-video/kling-3.0"), word
            assert klingkit.prepare(word, prompt="x", model_name="kling-v2-6").feature == "text2video"
    # ``text-to-video`` is the 2026 route in the library and in a batch row alike.
    with pytest.raises(ValidationError) as library:
        klingkit.prepare("text-to-video", prompt="x", model_name="kling-v2-6")
    assert library.value.field == "model_name"
    assert _batch_feature("text-to-video", prompt="x", model="kling-v2-6") == "text-to-video"


def test_video_with_an_image_and_try_on_with_a_person_image_switch_route_everywhere() -> None:
    assert catalog.feature_for("video", {"image": PNG}) == "image2video"
    assert _batch_feature("video", prompt="x", image=PNG) == "image2video"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert klingkit.prepare("video", image=PNG).feature == "image2video"
        solution = klingkit.prepare("try-on", person_image=PNG, product_image=PNG)
    assert solution.feature == "virtual_try_on"
    assert _batch_feature("try-on", person_image=PNG, product_image=PNG) == "virtual_try_on"
    assert _batch_feature("try-on", human_image=PNG, cloth_image=PNG) == "kolors-virtual-try-on"


def test_the_kinds_the_cli_names_are_catalog_words() -> None:
    """`klingkit batch --help` and the skill name row kinds in prose; each must be a word the catalog has."""
    from klingkit.cli import batch as batch_cmd

    named = re.search(r"a kind \(([^)]*)\)", " ".join(str(batch_cmd.batch.help).split()))
    assert named, "the batch help no longer names the row kinds"
    kinds = [k.strip() for k in named.group(1).split(",") if k.strip() not in ("...", "")]
    assert kinds and all(catalog.feature_for(k) for k in kinds), kinds
