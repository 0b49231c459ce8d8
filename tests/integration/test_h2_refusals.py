"""Avatar, motion control (legacy and 2026), elements, voices and multi-element editing are rule tables: a
request with several faults gets every refusal at once, through the client (which then sends nothing) and
through the sandbox over HTTP (400/1201 naming every one, nothing created); the table's refusals of the wire
body name the same fields."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from klingkit import Kling, ValidationError, catalog

from ..media_files import mp4, wav

pytestmark = pytest.mark.integration
pytest.importorskip("av")


def _photo(path: Path) -> Path:
    from PIL import Image

    Image.new("RGB", (720, 960), (180, 120, 90)).save(path)
    return path


def _b64(path: Path) -> str:
    return base64.b64encode(path.read_bytes()).decode()


LONG = "y" * 2501  # one over the prompt limit of avatar, motion control and editing


class Case:
    """One route with several faults: the client's call and the fields it names (its own names), and the
    wire body a client written from the docs would send, with the fields the rules name there."""

    def __init__(
        self,
        name: str,
        call: Callable[[Kling, dict[str, Path]], Any],
        client_fields: list[str],
        path: str,
        wire: Callable[[dict[str, Path]], dict[str, Any]],
        feature: str,
        wire_fields: list[str],
        sandbox_fields: list[str] | None = None,
    ) -> None:
        self.name, self.call, self.client_fields = name, call, client_fields
        self.path, self.wire, self.feature, self.wire_fields = path, wire, feature, wire_fields
        self.sandbox_fields = sandbox_fields or wire_fields  # the sandbox decodes the media: it knows more


CASES = [
    Case(
        "avatar",
        lambda k, f: k.videos.avatar(image=f["photo"], mode="ultra", prompt=LONG),
        ["audio_id/sound_file", "mode", "prompt"],
        catalog.endpoint("avatar").path,
        lambda f: {"image": _b64(f["photo"]), "mode": "ultra", "prompt": LONG},
        "avatar",
        ["audio_id/sound_file", "mode", "prompt"],
    ),
    Case(
        "avatar, audio too short",
        lambda k, f: k.videos.avatar(image=f["photo"], sound_file=f["short"], mode="ultra"),
        ["mode", "sound_file"],
        catalog.endpoint("avatar").path,
        lambda f: {"image": _b64(f["photo"]), "sound_file": _b64(f["short"]), "mode": "ultra"},
        "avatar",
        ["mode"],  # the audio length: only a side that decoded it knows (the client read the file above)
        ["mode", "sound_file"],
    ),
    Case(
        "motion control",
        lambda k, f: k.videos.motion_control(
            model="kling-v2-6",
            image=f["photo"],
            video=f["dance"],
            prompt=LONG,
            character_orientation="sideways",
            keep_original_sound="maybe",
            mode="4k",
        ),
        ["prompt", "character_orientation", "keep_original_sound", "mode"],
        catalog.endpoint("motion-control").path,
        lambda f: {
            "model_name": "kling-v2-6",
            "image_url": _b64(f["photo"]),
            "video_url": _b64(f["dance"]),
            "prompt": LONG,
            "character_orientation": "sideways",
            "keep_original_sound": "maybe",
            "mode": "4k",
        },
        "motion-control",
        ["prompt", "character_orientation", "keep_original_sound", "mode"],
    ),
    Case(
        "motion control 2026",
        lambda k, f: k.videos.motion_control(
            model="kling-3.0",
            image=f["photo"],
            video=f["dance"],
            resolution="4k",
            character_orientation="sideways",
            keep_original_sound="maybe",
        ),
        ["settings.character_orientation", "settings.keep_original_sound", "resolution"],
        catalog.endpoint("motion-control-new").path + "/kling-3.0",
        lambda f: {
            "contents": [
                {"type": "image", "url": _b64(f["photo"])},
                {"type": "video", "url": _b64(f["dance"])},
            ],
            "settings": {
                "resolution": "4k",
                "character_orientation": "sideways",
                "keep_original_sound": "maybe",
            },
        },
        "motion-control-new",
        ["settings.character_orientation", "settings.keep_original_sound", "settings.resolution"],
    ),
    Case(
        "element",
        lambda k, f: k.elements.create(
            name="x" * 21, images=[f["photo"]] * 5, description="d" * 201, element_type="pet"
        ),
        ["name", "description", "element_type", "images"],
        catalog.endpoint("custom-elements").path,
        lambda f: {
            "name": "x" * 21,
            "description": "d" * 201,
            "element_type": "pet",
            "references": [{"image_url": _b64(f["photo"])}, {"image_url": ""}],
            "tags": ["a", 1],
        },
        "custom-elements",
        ["name", "description", "element_type", "references[1].image_url", "tags"],
    ),
    Case(
        "voice",
        lambda k, f: k.voices.create(name=""),
        ["name", "audio"],
        catalog.endpoint("custom-voices").path,
        lambda f: {
            "name": "x" * 21,
            "audio_url": "https://example.com/a.mp3",
            "audio_file": _b64(f["short"]),
        },
        "custom-voices",
        ["name", "audio_url/audio_file"],
        ["name", "audio_url/audio_file", "audio_file"],  # and the sample's length, which it decoded
    ),
    Case(
        "multi-element editing",
        lambda k, f: k.edits.create(
            model_name="kling-v2-6", session_id="s", edit_mode="swap", mode="max", duration=7
        ),
        ["model_name", "images", "prompt", "mode", "duration"],
        catalog.endpoint("multi-elements").path,
        lambda f: {
            "model_name": "kling-v2-6",
            "edit_mode": "paint",
            "prompt": LONG,
            "mode": "max",
            "duration": "7",
        },
        "multi-elements",
        ["model_name", "session_id", "edit_mode", "prompt", "mode", "duration"],
    ),
]


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    return {
        "photo": _photo(tmp_path / "face.png"),
        "short": wav(tmp_path / "short.wav", 1.0),  # under avatar's 2 s and a voice sample's 5 s
        "dance": mp4(tmp_path / "dance.mp4", 4),
    }


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_client_names_every_fault_and_sends_nothing(sb: Any, files: dict[str, Path], case: Case) -> None:
    with (
        Kling(api_key=sb.api_key, base_url=sb.base_url, max_retries=0) as client,
        pytest.raises(ValidationError) as refused,
    ):
        case.call(client, files)
    assert [p.field for p in refused.value.all] == case.client_fields
    assert len(str(refused.value).splitlines()) == len(case.client_fields)  # one line a problem
    counters = sb.counters()
    assert counters["creates"] == 0 and not any(k.startswith("POST") for k in counters["requests"])


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_sandbox_refuses_the_wire_body_and_creates_nothing(
    sb: Any, files: dict[str, Path], case: Case
) -> None:
    body = case.wire(files)
    found = catalog.refusals(
        case.feature, {**body, "model_name": "kling-3.0"} if "2026" in case.name else body
    )
    assert [r.field for r in found] == case.wire_fields
    with httpx.Client(base_url=sb.base_url, headers={"Authorization": f"Bearer {sb.api_key}"}) as api:
        answer = api.post(case.path, json=body)
    assert answer.status_code == 400 and answer.json()["code"] == 1201
    named = re.findall(r"^invalid ([^=]+)=", answer.json()["message"], flags=re.M)
    assert named == case.sandbox_fields  # every refusal, one line each, in the table's order
    assert sb.counters()["creates"] == 0


def test_the_sandbox_refuses_a_2026_motion_body_of_the_wrong_shape(sb: Any, files: dict[str, Path]) -> None:
    contents = [
        {"type": "image", "url": _b64(files["photo"])},
        {"type": "video", "url": _b64(files["dance"])},
    ]
    with httpx.Client(base_url=sb.base_url, headers={"Authorization": f"Bearer {sb.api_key}"}) as api:
        wrong = api.post("/motion-control/kling-3.0", json={"contents": contents, "settings": "1080p"})
        assert sb.counters()["creates"] == 0
        right = api.post(
            "/motion-control/kling-3.0", json={"contents": contents, "settings": {"resolution": "1080p"}}
        )
    assert wrong.status_code == 400 and wrong.json()["message"].startswith("invalid settings='1080p'")
    assert right.status_code == 200 and sb.counters()["creates"] == 1
