"""Inputs by URL on the late-2026 routes (avatar, motion control, Image 4.0, recognition, multi-shot, voices):
fetched from a real HTTP server on 127.0.0.1 and used like base64, so the audio or reference video sets
the output's length (decoded with PyAV); outside the catalog's limits, the task fails as Kling does."""

from __future__ import annotations

import io

import httpx
import pytest

from klingkit.catalog import drive, library, multishot
from klingkit.sandbox._policy import LENGTH_MESSAGE, UNREACHABLE_MESSAGE
from klingkit.sandbox.render import render_audio

from .conftest import data, failure
from .media_server import MediaServer, mp4
from .test_url_inputs import _decoded, _legacy, _png


def test_avatar_lasts_as_long_as_its_audio_by_url(api: httpx.Client, web: MediaServer) -> None:
    body = {"image": web.add("/face.png", "image/png", _png(720, 1280)),
            "sound_file": web.add("/voice.mp3", "audio/mpeg", render_audio(3.0, "hello")), "mode": "std"}  # fmt: skip
    done = _legacy(api, "/v1/videos/avatar/image2video", body)
    assert done["task_status"] == "succeed", done
    assert sorted(web.hits) == ["/face.png", "/voice.mp3"]
    shape = _decoded(done["task_result"]["videos"][0]["url"])
    assert shape["duration"] == pytest.approx(3.0, abs=0.15) and shape["has_audio"]
    assert shape["height"] > shape["width"]  # the portrait's shape
    body["sound_file"] = web.add("/short.mp3", "audio/mpeg", render_audio(1.0, "hi"))
    failed = _legacy(api, "/v1/videos/avatar/image2video", body)
    assert failed["task_status"] == "failed" and failed["final_unit_deduction"] == "0"
    low, high = drive.AVATAR_AUDIO_SECONDS
    assert failed["task_status_msg"].startswith(LENGTH_MESSAGE.split("(")[0].format(kind="audio"))
    assert f"allowed {low:g}-{high:g} s" in failed["task_status_msg"]


def test_motion_control_has_the_reference_video_length_by_url(api: httpx.Client, web: MediaServer) -> None:
    character = web.add("/hero.png", "image/png", _png(720, 720))
    body = {"model_name": "kling-v2-6", "image_url": character,
            "video_url": web.add("/dance.mp4", "video/mp4", mp4(4.0)), "mode": "std"}  # fmt: skip
    done = _legacy(api, "/v1/videos/motion-control", body)
    assert done["task_status"] == "succeed", done
    assert _decoded(done["task_result"]["videos"][0]["url"])["duration"] == pytest.approx(4.0, abs=0.15)
    # 12 s is within the limit only when the character follows the video's orientation.
    long = {**body, "video_url": web.add("/long.mp4", "video/mp4", mp4(12.0))}
    failed = _legacy(api, "/v1/videos/motion-control", long)
    lo, hi = drive.MOTION_VIDEO_SECONDS["image"]
    assert failed["task_status"] == "failed"
    assert failed["task_status_msg"] == LENGTH_MESSAGE.format(kind="video", seconds=12.0, low=lo, high=hi)
    following = _legacy(api, "/v1/videos/motion-control", {**long, "character_orientation": "video"})
    assert following["task_status"] == "succeed"


def test_motion_control_2026_reads_contents_by_url(api: httpx.Client, web: MediaServer) -> None:
    body = {"contents": [{"type": "image", "url": web.add("/hero.png", "image/png", _png(720, 720))},
                         {"type": "video", "url": web.base + "/gone.mp4"}]}  # fmt: skip
    [task] = data(
        api.get("/tasks", params={"task_ids": data(api.post("/motion-control/kling-3.0", json=body))["id"]})
    )
    assert task["status"] == "failed" and task["message"] == UNREACHABLE_MESSAGE and task["billing"] == []


def test_image_recognition_and_image4_read_images_by_url(api: httpx.Client, web: MediaServer) -> None:
    url = web.add("/cat.png", "image/png", _png(800, 600))
    done = data(api.post("/v1/videos/image-recognize", json={"image": url, "type": "object_seg"}))
    got = httpx.get(done["task_result"]["images"][0]["url"], timeout=30)
    from PIL import Image

    with Image.open(io.BytesIO(got.content)) as mask:
        assert mask.size == (800, 600)  # the mask is the size of the fetched image
    gone = api.post(
        "/v1/videos/image-recognize", json={"image": web.base + "/gone.png", "type": "object_seg"}
    )
    assert failure(gone)[:2] == (400, 1201)  # synchronous: refused, nothing to fail later
    body = {"contents": [{"type": "prompt", "text": "the same cat, as a poster"},
                         {"type": "refer_image", "url": web.base + "/gone.png"}]}  # fmt: skip
    [task] = data(
        api.get("/tasks", params={"task_ids": data(api.post("/omni-image/kling-image-4.0", json=body))["id"]})
    )
    assert task["status"] == "failed" and task["message"] == UNREACHABLE_MESSAGE


def test_a_custom_voice_sample_by_url_is_checked(api: httpx.Client, web: MediaServer) -> None:
    sample = web.add("/me.mp3", "audio/mpeg", render_audio(2.0, "me"))
    failed = _legacy(api, "/v1/general/custom-voices", {"name": "me", "audio_url": sample})
    lo, hi = library.VOICE_SAMPLE_SECONDS
    assert failed["task_status"] == "failed" and f"allowed {lo:g}-{hi:g} s" in failed["task_status_msg"]


def test_multi_shot_views_follow_the_frontal_picture_by_url(api: httpx.Client, web: MediaServer) -> None:
    from PIL import Image

    body = {multishot.IMAGE_FIELD: web.add("/front.png", "image/png", _png(600, 900))}
    done = _legacy(api, "/v1/general/ai-multi-shot", body)
    assert done["task_status"] == "succeed", done
    for view in done["task_result"]["images"]:
        with Image.open(io.BytesIO(httpx.get(view["url"], timeout=30).content)) as img:
            assert img.size == (600, 900)
    gone = _legacy(api, "/v1/general/ai-multi-shot", {multishot.IMAGE_FIELD: web.base + "/gone.png"})
    assert gone["task_status"] == "failed" and gone["task_status_msg"] == UNREACHABLE_MESSAGE
