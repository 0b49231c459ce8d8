"""The legacy (/v1) task life: create, query by either id, list, results, and prices from the catalog."""

from __future__ import annotations

import base64

import httpx

from klingkit import catalog
from klingkit.sandbox import Sandbox
from klingkit.sandbox.render import render_audio

from .conftest import ManualClock, data, failure


def test_create_answers_like_kling(api: httpx.Client) -> None:
    created = data(api.post("/v1/videos/text2video", json={"prompt": "a fox", "external_task_id": "job-1"}))
    assert created["task_status"] == "submitted"
    assert created["task_info"] == {"external_task_id": "job-1"}
    assert len(created["task_id"]) == 18 and created["task_id"].isdigit()
    assert created["created_at"] == created["updated_at"] > 1_600_000_000_000  # Unix milliseconds
    bare = data(api.post("/v1/videos/text2video", json={"prompt": "a fox"}))
    assert bare["task_info"] == {}


def test_status_follows_the_clock(sandbox: Sandbox, api: httpx.Client, clock: ManualClock) -> None:
    sandbox.configure(task_seconds=100)
    task_id = data(api.post("/v1/videos/text2video", json={"prompt": "a fox"}))["task_id"]
    path = f"/v1/videos/text2video/{task_id}"
    first = data(api.get(path))
    assert first["task_status"] == "submitted" and "task_result" not in first
    clock.advance(50)
    processing = data(api.get(path))
    assert processing["task_status"] == "processing" and processing["updated_at"] > processing["created_at"]
    clock.advance(50)
    done = data(api.get(path))
    assert done["task_status"] == "succeed"
    assert done["updated_at"] - done["created_at"] == 100_000
    assert done["task_result"]["videos"][0]["duration"] == "5"


def test_query_by_task_id_external_id_and_query_parameter(api: httpx.Client) -> None:
    task_id = data(api.post("/v1/videos/text2video", json={"prompt": "x", "external_task_id": "ext-9"}))[
        "task_id"
    ]
    by_id = data(api.get(f"/v1/videos/text2video/{task_id}"))
    by_external = data(api.get("/v1/videos/text2video/ext-9"))
    by_param = data(api.get("/v1/videos/text2video", params={"external_task_id": "ext-9"}))
    assert by_id["task_id"] == by_external["task_id"] == by_param["task_id"] == task_id


def test_unknown_task_and_wrong_feature_are_404_1203(api: httpx.Client) -> None:
    task_id = data(api.post("/v1/videos/text2video", json={"prompt": "x"}))["task_id"]
    assert failure(api.get("/v1/videos/text2video/123456789012345678"))[:2] == (404, 1203)
    # No cross-feature lookup: a text2video task is not found on the image2video route.
    assert failure(api.get(f"/v1/videos/image2video/{task_id}"))[:2] == (404, 1203)


def test_list_pages_newest_first_and_checks_its_bounds(api: httpx.Client) -> None:
    ids = [data(api.post("/v1/videos/text2video", json={"prompt": f"p{i}"}))["task_id"] for i in range(3)]
    page1 = data(api.get("/v1/videos/text2video", params={"pageNum": 1, "pageSize": 2}))
    page2 = data(api.get("/v1/videos/text2video", params={"pageNum": 2, "pageSize": 2}))
    assert [t["task_id"] for t in page1 + page2] == ids[::-1]
    assert failure(api.get("/v1/videos/text2video", params={"pageSize": 501}))[:2] == (400, 1201)
    assert failure(api.get("/v1/videos/text2video", params={"pageNum": 0}))[:2] == (400, 1201)


def test_final_unit_deduction_is_the_catalog_price(api: httpx.Client) -> None:
    body = {"model_name": "kling-v2-6", "prompt": "x", "mode": "pro", "duration": "10", "sound": "on"}
    task_id = data(api.post("/v1/videos/text2video", json=body))["task_id"]
    done = data(api.get(f"/v1/videos/text2video/{task_id}"))
    expected = catalog.video_price("kling-v2-6", "pro", 10, variant="audio").units
    assert float(done["final_unit_deduction"]) == expected == 10.0


