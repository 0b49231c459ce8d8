"""``POST /omni-video/{model}`` on the sandbox over raw HTTP: 2026 auth, validation, /tasks, a real MP4.

The route's own page is not in the reference; bodies follow the 2026 convention (§2.15).
"""

from __future__ import annotations

import io

import httpx
import pytest

from klingkit import catalog
from klingkit.sandbox import Sandbox

from .conftest import data, failure, png_base64
from .media_server import MediaServer, mp4

av = pytest.importorskip("av")


def test_create_query_and_decode(api: httpx.Client) -> None:
    body = {
        "contents": [
            {"type": "prompt", "text": "a kite over the dunes"},
            {"type": "first_frame", "url": png_base64(640, 360)},
        ],
        "settings": {"resolution": "720p", "duration": 5},
        "options": {"external_task_id": "omni-raw-1"},
    }
    created = data(api.post("/omni-video/kling-o1", json=body))
    assert created["status"] == "submitted" and created["external_id"] == "omni-raw-1"
    [task] = data(api.get("/tasks", params={"task_ids": created["id"]}))
    assert task["status"] == "succeeded"
    [video] = task["outputs"]
    assert video["type"] == "video" and video["duration"] == "5"
    units = catalog.video_price("kling-video-o1", "std", 5, omni=True).units
    assert task["billing"] == [{"charge_type": "unit", "amount": f"{units:g}", "package_type": "video"}]
    got = httpx.get(video["url"], timeout=30)
    assert got.status_code == 200 and got.content[4:8] == b"ftyp"
    with av.open(io.BytesIO(got.content)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(stream))
        assert (stream.codec_context.width, stream.codec_context.height) == (1280, 720)
    assert frames >= 24 * 4


def test_text_only_with_video_reference_is_billed_as_video_input(api: httpx.Client) -> None:
    web = MediaServer()  # the reference video is fetched, so it must be real and reachable
    try:
        url = web.add("/in.mp4", "video/mp4", mp4(5.0))
        _billed_as_video_input(api, url)
    finally:
        web.close()


def _billed_as_video_input(api: httpx.Client, url: str) -> None:
    body = {
        "contents": [
            {"type": "prompt", "text": "restyle it"},
            {"type": "video", "url": url, "refer_type": "feature"},
        ],
        "settings": {"resolution": "1080p", "duration": 7, "aspect_ratio": "9:16", "audio": "native"},
    }
    created = data(api.post("/omni-video/kling-3.0-omni", json=body))
    [task] = data(api.get("/tasks", params={"task_ids": created["id"]}))
    units = catalog.video_price("kling-v3-omni", "pro", 7, variant="video_input", omni=True).units
    assert task["billing"][0]["amount"] == f"{units:g}"


def test_api_key_only(sandbox: Sandbox) -> None:
    body = {"contents": [{"type": "prompt", "text": "x"}]}
    with httpx.Client(base_url=sandbox.base_url) as raw:
        assert failure(raw.post("/omni-video/kling-o1", json=body))[0] == 401


PROMPT = {"type": "prompt", "text": "x"}
VIDEO = {"type": "video", "url": "https://example.com/a.mp4"}


@pytest.mark.parametrize(
    ("model", "body", "status", "code", "names"),
    [
        ("kling-o1", {"contents": [PROMPT], "settings": {"duration": 12}}, 400, 1201, "settings.duration"),
        ("kling-o1", {"contents": [PROMPT], "settings": {"duration": 7}}, 400, 1201, "settings.duration"),
        (
            "kling-o1",
            {"contents": [PROMPT], "settings": {"resolution": "4k"}},
            400,
            1201,
            "settings.resolution",
        ),
        ("kling-o1", {"contents": [PROMPT], "settings": {"audio": "native"}}, 400, 1201, "settings.audio"),
        ("kling-3.0-omni", {"contents": [PROMPT, VIDEO, VIDEO]}, 400, 1201, "videos"),
        ("kling-3.0-omni", {"contents": [{"type": "image", "url": "x"}]}, 400, 1201, "contents[0].type"),
        ("kling-3.0-omni", {"contents": [VIDEO]}, 400, 1201, "prompt"),
        ("kling-3.0-omni", {"prompt": "x", "contents": [PROMPT]}, 400, 1201, "prompt"),
        (
            "kling-3.0-omni",
            {
                "contents": [PROMPT, {"type": "first_frame", "url": "https://example.com/a.png"}],
                "settings": {"aspect_ratio": "1:1"},
            },
            400,
            1201,
            "settings.aspect_ratio",
        ),
        (
            "kling-3.0-omni",
            {"contents": [PROMPT, {"type": "last_frame", "url": "https://e/a.png"}]},
            400,
            1201,
            "first_frame",
        ),
        ("kling-v3-omni", {"contents": [PROMPT]}, 404, 1203, "kling-v3-omni"),
    ],
)
def test_validation(api: httpx.Client, model: str, body: dict, status: int, code: int, names: str) -> None:
    got = failure(api.post(f"/omni-video/{model}", json=body))
    assert got[:2] == (status, code) and names in got[2], got
