"""Inputs by URL on every route: fetched from a real HTTP server on 127.0.0.1, used like the same bytes in
base64 (they shape the output, which is decoded with PyAV), failing the task as Kling does when a URL is
unusable or its media is outside the catalog's limits; and fetching kept safe (private addresses, size,
time)."""

from __future__ import annotations

import base64
import contextlib
import io
import json
import subprocess
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from klingkit import catalog
from klingkit.catalog import kling4
from klingkit.sandbox import Sandbox, _fetch_net
from klingkit.sandbox._policy import (
    IMAGE_SPEC_MESSAGE,
    LENGTH_MESSAGE,
    NOT_MEDIA_MESSAGE,
    PRIVATE_URL_MESSAGE,
    TOO_LARGE_MESSAGE,
    UNREACHABLE_MESSAGE,
)
from klingkit.sandbox._server import _private_urls
from klingkit.sandbox.render import probe, render_audio

from ..installed import klingkit_command
from .conftest import data, failure
from .media_server import MediaServer, mp4
from .test_tls_and_start import _serve, _stop


def _png(width: int, height: int, fmt: str = "PNG") -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 160)).save(buf, format=fmt)
    return buf.getvalue()


def _task(api: httpx.Client, task_id: str) -> dict[str, Any]:
    [task] = data(api.get("/tasks", params={"task_ids": task_id}))
    return dict(task)


def _legacy(api: httpx.Client, path: str, body: dict[str, Any]) -> dict[str, Any]:
    task_id = data(api.post(path, json=body))["task_id"]
    return dict(data(api.get(f"{path}/{task_id}")))


def _decoded(url: str) -> dict[str, Any]:
    got = httpx.get(url, timeout=60)
    assert got.status_code == 200
    return probe(got.content)


def _length_message(kind: str, seconds: float, limits: tuple[float, float]) -> str:
    return LENGTH_MESSAGE.format(kind=kind, seconds=seconds, low=limits[0], high=limits[1])


# --- the 2026 routes ----------------------------------------------------------------------------------


def test_2026_image_to_video_follows_a_first_frame_by_url(api: httpx.Client, web: MediaServer) -> None:
    url = web.add("/square.png", "image/png", _png(1024, 1024))
    body = {"contents": [{"type": "prompt", "text": "spin"}, {"type": "first_frame", "url": url}],
            "settings": {"duration": 5}}  # fmt: skip
    task = _task(api, data(api.post("/image-to-video/kling-3.0", json=body))["id"])
    assert web.hits == ["/square.png"] and task["status"] == "succeeded"
    shape = _decoded(task["outputs"][0]["url"])
    assert shape["width"] == shape["height"] == 720  # the square image at 720p, not the 16:9 default


@pytest.mark.parametrize(
    ("path", "kind", "payload", "message"),
    [
        ("/missing.png", None, b"", UNREACHABLE_MESSAGE),
        ("/page.png", "text/html", b"<html>not an image</html>", NOT_MEDIA_MESSAGE),
        ("/tiny.png", "image/png", _png(120, 120), IMAGE_SPEC_MESSAGE),
        ("/anim.gif", "image/gif", _png(400, 400, "GIF"), NOT_MEDIA_MESSAGE),  # not jpg/png
    ],
)
def test_2026_routes_fail_the_task_uncharged_on_an_unusable_url(
    api: httpx.Client, web: MediaServer, path: str, kind: str | None, payload: bytes, message: str
) -> None:
    if kind is not None:
        web.add(path, kind, payload)
    body = {"contents": [{"type": "prompt", "text": "go"}, {"type": "first_frame", "url": web.base + path}]}
    task = _task(api, data(api.post("/image-to-video/kling-3.0", json=body))["id"])
    assert task["status"] == "failed" and task["message"] == message
    assert task["billing"] == [] and task["outputs"] == []


def test_solutions_try_on_reads_both_images_by_url(api: httpx.Client, web: MediaServer) -> None:
    person = web.add("/person.webp", "image/webp", _png(600, 900, "WEBP"))  # the solution takes webp
    body = {"contents": [{"type": "person_image", "url": person},
                         {"type": "product_image", "url": web.add("/shirt.png", "image/png", _png(500, 500))}]}  # fmt: skip
    created = data(api.post("/solutions/virtual_try_on", json=body))
    [done] = data(api.get("/solutions", params={"task_ids": created["id"]}))
    assert sorted(web.hits) == ["/person.webp", "/shirt.png"] and done["status"] == "succeeded"
    assert _decoded(done["outputs"][0]["url"])["width"] > 0
    body["contents"][1]["url"] = web.base + "/gone.png"
    created = data(api.post("/solutions/virtual_try_on", json=body))
    [failed] = data(api.get("/solutions", params={"task_ids": created["id"]}))
    assert failed["status"] == "failed" and failed["message"] == UNREACHABLE_MESSAGE