def test_image_task_returns_n_images_of_the_catalog_size(api: httpx.Client) -> None:
    body = {
        "model_name": "kling-v2-1",
        "prompt": "a red kite",
        "n": 2,
        "aspect_ratio": "1:1",
        "resolution": "1k",
    }
    task_id = data(api.post("/v1/images/generations", json=body))["task_id"]
    done = data(api.get(f"/v1/images/generations/{task_id}"))
    images = done["task_result"]["images"]
    assert [i["index"] for i in images] == [0, 1]
    assert float(done["final_unit_deduction"]) == 8.0  # 4 units per text-to-image, twice
    png = httpx.get(images[1]["url"])
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    import io

    from PIL import Image

    assert Image.open(io.BytesIO(png.content)).size == catalog.image_size("1k", "1:1")


def test_extend_builds_on_a_sandbox_video(api: httpx.Client) -> None:
    source = data(api.post("/v1/videos/text2video", json={"prompt": "a boat", "mode": "pro"}))["task_id"]
    video = data(api.get(f"/v1/videos/text2video/{source}"))["task_result"]["videos"][0]
    extended_id = data(api.post("/v1/videos/video-extend", json={"video_id": video["id"], "prompt": "more"}))[
        "task_id"
    ]
    extended = data(api.get(f"/v1/videos/video-extend/{extended_id}"))
    assert extended["task_info"]["parent_video"]["id"] == video["id"]
    assert float(extended["task_result"]["videos"][0]["duration"]) > float(video["duration"])
    assert float(extended["final_unit_deduction"]) == catalog.flat_price("extend_pro")
    missing = api.post("/v1/videos/video-extend", json={"video_id": "999999999999999999"})
    assert failure(missing)[:2] == (404, 1203)


def test_tts_answers_synchronously(api: httpx.Client) -> None:
    body = {"text": "Hello there", "voice_id": "oversea_male1", "voice_language": "en"}
    done = data(api.post("/v1/audio/tts", json=body))
    assert done["task_status"] == "succeed"
    audio = done["task_result"]["audios"][0]
    assert float(audio["duration"]) >= 1 and audio["url"].endswith(".mp3")


def test_identify_face_then_advanced_lip_sync(api: httpx.Client) -> None:
    source = data(api.post("/v1/videos/text2video", json={"prompt": "a face"}))["task_id"]
    video_id = data(api.get(f"/v1/videos/text2video/{source}"))["task_result"]["videos"][0]["id"]
    session = data(api.post("/v1/videos/identify-face", json={"video_id": video_id}))
    face = session["face_data"][0]
    assert face["end_time"] == 5000 and session["final_unit_deduction"] == "0.05"
    choose = {
        "face_id": face["face_id"],
        # A real 4 s MP3 (a sound_file URL is fetched now, so an unreachable one would fail the task).
        "sound_file": base64.b64encode(render_audio(4.0, "voice")).decode(),
        "sound_start_time": 0,
        "sound_end_time": 3000,
        "sound_insert_time": 1000,
    }
    created = data(
        api.post(
            "/v1/videos/advanced-lip-sync",
            json={"session_id": session["session_id"], "face_choose": [choose]},
        )
    )
    done = data(api.get(f"/v1/videos/advanced-lip-sync/{created['task_id']}"))
    assert done["task_status"] == "succeed" and done["task_info"]["parent_video"]["id"] == video_id
    too_late = {**choose, "sound_insert_time": 4000}
    bad = api.post(
        "/v1/videos/advanced-lip-sync", json={"session_id": session["session_id"], "face_choose": [too_late]}
    )
    assert failure(bad)[:2] == (400, 1201)


def test_unknown_route_is_404_1202(api: httpx.Client) -> None:
    assert failure(api.post("/v1/videos/generations", json={}))[:2] == (404, 1202)
    assert failure(api.delete("/v1/videos/text2video"))[:2] == (404, 1202)
