"""AI multi-shot (``/v1/general/ai-multi-shot``): the body pinned against the shape of the official page's
copy (M), the refusals that name the caller's parameter, the price (20 units a call, H), and both answer
shapes parsed into image outputs."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from klingkit import catalog, parse_task, prepare
from klingkit.errors import ValidationError

IMG = "https://example.com/front.png"


def test_body_from_a_url() -> None:
    spec = prepare("ai_multi_shot", image=IMG, callback_url="https://hooks.example.com/k")
    assert (spec.method, spec.path, spec.feature, spec.family) == (
        "POST",
        "/v1/general/ai-multi-shot",
        "ai-multi-shot",
        "legacy",
    )
    assert spec.body == {"element_frontal_image": IMG, "callback_url": "https://hooks.example.com/k"}
    assert spec.with_external_id("m1").body["external_task_id"] == "m1"


def test_a_local_file_is_sent_as_raw_base64(tmp_path: Path) -> None:
    from PIL import Image

    path = tmp_path / "front.png"
    Image.new("RGB", (400, 600), (20, 40, 60)).save(path)
    body = prepare("ai_multi_shot", image=path).body
    assert base64.b64decode(body["element_frontal_image"]) == path.read_bytes()  # no data: prefix


def test_price_is_the_catalogs_flat_call_price() -> None:
    est = prepare("ai_multi_shot", image=IMG).estimate
    assert (est.units, est.pack, est.exact) == (catalog.multishot.UNITS, "image", True)
    assert est.units == 20 and est.usd == catalog.usd(20, "image")


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({}, "image", "required"),
        ({"image": IMG, "prompt": "x"}, "prompt", "unknown parameter"),
        ({"image": IMG, "element_frontal_imag": IMG}, "element_frontal_imag", "unknown parameter"),
    ],
)
def test_refusals_name_the_parameter(params: dict[str, object], field: str, words: str) -> None:
    with pytest.raises(ValidationError) as info:
        prepare("ai_multi_shot", **params)
    assert info.value.field == field and words in str(info.value)


def test_a_too_small_picture_is_refused_before_sending(tmp_path: Path) -> None:
    from PIL import Image

    path = tmp_path / "tiny.png"
    Image.new("RGB", (200, 200)).save(path)
    with pytest.raises(ValidationError) as info:
        prepare("ai_multi_shot", image=path)
    assert info.value.field == "image" and "300" in str(info.value)


def test_both_answer_shapes_become_image_outputs() -> None:
    single = {"task_id": "1", "task_status": "succeed", "task_result": {"images": [
        {"index": i, "url": f"https://cdn.example.com/{i}.png"} for i in range(3)]}}  # fmt: skip
    listed = {"task_id": "1", "task_status": "succeed", "task_result": {"images": [
        {"index": 0, "url_1": "https://cdn.example.com/a.png", "url_2": "https://cdn.example.com/b.png",
         "url_3": "https://cdn.example.com/c.png"}]}}  # fmt: skip
    for data, names in ((single, ["0", "1", "2"]), (listed, ["a", "b", "c"])):
        task = parse_task(data)
        assert [o.kind for o in task.outputs] == ["image"] * 3
        assert [str(o.url).rsplit("/", 1)[1].split(".")[0] for o in task.outputs] == names
        assert [o.index for o in task.outputs] == [0, 1, 2]