def test_kling4_input_video_by_url_is_read_and_priced(api: httpx.Client, web: MediaServer) -> None:
    url = web.add("/dance.mp4", "video/mp4", mp4(3.5, 704, 704, fps=24))
    body = {"contents": [{"type": "prompt", "text": "the same dance, in snow"},
                         {"type": "feature_video", "url": url}], "settings": {"duration": 5}}  # fmt: skip
    task = _task(api, data(api.post("/omni-video/kling-4.0", json=body))["id"])
    assert task["status"] == "succeeded"
    facts = {"contents[1]": kling4.VideoFacts(seconds=3.5)}
    known = catalog.Known(videos=facts)
    expected = catalog.price("omni-video-new", {"model_name": "kling-4.0", **body}, known=known).units
    assert task["billing"][0]["amount"] == f"{round(expected, 4):g}"  # 3.5 s read, not the 30 s guess
    shape = _decoded(task["outputs"][0]["url"])
    assert shape["duration"] == pytest.approx(5, abs=0.1) and shape["has_audio"]


# --- lengths of fetched videos and audio (the catalog's limits) ----------------------------------------


@pytest.mark.parametrize(
    ("route", "body", "seconds", "limits"),
    [
        ("/v1/videos/lip-sync", {"input": {"mode": "text2video", "text": "hi", "voice_id": "oversea_male1",
                                           "voice_language": "en"}}, 12.0, catalog.LIPSYNC_VIDEO_SECONDS),
        ("/v1/audio/video-to-audio", {}, 2.0, catalog.VIDEO_TO_AUDIO_DURATION),
        ("/v1/videos/omni-video", {"prompt": "restyle", "model_name": "kling-video-o1"}, 2.0,
         catalog.OMNI_REFERENCE_VIDEO_SECONDS),
    ],
)  # fmt: skip
def test_a_fetched_video_outside_its_length_fails_the_task(
    api: httpx.Client,
    web: MediaServer,
    route: str,
    body: dict[str, Any],
    seconds: float,
    limits: tuple[float, float],
) -> None:
    url = web.add("/clip.mp4", "video/mp4", mp4(seconds))
    if route.endswith("lip-sync"):
        body = {"input": {**body["input"], "video_url": url}}
    elif route.endswith("omni-video"):
        body = {**body, "video_list": [{"video_url": url, "refer_type": "feature"}]}
    else:
        body = {"video_url": url}
    failed = _legacy(api, route, body)
    assert failed["task_status"] == "failed" and failed["final_unit_deduction"] == "0"
    assert failed["task_status_msg"] == _length_message("video", seconds, limits)


def test_kling4_input_video_too_short_by_url_fails_the_task(api: httpx.Client, web: MediaServer) -> None:
    url = web.add("/short.mp4", "video/mp4", mp4(2.0, 704, 704, fps=24))
    body = {"contents": [{"type": "prompt", "text": "x"}, {"type": "base_video", "url": url}]}
    task = _task(api, data(api.post("/omni-video/kling-4.0", json=body))["id"])
    assert task["status"] == "failed" and task["billing"] == []
    assert task["message"] == _length_message("video", 2.0, kling4.VIDEO_SECONDS)


def test_identify_face_refuses_a_short_video_url_and_reads_a_good_one(
    api: httpx.Client, web: MediaServer
) -> None:
    short = web.add("/short.mp4", "video/mp4", mp4(1.0))
    status, code, message = failure(api.post("/v1/videos/identify-face", json={"video_url": short}))
    assert (status, code) == (400, 1201)  # synchronous: nothing to fail later
    assert message == _length_message("video", 1.0, catalog.IDENTIFY_FACE_VIDEO_SECONDS)
    good = web.add("/face.mp4", "video/mp4", mp4(3.0))
    session = data(api.post("/v1/videos/identify-face", json={"video_url": good}))
    assert session["face_data"][0]["end_time"] == 3000  # the fetched video's length


