"""Image recognition, AI multi-shot and Image 4.0 read their rules from tables (``catalog/rules/``): a
request with several faults gets every refusal at once, from the library (``ValidationError.all``, nothing
sent) and from the sandbox over HTTP (400/1201, nothing created), the same refusals the catalog states."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

import klingkit
from klingkit import Kling, catalog

pytestmark = pytest.mark.integration

# Each route with a body that has several faults, and the fields the catalog must name, in table order.
SEVERAL: list[tuple[str, str, dict[str, Any], list[str]]] = [
    ("recognize", "image-recognize", {"image": "", "type": "sky_seg"}, ["image", "type"]),
]


@pytest.mark.parametrize(("name", "feature", "body", "fields"), SEVERAL, ids=[s[0] for s in SEVERAL])
def test_the_catalog_names_every_fault(
    name: str, feature: str, body: dict[str, Any], fields: list[str]
) -> None:
    found = catalog.refusals(feature, body)
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
    first = catalog.refusals(feature, body)[0]
    headers = {"Authorization": f"Bearer {sb.api_key}"}
    answer = httpx.post(sb.base_url + catalog.endpoint(feature).path, json=body, headers=headers)
    assert answer.status_code == 400 and answer.json()["code"] == 1201
    assert str(first) in answer.json()["message"]  # the catalog's own words for the first fault
    assert sb.counters()["creates"] == 0


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
