"""Output files: real media without credentials, byte ranges, expiring URLs, retention, watermarks."""

from __future__ import annotations

import httpx

from klingkit.sandbox import Sandbox

from .conftest import ManualClock, data


def video_url(api: httpx.Client, **extra: object) -> tuple[str, dict]:
    task_id = data(
        api.post(
            "/v1/videos/text2video",
            json={"prompt": "a kite", "model_name": "kling-v3", "duration": "3", **extra},
        )
    )["task_id"]
    done = data(api.get(f"/v1/videos/text2video/{task_id}"))
    return done["task_result"]["videos"][0]["url"], done


def test_video_is_a_real_mp4_served_without_credentials(api: httpx.Client) -> None:
    url, _ = video_url(api)
    whole = httpx.get(url)
    assert whole.status_code == 200 and whole.headers["content-type"] == "video/mp4"
    assert whole.content[4:8] == b"ftyp"
    from klingkit.sandbox.render import probe

    info = probe(whole.content)
    assert (info["width"], info["height"]) == (1280, 720) and abs(info["duration"] - 3) < 0.1
    tail = httpx.get(url, headers={"Range": "bytes=100-"})
    assert tail.status_code == 206 and tail.content == whole.content[100:]
    assert tail.headers["content-range"] == f"bytes 100-{len(whole.content) - 1}/{len(whole.content)}"


def test_urls_expire_after_url_ttl(sandbox: Sandbox, api: httpx.Client, clock: ManualClock) -> None:
    sandbox.configure(url_ttl=60)
    url, _ = video_url(api)
    assert "expires=" in url and httpx.head(url).status_code == 200
    clock.advance(61)
    assert httpx.get(url).status_code == 403
    assert httpx.get(url.split("?")[0]).status_code == 403  # the signature cannot be dropped either


def test_outputs_are_cleared_after_retention(sandbox: Sandbox, api: httpx.Client, clock: ManualClock) -> None:
    sandbox.configure(retention_seconds=3600)
    url, done = video_url(api)
    clock.advance(3601)
    assert httpx.get(url).status_code == 404
    video_id = done["task_result"]["videos"][0]["id"]
    extend = api.post("/v1/videos/video-extend", json={"video_id": video_id})
    assert extend.json()["code"] == 1203


def test_watermarked_copy_when_asked(api: httpx.Client) -> None:
    task_id = data(
        api.post("/v1/images/generations", json={"prompt": "x", "watermark_info": {"enabled": True}})
    )["task_id"]
    image = data(api.get(f"/v1/images/generations/{task_id}"))["task_result"]["images"][0]
    plain, marked = httpx.get(image["url"]), httpx.get(image["watermark_url"])
    assert plain.status_code == marked.status_code == 200 and plain.content != marked.content


def test_unknown_file_is_404(sandbox: Sandbox) -> None:
    assert httpx.get(f"{sandbox.base_url}/_cdn/123.mp4").status_code == 404