def test_audio_urls_are_fetched_and_checked(api: httpx.Client, web: MediaServer) -> None:
    session = data(
        api.post("/v1/videos/identify-face", json={"video_url": web.add("/f.mp4", "video/mp4", mp4(4.0))})
    )
    choose = {"face_id": session["face_data"][0]["face_id"], "sound_start_time": 0, "sound_end_time": 3000,
              "sound_insert_time": 0}  # fmt: skip
    cases = [
        ("/voice.mp3", "audio/mpeg", render_audio(3.0, "voice"), None),
        ("/page.mp3", "text/html", b"<html></html>", NOT_MEDIA_MESSAGE),
        ("/short.mp3", "audio/mpeg", render_audio(1.0, "short"), _length_message("audio", 1.0, catalog.LIPSYNC_SOUND_SECONDS)),
    ]  # fmt: skip
    for path, kind, payload, message in cases:
        body = {"session_id": session["session_id"], "face_choose": [{**choose, "sound_file": web.add(path, kind, payload)}]}  # fmt: skip
        done = _legacy(api, "/v1/videos/advanced-lip-sync", body)
        assert done["task_status"] == ("succeed" if message is None else "failed"), (path, done)
        if message is not None:
            assert done["task_status_msg"].startswith(message[:40]) and done["final_unit_deduction"] == "0"
        else:
            assert _decoded(done["task_result"]["videos"][0]["url"])["has_audio"]
    lip = {"input": {"video_url": web.add("/v.mp4", "video/mp4", mp4(3.0)), "mode": "audio2video",
                     "audio_type": "url", "audio_url": web.add("/x.mp3", "text/plain", b"hello")}}  # fmt: skip
    failed = _legacy(api, "/v1/videos/lip-sync", lip)
    assert failed["task_status"] == "failed" and failed["task_status_msg"] == NOT_MEDIA_MESSAGE


def test_legacy_omni_image_lists_are_fetched(api: httpx.Client, web: MediaServer) -> None:
    body = {"model_name": "kling-image-o1", "prompt": "merge <<<image_1>>>",
            "image_list": [{"image": web.base + "/gone.png"}]}  # fmt: skip
    failed = _legacy(api, "/v1/images/omni-image", body)
    assert failed["task_status"] == "failed" and failed["task_status_msg"] == UNREACHABLE_MESSAGE
    ok = {**body, "image_list": [{"image": web.add("/cat.png", "image/png", _png(640, 640))}]}
    assert _legacy(api, "/v1/images/omni-image", ok)["task_status"] == "succeed"


def test_a_refused_request_fetches_nothing(api: httpx.Client, web: MediaServer) -> None:
    url = web.add("/a.png", "image/png", _png(640, 640))
    body = {"contents": [{"type": "first_frame", "url": url}], "settings": {"duration": 99}}
    assert failure(api.post("/image-to-video/kling-3.0", json=body))[:2] == (400, 1201)
    assert web.hits == []


# --- fetching kept safe ---------------------------------------------------------------------------------


@contextlib.contextmanager
def _beyond_loopback() -> Iterator[httpx.Client]:
    """A client of a sandbox that fetches as one listening beyond loopback does (no private URLs)."""
    with Sandbox(time_scale=0.0, private_urls=False) as sb:
        headers = {"Authorization": f"Bearer {sb.api_key}"}
        with httpx.Client(base_url=sb.base_url, headers=headers, timeout=30) as api:
            yield api


def test_beyond_loopback_private_urls_are_refused_but_own_outputs_are_read(web: MediaServer) -> None:
    assert _private_urls("0.0.0.0", None) is False and _private_urls("::", None) is False
    assert _private_urls("127.0.0.1", None) is True and _private_urls("0.0.0.0", True) is True
    url = web.add("/square.png", "image/png", _png(800, 800))
    with _beyond_loopback() as api:
        refused = _legacy(api, "/v1/videos/image2video", {"image": url, "prompt": "x"})
        assert refused["task_status"] == "failed" and refused["task_status_msg"] == PRIVATE_URL_MESSAGE
        assert web.hits == []  # never contacted
        source = _legacy(api, "/v1/videos/text2video", {"prompt": "a face"})
        own = source["task_result"]["videos"][0]["url"]
        body = {"input": {"video_url": own, "mode": "text2video", "text": "hi", "voice_id": "oversea_male1",
                          "voice_language": "en"}}  # fmt: skip
        assert _legacy(api, "/v1/videos/lip-sync", body)["task_status"] == "succeed"


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "192.168.0.1", "169.254.169.254", "::1", "::ffff:127.0.0.1", "fd00::1"],
)
def test_non_global_addresses_are_not_global(address: str) -> None:
    assert not _fetch_net._global(address)
    assert _fetch_net._global("8.8.8.8") and _fetch_net._global("2001:4860:4860::8888")


