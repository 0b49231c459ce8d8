"""Elements and voices create bodies (kling-api.md §2.14 paths; the body field names are L, mirroring the
§3.2 output objects), their validation messages and prices; the library outputs parse into Task outputs."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest

from klingkit import parse_task, prepare
from klingkit.errors import ValidationError

IMG = "https://example.com/hero.png"


def test_element_create_body() -> None:
    spec = prepare("create_element", name="Hero", images=[IMG, IMG], element_type="character", tags=["red"])
    assert (spec.method, spec.path, spec.feature) == (
        "POST",
        "/v1/general/advanced-custom-elements",
        "custom-elements",
    )
    assert spec.body == {"name": "Hero", "element_type": "character", "tags": ["red"],
                         "references": [{"image_url": IMG}, {"image_url": IMG}]}  # fmt: skip
    assert spec.with_external_id("e1").body["external_task_id"] == "e1"


def test_voice_create_body_from_a_url_and_a_file(tmp_path: Path) -> None:
    spec = prepare("create_voice", name="Narrator", audio="https://example.com/sample.mp3")
    assert spec.path == "/v1/general/custom-voices"
    assert spec.body == {"name": "Narrator", "audio_url": "https://example.com/sample.mp3"}
    assert spec.estimate.units == pytest.approx(0.05) and spec.estimate.pack == "audio"
    sample = tmp_path / "s.wav"
    with wave.open(str(sample), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\0\0" * 8000 * 2)
    with pytest.raises(ValidationError) as info:  # 2 s: too short a sample
        prepare("create_voice", name="Narrator", audio=sample)
    assert info.value.field == "audio" and "5-30 s" in str(info.value)


@pytest.mark.parametrize(
    ("feature", "params", "field", "words"),
    [
        ("create_element", {"images": [IMG]}, "name", "required"),
        ("create_element", {"name": "x" * 21, "images": [IMG]}, "name", "1-20"),
        ("create_element", {"name": "Hero", "images": []}, "images", "1-4 images"),
        ("create_element", {"name": "Hero", "images": [IMG] * 5}, "images", "1-4 images"),
        (
            "create_element",
            {"name": "Hero", "images": [IMG], "element_type": "pet"},
            "element_type",
            "character",
        ),
        ("create_voice", {"name": "N"}, "audio", "exactly one voice sample"),
    ],
)
def test_library_refusals(feature: str, params: dict[str, object], field: str, words: str) -> None:
    with pytest.raises(ValidationError) as info:
        prepare(feature, **params)
    assert info.value.field == field and words in str(info.value)


def test_library_outputs_parse() -> None:
    task = parse_task({"task_id": "t1", "task_status": "succeed", "task_result": {
        "elements": [{"id": "e1", "name": "Hero", "status": "available"}],
        "voices": [{"id": "v1", "name": "N", "url": "https://x/v1.mp3"}]}})  # fmt: skip
    assert [(o.kind, o.id) for o in task.outputs] == [("element", "e1"), ("voice", "v1")]
    assert task.outputs[1].url == "https://x/v1.mp3"


def test_image_recognize_body_and_refusals() -> None:
    spec = prepare("recognize", image=IMG, type="cloth_seg")
    assert (spec.path, spec.sync, spec.estimate.units) == ("/v1/videos/image-recognize", True, 0.1)
    assert spec.body == {"image": IMG, "type": "cloth_seg"}
    with pytest.raises(ValidationError) as info:
        prepare("recognize", image=IMG, type="body_seg")
    assert info.value.field == "type" and "object_seg" in str(info.value)
