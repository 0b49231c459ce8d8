"""Element and voice ids over raw HTTP: the sandbox refuses an id that is neither a preset (the catalog's)
nor a live custom one made in this sandbox, with Kling's error shape naming the field and the id, on
Kling 4.0 ``contents`` items and the legacy ``element_list``/``voice_list``; nothing is created."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from klingkit.catalog import library

from .conftest import data, failure, png_base64

PRESET_ELEMENT = sorted(library.preset_ids("element"))[0]
PRESET_VOICE = sorted(library.preset_ids("voice"))[0]


def _omni4(element_id: Any = PRESET_ELEMENT, voice_id: Any = PRESET_VOICE) -> dict[str, Any]:
    return {
        "contents": [
            {"type": "prompt", "text": "@hero waves while @narr speaks"},
            {"type": "element", "id": "hero", "element_id": element_id},
            {"type": "voice", "id": "narr", "voice_id": voice_id},
        ],
        "settings": {"duration": 3},
    }


def _creates(sandbox: Any) -> int:
    return int(sandbox.counters().get("creates", 0))


@pytest.mark.parametrize(
    ("body", "field", "shown"),
    [
        (_omni4(element_id="8812"), "contents[1].element_id", "element 8812"),
        (_omni4(voice_id="no-such-voice"), "contents[2].voice_id", "voice no-such-voice"),
    ],
)
def test_kling4_refuses_an_unknown_id_naming_it(
    api: httpx.Client, sandbox: Any, body: dict[str, Any], field: str, shown: str
) -> None:
    status, code, message = failure(api.post("/omni-video/kling-4.0", json=body))
    assert (status, code) == (400, 1201)
    assert message.startswith(f"{field}: {shown} does not exist")
    assert _creates(sandbox) == 0


def test_presets_pass(api: httpx.Client) -> None:
    assert data(api.post("/omni-video/kling-4.0", json=_omni4()))["id"]


def test_legacy_lists_are_checked_too(api: httpx.Client, sandbox: Any) -> None:
    body = {"prompt": "a hero runs", "model_name": "kling-video-o1", "element_list": [{"element_id": 8812}]}
    status, code, message = failure(api.post("/v1/videos/omni-video", json=body))
    assert (status, code) == (400, 1201) and message.startswith("element_list[0].element_id: element 8812")
    body["element_list"] = [{"element_id": PRESET_ELEMENT}]
    assert data(api.post("/v1/videos/omni-video", json=body))["task_id"]
    assert _creates(sandbox) == 1


def test_a_custom_element_works_until_deleted(api: httpx.Client, sandbox: Any) -> None:
    made = data(api.post(library.ELEMENTS.path, json={"name": "Hero",
                                                      "references": [{"image_url": png_base64(512, 512)}]}))  # fmt: skip
    done = data(api.get(f"{library.ELEMENTS.path}/{made['task_id']}"))
    [element] = done["task_result"]["elements"]
    assert data(api.post("/omni-video/kling-4.0", json=_omni4(element_id=element["id"])))["id"]
    assert data(api.post(library.DELETE_ELEMENTS_PATH, json={"element_ids": [element["id"]]}))
    status, code, message = failure(api.post("/omni-video/kling-4.0", json=_omni4(element_id=element["id"])))
    assert (status, code) == (400, 1201) and f"element {element['id']} does not exist" in message
    # a voice id is not an element id, even when it exists
    status, _, _ = failure(api.post("/omni-video/kling-4.0", json=_omni4(element_id=PRESET_VOICE)))
    assert status == 400
