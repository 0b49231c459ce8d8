"""Image recognition, AI multi-shot and Image 4.0 read their rules from tables (``catalog/rules/``): a
request with several faults gets every refusal at once, from the library (``ValidationError.all``, nothing
sent) and from the sandbox over HTTP (400/1201, nothing created), the same refusals the catalog states."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

import klingkit
from klingkit import Kling, catalog

from ..installed import klingkit_command

pytestmark = pytest.mark.integration

# Each route with a body that has several faults, and the fields the catalog must name, in table order.
REF = "https://example.com/ref.png"
IMAGE4_FAULTS = {  # five faults: a callback, a second prompt, an item without its url, 4K spelled 8k, n=12
    "options": {"callback_url": "https://hooks.example.com/k"},
    "contents": [
        {"type": "prompt", "text": "a cat"},
        {"type": "refer_image"},
        {"type": "prompt", "text": "a dog"},
    ],
    "settings": {"resolution": "8k", "n": 12},
}
LONG_FAULTS = {  # the webpage skill takes no plain reference, and at most one style reference
    "contents": [
        {"type": "prompt", "text": "a landing page"},
        {"type": "refer_image", "url": REF},
        {"type": "style_refer_image", "url": REF},
        {"type": "style_refer_image", "url": REF},
    ],
    "settings": {"skill": "webpage", "aspect_ratio": "2:1"},
}
SEVERAL: list[tuple[str, str, dict[str, Any], list[str]]] = [
    ("recognize", "image-recognize", {"image": "", "type": "sky_seg"}, ["image", "type"]),
    (
        "image-4.0",
        "omni-image-new/kling-image-4.0",
        IMAGE4_FAULTS,
        ["options.callback_url", "contents[1].url", "contents", "settings.resolution", "settings.n"],
    ),
    (
        "long-image-4.0",
        "omni-image-new/kling-long-image-4.0",
        LONG_FAULTS,
        [
            "settings.aspect_ratio",
            "contents[type=style_refer_image]",
            "contents[type=refer_image]",
        ],
    ),
]


def _route(feature: str, body: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    """(catalog feature, path, what catalog.check reads) for a SEVERAL row (``feature/model`` in the path)."""
    feature, _, model = feature.partition("/")
    path = catalog.endpoint(feature).path + (f"/{model}" if model else "")
    return feature, path, ({**body, "model_name": model} if model else body)


@pytest.mark.parametrize(("name", "feature", "body", "fields"), SEVERAL, ids=[s[0] for s in SEVERAL])
def test_the_catalog_names_every_fault(
    name: str, feature: str, body: dict[str, Any], fields: list[str]
) -> None:
    feature, _, params = _route(feature, body)
    found = catalog.refusals(feature, params)
    assert [r.field for r in found] == fields
    assert all(str(r).startswith(f"invalid {r.field}=") for r in found)


def test_the_client_raises_both_recognition_faults_and_sends_nothing(sb: Any) -> None:
    client = Kling(api_key=sb.api_key, base_url=sb.base_url)
    with client, pytest.raises(klingkit.ValidationError) as err:
        client.images.recognize(type="sky_seg")
    e = err.value
    assert [p.field for p in e.all] == ["image", "type"]
    assert e.all[1].value == "sky_seg" and e.all[1].allowed == ", ".join(catalog.recognize.KINDS)
    lines = str(e).splitlines()
    assert len(lines) == 2 and lines[0].startswith("invalid image=") and lines[1].startswith("invalid type=")
    counters = sb.counters()
    assert counters["creates"] == 0 and not counters["requests"].get("POST /v1/videos/image-recognize")


def test_the_client_refuses_a_multi_shot_without_a_picture_and_sends_nothing(sb: Any) -> None:
    client = Kling(api_key=sb.api_key, base_url=sb.base_url)
    with client, pytest.raises(klingkit.ValidationError) as err:
        client.images.multi_shot(callback_url="https://hooks.example.com/k")
    assert [p.field for p in err.value.all] == ["image"]  # the caller's parameter, not the wire's name
    assert "required" in str(err.value)
    assert sb.counters()["creates"] == 0


@pytest.mark.parametrize(("name", "feature", "body", "fields"), SEVERAL, ids=[s[0] for s in SEVERAL])
def test_the_sandbox_refuses_over_http_and_creates_nothing(
    sb: Any, name: str, feature: str, body: dict[str, Any], fields: list[str]
) -> None:
    feature, path, params = _route(feature, body)
    first = catalog.refusals(feature, params)[0]
    headers = {"Authorization": f"Bearer {sb.api_key}"}
    answer = httpx.post(sb.base_url + path, json=body, headers=headers)
    assert answer.status_code == 400 and answer.json()["code"] == 1201
    assert str(first) in answer.json()["message"]  # the catalog's own words for the first fault
    assert sb.counters()["creates"] == 0


def test_the_client_names_every_image_4_fault_by_its_parameter_and_sends_nothing(sb: Any) -> None:
    client = Kling(api_key=sb.api_key, base_url=sb.base_url)
    with client, pytest.raises(klingkit.ValidationError) as err:
        client.images.omni(model="kling-image-4.0", prompt="a cat", refer_images=[REF] * 8, elements=["1", "2", "3"],
                           resolution="8k", n=12, aspect_ratio="2:1")  # fmt: skip
    problems = [(p.field, p.value) for p in err.value.all]
    assert problems == [
        ("aspect_ratio", "2:1"),
        ("resolution", "8k"),
        ("refer_images", "11 references and elements"),
        ("n", 12),
    ]
    assert len(str(err.value).splitlines()) == 4
    with (
        Kling(api_key=sb.api_key, base_url=sb.base_url) as client,
        pytest.raises(klingkit.ValidationError) as err,
    ):
        client.images.omni(model="kling-long-image-4.0", prompt="shop", skill="ecommerce", style_image=REF)
    assert [p.field for p in err.value.all] == [
        "refer_images",
        "style_image",
    ]  # 1-3 refs; no style on ecommerce
    assert sb.counters()["creates"] == 0 and not any("omni-image" in k for k in sb.counters()["requests"])


def test_a_good_recognition_still_answers_at_once(sb: Any, tmp_path: Path) -> None:
    """The table accepts what it should: every kind the catalog lists is a finished task with a mask."""
    from PIL import Image

    image = tmp_path / "person.png"
    Image.new("RGB", (400, 500), (90, 120, 30)).save(image)
    with Kling(api_key=sb.api_key, base_url=sb.base_url) as client:
        for kind in catalog.recognize.KINDS:
            task = client.images.recognize(image=image, type=kind)
            assert task.succeeded and [o.kind for o in task.outputs] == ["image"]
    assert sb.counters()["creates"] == len(catalog.recognize.KINDS)


def test_an_unknown_image_4_model_is_the_only_refusal() -> None:
    """The model ends the table: nothing else is read for a model the route does not serve."""
    found = catalog.refusals("omni-image-new", {"model_name": "kling-image-9", **IMAGE4_FAULTS})
    assert [(r.field, r.value) for r in found] == [("model", "kling-image-9")]


def test_a_series_amount_sent_as_null_is_auto_at_the_client_and_at_the_server(sb: Any) -> None:
    """``series_amount: null`` is accepted as not sent (the server chooses): priced at the ceiling by the
    client, billed for what the sandbox made (it used to crash the price with int(None))."""
    body = {"contents": [{"type": "prompt", "text": "a cat"}],
            "settings": {"result_type": "series", "series_amount": None}}  # fmt: skip
    ok = catalog.check("omni-image-new", {**body, "model_name": catalog.image4.IMAGE})
    assert ok.count == catalog.image4.SERIES_AMOUNT[1] and not ok.estimate.exact
    headers = {"Authorization": f"Bearer {sb.api_key}"}
    answer = httpx.post(f"{sb.base_url}/omni-image/{catalog.image4.IMAGE}", json=body, headers=headers)
    assert answer.status_code == 200 and answer.json()["code"] == 0
    assert sb.counters()["creates"] == 1


def test_the_installed_cli_names_every_bad_image_4_flag_and_sends_nothing(sb: Any, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KLING_", "KLINGKIT_"))}
    env.update(
        KLINGKIT_HOME=str(tmp_path), KLING_API_KEY=sb.api_key, NO_COLOR="1", XDG_CONFIG_HOME=str(tmp_path)
    )
    # Two bad flags for Image 4.0: 11 references and elements (at most 10), and n=2 with a series (one set).
    args = [
        klingkit_command(),
        "image",
        "omni",
        "a teapot",
        "--model",
        "kling-image-4.0",
        "--series",
        "3",
        "-n",
        "2",
    ]
    args += [*(a for _ in range(8) for a in ("--ref", REF)), *(a for e in "123" for a in ("--element", e))]
    args += ["--base-url", sb.base_url]
    text = subprocess.run(args, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    as_json = subprocess.run(
        [*args, "--json"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60
    )
    assert text.returncode == 2 and as_json.returncode == 2
    assert "2 problems:" in text.stderr and "nothing was sent" in text.stderr
    assert (
        "invalid --ref" in text.stderr
        and "at most 10 in all" in text.stderr
        and "invalid -n 2" in text.stderr
    )
    problems = json.loads(as_json.stdout)["error"]["problems"]
    assert [(p["field"], p["flag"]) for p in problems] == [("refer_images", "--ref"), ("n", "-n")]
    assert sb.counters()["creates"] == 0
