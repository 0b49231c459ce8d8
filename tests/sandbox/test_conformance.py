"""Conformance over raw HTTP: the reference's Appendix A examples key by key (names and types: string
durations and deductions, millisecond timestamps, numeric ids), and the behaviours any Kling client relies
on: the old ``model`` field, tolerant paths, concurrency per model version, inputs by URL, callbacks.

Sections cited are of ``../shared/reference/kling-api.md``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from klingkit.sandbox import Sandbox
from klingkit.sandbox._policy import IMAGE_SPEC_MESSAGE, NOT_MEDIA_MESSAGE, UNREACHABLE_MESSAGE
from klingkit.sandbox.render import probe

from .conftest import ManualClock, data, failure, png_base64
from .media_server import MediaServer
from .test_callbacks import Receiver

T2V, I2V = "/v1/videos/text2video", "/v1/videos/image2video"
MS_2020 = 1_577_836_800_000  # any millisecond timestamp is larger; any second timestamp is far smaller


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.server.shutdown()
    r.server.server_close()


def _png(width: int, height: int) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 160)).save(buf, format="PNG")
    return buf.getvalue()


def _is_ms(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > MS_2020


def _is_seconds_string(value: Any) -> bool:
    return isinstance(value, str) and float(value) > 0


def _fetch(url: str) -> bytes:
    response = httpx.get(url, timeout=60)
    assert response.status_code == 200, url
    return response.content


# --- Appendix A, key by key -----------------------------------------------------------------------------


def test_a4_create_and_a5_a6_query_shapes(api: httpx.Client) -> None:
    raw = api.post(T2V, json={"prompt": "a fox", "external_task_id": "a4"}).json()
    assert set(raw) == {"code", "message", "request_id", "data"} and raw["code"] == 0
    created = raw["data"]
    assert set(created) == {"task_id", "task_status", "task_info", "created_at", "updated_at"}  # A.4
    assert created["task_id"].isdigit() and created["task_status"] == "submitted"
    assert created["task_info"] == {"external_task_id": "a4"}
    assert _is_ms(created["created_at"]) and created["created_at"] == created["updated_at"]
    got = data(api.get(f"{T2V}/{created['task_id']}"))  # A.5 (+ 2026 watermark_info, final_unit_deduction)
    assert {"task_id", "task_status", "task_status_msg", "task_info", "created_at", "updated_at"} <= set(got)
    assert {"task_result", "final_unit_deduction", "watermark_info"} <= set(got)
    assert got["task_status"] == "succeed" and got["task_status_msg"] == ""
    video = got["task_result"]["videos"][0]
    assert {"id", "url", "duration"} <= set(video) and _is_seconds_string(video["duration"])
    assert isinstance(got["final_unit_deduction"], str) and float(got["final_unit_deduction"]) > 0
    assert got["watermark_info"] == {"enabled": False}
    listed = data(api.get(T2V, params={"pageNum": 1, "pageSize": 30}))  # A.6: an array of the same objects
    assert isinstance(listed, list) and listed[0] == got


def test_a7_extend_and_a14_image_shapes(api: httpx.Client) -> None:
    source = data(api.post(T2V, json={"prompt": "a boat"}))["task_id"]
    video = data(api.get(f"{T2V}/{source}"))["task_result"]["videos"][0]
    ext = data(api.post("/v1/videos/video-extend", json={"video_id": video["id"], "prompt": "on"}))["task_id"]
    extended = data(api.get(f"/v1/videos/video-extend/{ext}"))
    parent = extended["task_info"]["parent_video"]
    assert set(parent) == {"id", "url", "duration"} and parent["id"] == video["id"]
    assert _is_seconds_string(parent["duration"])
    image_task = data(api.post("/v1/images/generations", json={"prompt": "a kite", "n": 2}))["task_id"]
    image = data(api.get(f"/v1/images/generations/{image_task}"))
    assert [i["index"] for i in image["task_result"]["images"]] == [0, 1]
    assert all(isinstance(i["url"], str) for i in image["task_result"]["images"])
    assert isinstance(image["watermark_info"]["enabled"], bool)
    assert isinstance(image["final_unit_deduction"], str)


def test_a2_concurrency_error_a19_costs_a20_identify_face_a27_new_create(
    sandbox: Sandbox, api: httpx.Client
) -> None:
    sandbox.configure(task_seconds=60, concurrency={"video": 1})
    data(api.post(T2V, json={"prompt": "x"}))
    body = api.post(T2V, json={"prompt": "y"}).json()
    assert set(body) == {"code", "message", "request_id"}  # A.2
    assert body["code"] == 1303 and body["message"] == "parallel task over resource pack limit"
    costs = data(api.get("/account/costs", params={"start_time": 1726124664368, "end_time": 1727366400000}))
    assert set(costs) == {"code", "msg", "resource_pack_subscribe_infos"}  # A.19
    pack = costs["resource_pack_subscribe_infos"][0]
    assert isinstance(pack["total_quantity"], float) and _is_ms(pack["purchase_time"])
    sandbox.configure(task_seconds=0)
    new = data(api.post("/text-to-video/kling-2.6", json={"prompt": "a girl on a train"}))
    assert {"id", "status", "create_time", "update_time", "external_id"} <= set(new)  # A.27
    assert new["id"].isdigit() and _is_ms(new["create_time"])


# --- the old model field (§2.0) -------------------------------------------------------------------------


def test_the_old_model_field_is_an_empty_model_name(api: httpx.Client) -> None:
    plain = data(api.post(T2V, json={"prompt": "x"}))["task_id"]
    old = data(api.post(T2V, json={"prompt": "x", "model": "kling-v2-1-master"}))["task_id"]
    named = data(api.post(T2V, json={"prompt": "x", "model_name": "kling-v2-1-master"}))["task_id"]
    units = {t: data(api.get(f"{T2V}/{t}"))["final_unit_deduction"] for t in (plain, old, named)}
    assert units[old] == units[plain] != units[named]  # billed as kling-v1, not as the name it carries
    rows = data(api.post("/account/billing/package", json={"start_time": 0}))["result"]["detail"]
    assert {r["task_id"]: r["model_name"] for r in rows}[old] == "kling-v1"


# --- tolerant paths ---------------------------------------------------------------------------------------


def test_a_double_slash_in_a_query_path_finds_the_task(api: httpx.Client) -> None:
    body = {"human_image": png_base64(400, 600), "cloth_image": png_base64(400, 400)}
    task_id = data(api.post("/v1/images/kolors-virtual-try-on", json=body))["task_id"]
    got = data(api.get(f"/v1/images/kolors-virtual-try-on//{task_id}"))
    assert got["task_id"] == task_id and got["task_status"] == "succeed"
    assert data(api.get("/v1/videos//text2video?pageSize=1")) is not None


# --- concurrency per model version and pack (§7.1) ---------------------------------------------------------


def test_concurrency_is_counted_per_model_version(
    sandbox: Sandbox, api: httpx.Client, clock: ManualClock
) -> None:
    sandbox.configure(task_seconds=60, concurrency={"video": 2})
    for _ in range(2):
        data(api.post(T2V, json={"prompt": "x", "model_name": "kling-v1"}))
    assert failure(api.post(T2V, json={"prompt": "x", "model_name": "kling-v1"}))[:2] == (429, 1303)
    other = api.post(T2V, json={"prompt": "x", "model_name": "kling-v2-6"})
    assert data(other)["task_status"] == "submitted"
    clock.advance(60)
    assert data(api.post(T2V, json={"prompt": "x", "model_name": "kling-v1"}))["task_status"] == "submitted"


# --- inputs by URL ----------------------------------------------------------------------------------------


def test_image_to_video_by_url_follows_the_image_like_base64(api: httpx.Client, web: MediaServer) -> None:
    square = _png(1024, 1024)
    url = web.add("/square.png", "image/png", square)
    by_url = data(api.post(I2V, json={"image": url, "prompt": "spin"}))["task_id"]
    assert web.hits == ["/square.png"]
    done = data(api.get(f"{I2V}/{by_url}"))
    assert done["task_status"] == "succeed"
    shape = probe(_fetch(done["task_result"]["videos"][0]["url"]))
    assert shape["width"] == shape["height"] == 720  # the 1:1 image, at 720p; not the 16:9 default


def test_lip_sync_reads_the_video_url_for_size_and_length(api: httpx.Client, web: MediaServer) -> None:
    source = data(api.post(T2V, json={"prompt": "a face", "aspect_ratio": "9:16", "duration": "10"}))
    video = data(api.get(f"{T2V}/{source['task_id']}"))["task_result"]["videos"][0]
    url = web.add("/talk.mp4", "video/mp4", _fetch(video["url"]))
    body = {"input": {"video_url": url, "mode": "text2video", "text": "hi", "voice_id": "oversea_male1",
                      "voice_language": "en"}}  # fmt: skip
    task_id = data(api.post("/v1/videos/lip-sync", json=body))["task_id"]
    done = data(api.get(f"/v1/videos/lip-sync/{task_id}"))
    out = done["task_result"]["videos"][0]
    assert float(out["duration"]) == pytest.approx(10, abs=0.1)
    assert done["final_unit_deduction"] == "1"  # 0.5 unit per 5 s of video (§2.5)
    shape = probe(_fetch(out["url"]))
    assert (shape["width"], shape["height"]) == (720, 1280)


@pytest.mark.parametrize(
    ("path", "kind", "payload", "message"),
    [
        ("/missing.png", None, b"", UNREACHABLE_MESSAGE),
        ("/page.png", "text/html", b"<html>not an image</html>", NOT_MEDIA_MESSAGE),
        ("/tiny.png", "image/png", None, IMAGE_SPEC_MESSAGE),
    ],
)
def test_an_unusable_input_url_fails_the_task_uncharged(
    api: httpx.Client, web: MediaServer, path: str, kind: str | None, payload: bytes | None, message: str
) -> None:
    url = web.base + path
    if kind is not None:
        web.add(path, kind, payload if payload is not None else _png(120, 120))
    task_id = data(api.post(I2V, json={"image": url, "prompt": "go"}))["task_id"]  # created, as Kling does
    failed = data(api.get(f"{I2V}/{task_id}"))
    assert failed["task_status"] == "failed" and failed["task_status_msg"] == message
    assert failed["final_unit_deduction"] == "0"


def test_image_urls_inside_lists_are_fetched_too(api: httpx.Client, web: MediaServer) -> None:
    good = web.add("/a.png", "image/png", _png(640, 640))
    body = {"image_list": [{"image": good}, {"image": web.base + "/gone.png"}], "prompt": "two friends"}
    task_id = data(api.post("/v1/videos/multi-image2video", json=body))["task_id"]
    assert sorted(web.hits) == ["/a.png", "/gone.png"]
    failed = data(api.get(f"/v1/videos/multi-image2video/{task_id}"))
    assert failed["task_status"] == "failed" and failed["task_status_msg"] == UNREACHABLE_MESSAGE


def test_an_unreachable_video_url_fails_lip_sync(api: httpx.Client, web: MediaServer) -> None:
    body = {"input": {"video_url": web.base + "/gone.mp4", "mode": "audio2video", "audio_type": "url",
                      "audio_url": web.base + "/a.mp3"}}  # fmt: skip
    task_id = data(api.post("/v1/videos/lip-sync", json=body))["task_id"]
    failed = data(api.get(f"/v1/videos/lip-sync/{task_id}"))
    assert failed["task_status"] == "failed" and failed["task_status_msg"] == UNREACHABLE_MESSAGE


# --- callbacks (A.11-A.13) ------------------------------------------------------------------------------


A11_KEYS = {
    "task_id", "task_status", "task_status_msg", "created_at", "updated_at",
    "final_unit_deduction", "task_info", "task_result",
}  # fmt: skip
A13_KEYS = {"id", "status", "message", "create_time", "update_time", "external_id", "outputs", "billing"}


def test_legacy_callbacks_follow_a11_with_plain_numeric_ids(
    sandbox: Sandbox, api: httpx.Client, receiver: Receiver
) -> None:
    sandbox.configure(webhook_secret="whsec_" + "dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=")
    body = {"prompt": "x", "callback_url": receiver.url, "external_task_id": "cb-1"}
    task_id = data(api.post(T2V, json=body))["task_id"]
    calls = receiver.wait_for(3)
    assert [b["task_status"] for _, b in calls] == ["submitted", "processing", "succeed"]
    for headers, body_ in calls:
        assert set(body_) == A11_KEYS  # no watermark_info; every field on every status
        assert body_["task_id"] == task_id and body_["task_info"]["external_task_id"] == "cb-1"
        assert _is_ms(body_["created_at"]) and isinstance(body_["final_unit_deduction"], str)
        assert headers["webhook-id"].isdigit() and task_id not in headers["webhook-id"]
    assert calls[0][1]["task_result"] == {"videos": []} and calls[0][1]["final_unit_deduction"] == "0"
    assert _is_seconds_string(calls[-1][1]["task_result"]["videos"][0]["duration"])
    assert len({h["webhook-id"] for h, _ in calls}) == 3


def test_new_callbacks_follow_a13(api: httpx.Client, receiver: Receiver) -> None:
    body = {"prompt": "x", "options": {"callback_url": receiver.url}}
    data(api.post("/text-to-video/kling-2.6", json=body))
    calls = receiver.wait_for(3)
    assert [b["status"] for _, b in calls] == ["submitted", "processing", "succeeded"]
    final = calls[-1][1]
    assert set(final) == A13_KEYS
    assert set(final["outputs"][0]) == {"type", "id", "url", "duration"}  # watermark_url only when asked
    assert final["billing"] == [{"charge_type": "unit", "amount": final["billing"][0]["amount"],
                                 "package_type": "video"}]  # fmt: skip
    assert isinstance(final["billing"][0]["amount"], str)
