"""Requests the real service refuses are refused here too, with the field named in the message."""

from __future__ import annotations

import httpx
import pytest

from .conftest import data, failure, png_base64

T2V, I2V, IMG = "/v1/videos/text2video", "/v1/videos/image2video", "/v1/images/generations"
CAMERA_TWO_AXES = {"type": "simple", "config": {"zoom": 5, "pan": 2}}

CASES = [
    # (path, body, http status, code, a word the message must contain)
    (T2V, {}, 400, 1201, "prompt"),
    (T2V, {"prompt": "x" * 2501}, 400, 1201, "2500"),
    (T2V, {"prompt": "x", "negative_prompt": "y" * 2501}, 400, 1201, "negative_prompt"),
    (T2V, {"prompt": "x", "model_name": "kling-v9"}, 404, 1203, "kling-v9"),
    (T2V, {"prompt": "x", "model_name": "kling-v1-5"}, 400, 1201, "text to video"),
    (T2V, {"prompt": "x", "mode": "standard"}, 400, 1201, "mode"),
    (T2V, {"prompt": "x", "model_name": "kling-v2-6", "duration": "7"}, 400, 1201, "duration"),
    (T2V, {"prompt": "x", "model_name": "kling-v2-6", "mode": "std", "sound": "on"}, 400, 1201, "sound"),
    (T2V, {"prompt": "x", "cfg_scale": 1.5}, 400, 1201, "cfg_scale"),
    (T2V, {"prompt": "x", "aspect_ratio": "4:3"}, 400, 1201, "aspect_ratio"),
    (T2V, {"prompt": "x", "camera_control": CAMERA_TWO_AXES}, 400, 1201, "non-zero"),
    (
        T2V,
        {"prompt": "x", "mode": "pro", "camera_control": {"type": "down_back"}},
        400,
        1201,
        "camera_control",
    ),
    (
        T2V,
        {
            "model_name": "kling-v3",
            "duration": "10",
            "multi_shot": True,
            "shot_type": "customize",
            "multi_prompt": [
                {"index": 1, "prompt": "a", "duration": "4"},
                {"index": 2, "prompt": "b", "duration": "4"},
            ],
        },
        400,
        1201,
        "add up",
    ),
    (
        T2V,
        {"prompt": "x", "model_name": "kling-v2-6", "multi_shot": True, "shot_type": "intelligence"},
        400,
        1201,
        "multi_shot",
    ),
    (I2V, {"prompt": "x"}, 400, 1201, "image"),
    (I2V, {"image": "data:image/png;base64," + png_base64(400, 400)}, 400, 1201, "base64"),
    (I2V, {"image": "not base64 at all!"}, 400, 1201, "base64"),
    (I2V, {"image": png_base64(200, 400)}, 400, 1201, "300"),
    (I2V, {"image": png_base64(1000, 300)}, 400, 1201, "aspect"),
    (I2V, {"image": png_base64(400, 400, "GIF")}, 400, 1201, "GIF"),
    (
        I2V,
        {"model_name": "kling-v2-6", "image": png_base64(400, 400), "image_tail": png_base64(400, 400)},
        400,
        1201,
        "image_tail",
    ),
    (IMG, {"prompt": "x", "n": 10}, 400, 1201, "n"),
    (IMG, {"prompt": "x", "model_name": "kling-v1", "aspect_ratio": "21:9"}, 400, 1201, "aspect_ratio"),
    (IMG, {"prompt": "x", "model_name": "kling-v1", "resolution": "2k"}, 400, 1201, "resolution"),
    (
        "/v1/images/editing/expand",
        {
            "image": png_base64(400, 400),
            "up_expansion_ratio": 1,
            "down_expansion_ratio": 1,
            "left_expansion_ratio": 0.5,
            "right_expansion_ratio": 0,
        },
        400,
        1201,
        "3x",
    ),
    ("/v1/audio/text-to-audio", {"prompt": "rain", "duration": 11}, 400, 1201, "duration"),
    ("/v1/audio/tts", {"text": "hi", "voice_id": "no-such-voice"}, 400, 1201, "voice_id"),
    ("/v1/videos/effects", {"effect_scene": "hug", "input": {"images": []}}, 400, 1201, "retired"),
    (
        "/v1/videos/effects",
        {"effect_scene": "hug_pro", "input": {"images": ["https://e.x/1.png"]}},
        400,
        1201,
        "images",
    ),
    (
        "/v1/videos/lip-sync",
        {"input": {"mode": "text2video", "video_url": "https://e.x/v.mp4"}},
        400,
        1201,
        "text",
    ),
]


@pytest.mark.parametrize(("path", "body", "status", "code", "word"), CASES)
def test_refused(api: httpx.Client, path: str, body: dict, status: int, code: int, word: str) -> None:
    got_status, got_code, message = failure(api.post(path, json=body))
    assert (got_status, got_code) == (status, code)
    assert word in message


def test_body_that_is_not_json_is_1200(api: httpx.Client) -> None:
    response = api.post(T2V, content=b"{not json", headers={"Content-Type": "application/json"})
    assert failure(response)[:2] == (400, 1200)


def test_accepted_shapes(api: httpx.Client) -> None:
    # Kling's own sample sends multi_shot as the string "true"; integers for duration are taken too.
    body = {
        "model_name": "kling-v3",
        "prompt": "",
        "multi_shot": "true",
        "shot_type": "customize",
        "duration": 5,
        "multi_prompt": [
            {"index": 1, "prompt": "a", "duration": "2"},
            {"index": 2, "prompt": "b", "duration": "3"},
        ],
    }
    assert data(api.post(T2V, json=body))["task_status"] == "submitted"
    camera = {
        "type": "simple",
        "config": {"horizontal": 0, "vertical": 0, "pan": 0, "tilt": 0, "roll": 0, "zoom": 5},
    }
    assert data(api.post(T2V, json={"prompt": "x", "camera_control": camera}))["task_status"] == "submitted"
    url_image = {"image": "https://example.com/start.jpg", "prompt": "go"}
    assert data(api.post(I2V, json=url_image))["task_status"] == "submitted"
    legacy_field = {"model": "kling-v1", "prompt": "x"}  # the old name of model_name
    assert data(api.post(T2V, json=legacy_field))["task_status"] == "submitted"


def test_policy_words(api: httpx.Client) -> None:
    blocked = api.post(T2V, json={"prompt": "please sandbox-policy-block this"})
    assert failure(blocked)[:2] == (400, 1301)
    task_id = data(api.post(T2V, json={"prompt": "sandbox-risk-fail"}))["task_id"]
    failed = data(api.get(f"{T2V}/{task_id}"))
    assert failed["task_status"] == "failed"
    assert failed["task_status_msg"] == "Failure to pass the risk control system"
    assert failed["final_unit_deduction"] == "0" and "task_result" not in failed
