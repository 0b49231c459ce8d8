"""Kling Image 4.0 / Long Image 4.0 requests: bodies pinned to kling-2026-h2.md §2's shapes (M; the route is
L), validation messages, approximate prices, and no external id on the wire."""

from __future__ import annotations

from typing import Any

import pytest

from klingkit import prepare
from klingkit.errors import ValidationError

REF = "https://example.com/ref.png"


def test_image_4_0_body_and_route() -> None:
    spec = prepare("generate", model="kling-image-4.0", prompt="a cat", refer_images=[REF], elements=[42],
                   n=2, resolution="4k", aspect_ratio="21:9")  # fmt: skip
    assert (spec.path, spec.feature, spec.family, spec.pack) == (
        "/omni-image/kling-image-4.0",
        "omni-image-new",
        "new",
        "image",
    )
    assert spec.body == {
        "contents": [
            {"type": "prompt", "text": "a cat"},
            {"type": "refer_image", "url": REF},
            {"type": "element", "element_id": "42"},
        ],
        "settings": {"aspect_ratio": "21:9", "n": 2, "resolution": "4k"},
    }
    assert spec.estimate.units == 32 and not spec.estimate.exact
    assert "options" not in spec.with_external_id("kk-local").body


def test_series_is_priced_at_its_amount_and_auto_at_the_ceiling() -> None:
    spec = prepare("omni_image", model="kling-image-4.0", prompt="x", result_type="series", series_amount=5)
    assert spec.estimate.units == 40
    auto = prepare(
        "omni_image", model="kling-image-4.0", prompt="x", result_type="series", series_amount="auto"
    )
    assert auto.estimate.units == 80


def test_long_image_skills() -> None:
    spec = prepare("omni_image", model="kling-long-image-4.0", prompt="landing page", skill="webpage",
                   style_image=REF, subject_image=REF)  # fmt: skip
    assert [c["type"] for c in spec.body["contents"]] == [
        "prompt",
        "style_refer_image",
        "subject_refer_image",
    ]
    assert spec.body["settings"] == {"skill": "webpage"}
    spec = prepare("omni_image", model="kling-long-image-4.0", prompt="shop", skill="ecommerce",
                   refer_images=[REF, REF])  # fmt: skip
    assert spec.estimate.units == 8


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"resolution": "1k"}, "resolution", "2k, 4k"),
        ({"n": 10}, "n", "1-9"),
        ({"series_amount": 3}, "series_amount", "needs result_type series"),
        ({"result_type": "series", "series_amount": 11}, "series_amount", "auto or 2-10"),
        ({"aspect_ratio": "5:4"}, "aspect_ratio", "auto"),
        ({"refer_images": [REF] * 8, "elements": ["1", "2", "3"]}, "refer_images", "at most 10"),
        ({"external_task_id": "e1"}, "external_task_id", "task list"),
        ({"prompt": "a" * 50_001}, "prompt", "50000"),
        ({"skill": "webpage"}, "skill", "kling-long-image-4.0's"),
    ],
)
def test_image_4_0_refusals(params: dict[str, Any], field: str, words: str) -> None:
    params.setdefault("prompt", "x")
    with pytest.raises(ValidationError) as info:
        prepare("generate", model="kling-image-4.0", **params)
    assert info.value.field == field and words in str(info.value)


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"skill": "poster"}, "skill", "webpage, ecommerce"),
        ({"skill": "ecommerce"}, "refer_images", "1-3"),
        ({"skill": "ecommerce", "refer_images": [REF] * 4}, "refer_images", "1-3"),
        ({"skill": "webpage", "refer_images": [REF]}, "refer_images", "style_refer_image"),
    ],
)
def test_long_image_refusals(params: dict[str, Any], field: str, words: str) -> None:
    with pytest.raises(ValidationError) as info:
        prepare("omni_image", model="kling-long-image-4.0", prompt="x", **params)
    assert info.value.field == field and words in str(info.value)