def test_a_file_over_its_size_limit_is_not_downloaded(api: httpx.Client, web: MediaServer) -> None:
    url = web.add("/huge.png", "image/png", b"\x89PNG" + b"\0" * catalog.IMAGE_MAX_BYTES)
    failed = _legacy(api, "/v1/images/generations", {"prompt": "x", "image": url})
    limit = catalog.IMAGE_MAX_BYTES // (1024 * 1024)
    assert failed["task_status"] == "failed" and failed["task_status_msg"] == TOO_LARGE_MESSAGE.format(
        limit=limit
    )


def test_a_stalled_url_fails_in_bounded_time(
    api: httpx.Client, web: MediaServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_fetch_net, "TOTAL_TIMEOUT", 0.5)  # the sandbox runs in this process's thread
    url = web.add("/slow.png", "image/png", _png(640, 640))
    web.slow.add("/slow.png")
    failed = _legacy(api, "/v1/images/generations", {"prompt": "x", "image": url})
    assert failed["task_status"] == "failed" and failed["task_status_msg"] == UNREACHABLE_MESSAGE


def test_base64_of_the_same_image_and_its_url_give_the_same_clip(api: httpx.Client, web: MediaServer) -> None:
    raw = _png(600, 1000)
    url = web.add("/tall.png", "image/png", raw)
    shapes = []
    for image in (url, base64.b64encode(raw).decode()):
        body = {
            "contents": [{"type": "prompt", "text": "x"}, {"type": "first_frame", "url": image}],
            "settings": {"duration": 3},
        }
        task = _task(api, data(api.post("/image-to-video/kling-3.0", json=body))["id"])
        shape = _decoded(task["outputs"][0]["url"])
        shapes.append((shape["width"], shape["height"]))
    assert shapes[0] == shapes[1] and shapes[0][1] > shapes[0][0]


def test_serve_documents_and_applies_the_private_url_rule(web: MediaServer) -> None:
    helped = subprocess.run(
        [klingkit_command(), "sandbox", "serve", "--help"], capture_output=True, text=True, timeout=60
    )
    assert "--private-urls" in helped.stdout and "private" in helped.stdout and "0.0.0.0" in helped.stdout
    url = web.add("/a.png", "image/png", _png(640, 640))
    for flag, allowed in (("--no-private-urls", False), (None, True)):
        proc = _serve("--json", *([flag] if flag else []))
        try:
            assert proc.stdout is not None
            info = json.loads(proc.stdout.readline())
            assert info["private_urls"] is allowed
            headers = {"Authorization": f"Bearer {info['api_key']}"}
            with httpx.Client(base_url=info["base_url"], headers=headers, timeout=30) as api:
                done = _legacy(api, "/v1/videos/image2video", {"image": url, "prompt": "x"})
            assert done["task_status"] == ("succeed" if allowed else "failed"), done
        finally:
            _stop(proc)
    assert web.hits == ["/a.png"]  # only the sandbox that allows loopback URLs fetched it


def test_beyond_loopback_the_connection_goes_to_the_checked_address(
    web: MediaServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A host name that resolves to an address the check accepts: the fetch connects to that very address,
    # with the URL's own Host header (here the "public" address is the loopback web server, let through).
    async def resolve(host: str, port: int, **_: Any) -> list[Any]:
        assert host == "media.example"
        return [(2, 1, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(_fetch_net.anyio, "getaddrinfo", resolve)
    monkeypatch.setattr(_fetch_net, "_global", lambda address: address == "127.0.0.1")
    web.add("/square.png", "image/png", _png(800, 800))
    url = f"http://media.example:{web.server.server_port}/square.png"
    with _beyond_loopback() as api:
        done = _legacy(api, "/v1/videos/image2video", {"image": url, "prompt": "x"})
    assert done["task_status"] == "succeed", done
    assert web.hits == ["/square.png"] and web.hosts == [f"media.example:{web.server.server_port}"]
