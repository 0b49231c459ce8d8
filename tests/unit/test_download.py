"""Downloads: atomic, resumable with Range, credential-free, fresh URLs once on 403, sidecars."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from klingkit import Output, Task, TaskStatus
from klingkit._download import plan_targets
from klingkit.errors import DownloadError

BODY = bytes(range(256)) * 4096  # 1 MiB


def done_task(*urls: str, **kw: Any) -> Task:
    outs = [Output(kind="video", url=u, format="mp4", index=i) for i, u in enumerate(urls)]
    return Task(id="T1", status=TaskStatus.SUCCEEDED, outputs=outs, feature="text2video", family="legacy",
                external_id="kk-1", units=1.5, params=kw or {"prompt": "a fox", "duration": "5"})  # fmt: skip


def cdn(request: httpx.Request, body: bytes = BODY) -> httpx.Response:
    rng = request.headers.get("range")
    if rng:
        start = int(rng.split("=")[1].rstrip("-"))
        return httpx.Response(206, content=body[start:],
                              headers={"content-range": f"bytes {start}-{len(body) - 1}/{len(body)}"})  # fmt: skip
    return httpx.Response(200, content=body)


def test_download_to_a_directory_with_sidecar_and_no_credentials(
    make_client: Any, tmp_path: Path, kk: Any
) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return cdn(request)

    task = done_task("https://cdn.test/out.mp4?x-sign=SECRETSIG")
    progress: list[tuple[int, int | None]] = []
    [path] = make_client(handler).download(
        task, tmp_path / "out", on_progress=lambda d, t: progress.append((d, t))
    )
    assert path == tmp_path / "out" / "T1.mp4" and path.read_bytes() == BODY
    assert not list((tmp_path / "out").glob("*.part"))
    assert "authorization" not in seen[0].headers
    assert progress[-1] == (len(BODY), len(BODY))
    side = json.loads((tmp_path / "out" / "T1.mp4.json").read_text())
    assert side["task_id"] == "T1" and side["external_id"] == "kk-1" and side["prompt"] == "a fox"
    assert side["units"] == 1.5 and side["duration"] == "5"
    assert side["output"]["source_url"] == "https://cdn.test/out.mp4"
    assert "SECRETSIG" not in json.dumps(side) and kk.SECRET not in json.dumps(side)


def test_resume_after_a_dropped_connection(make_client: Any, tmp_path: Path) -> None:
    calls: list[str | None] = []

    class Dropping(httpx.SyncByteStream):
        def __iter__(self) -> Any:
            yield BODY[:300_000]
            raise httpx.ReadError("connection reset")

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.headers.get("range"))
        if len(calls) == 1:
            return httpx.Response(200, headers={"content-length": str(len(BODY))}, stream=Dropping())
        return cdn(request)

    [path] = make_client(handler).download(
        done_task("https://cdn.test/a.mp4"), tmp_path / "a.mp4", sidecar=False
    )
    assert path.read_bytes() == BODY
    assert calls == [None, "bytes=300000-"]


def test_short_body_is_detected_and_resumed(make_client: Any, tmp_path: Path) -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.headers.get("range"))
        if len(calls) == 1:  # the server closes early without an error
            return httpx.Response(200, content=BODY[:1000], headers={"content-length": str(len(BODY))})
        return cdn(request)

    # httpx itself rejects a body shorter than Content-Length; either way the file ends complete
    [path] = make_client(handler).download(done_task("https://cdn.test/a.mp4"), tmp_path, sidecar=False)
    assert path.read_bytes() == BODY and len(calls) == 2


def test_expired_url_requeries_the_task_once(make_client: Any, tmp_path: Path) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.host == "cdn.test" and "old" in request.url.path:
            return httpx.Response(403)
        if request.url.path == "/v1/videos/text2video/T1":
            return httpx.Response(200, json={"code": 0, "data": {
                "task_id": "T1", "task_status": "succeed",
                "task_result": {"videos": [{"url": "https://cdn.test/new.mp4"}]}}})  # fmt: skip
        return cdn(request)

    [path] = make_client(handler).download(done_task("https://cdn.test/old.mp4"), tmp_path)
    assert path.read_bytes() == BODY
    assert [u.split("?")[0] for u in seen] == [
        "https://cdn.test/old.mp4",
        "https://api-singapore.klingai.com/v1/videos/text2video/T1",
        "https://cdn.test/new.mp4",
    ]
    assert json.loads((tmp_path / "T1.mp4.json").read_text())["prompt"] == "a fox"  # params survive


def test_expired_twice_is_an_error(make_client: Any, tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "cdn.test":
            return httpx.Response(410)
        return httpx.Response(200, json={"code": 0, "data": {"task_id": "T1", "task_status": "succeed",
                              "task_result": {"videos": [{"url": "https://cdn.test/x.mp4"}]}}})  # fmt: skip

    with pytest.raises(DownloadError, match="30 days"):
        make_client(handler).download(done_task("https://cdn.test/old.mp4"), tmp_path)


def test_existing_files_are_kept_unless_forced(make_client: Any, tmp_path: Path) -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return cdn(request)

    client = make_client(handler)
    task = done_task("https://cdn.test/a.mp4")
    client.download(task, tmp_path)
    client.download(task, tmp_path)
    assert len(calls) == 1
    client.download(task, tmp_path, force=True)
    assert len(calls) == 2


def test_size_cap_and_plain_http_refused(make_client: Any, tmp_path: Path) -> None:
    from klingkit._download import download_sync

    client = make_client(lambda r: httpx.Response(200, content=b"x" * 100))
    with pytest.raises(DownloadError, match="only https"):
        client.download(done_task("http://cdn.test/a.mp4"), tmp_path)
    with pytest.raises(DownloadError, match="cap"):
        download_sync(client._download_http, done_task("https://cdn.test/a.mp4"), tmp_path,
                      refresh=done_task, max_bytes=10)  # fmt: skip


def test_unfinished_task_is_refused(make_client: Any, tmp_path: Path) -> None:
    client = make_client(lambda r: httpx.Response(200, json={"code": 0, "data": {"task_id": "T1",
                                                                                  "task_status": "processing"}}))  # fmt: skip
    with pytest.raises(DownloadError, match="processing"):
        client.download(
            Task(id="T1", status=TaskStatus.PROCESSING, feature="text2video", family="legacy"), tmp_path
        )


def test_naming() -> None:
    task = done_task("https://c.test/a.mp4", "https://c.test/b.mp4")
    assert [p.name for _, p in plan_targets(task, "dir")] == ["T1_0.mp4", "T1_1.mp4"]
    assert [p.name for _, p in plan_targets(task, "clip.mp4")] == ["clip_0.mp4", "clip_1.mp4"]
    assert [p.name for _, p in plan_targets(done_task("https://c.test/a.mp4"), "my.mp4")] == ["my.mp4"]


async def test_async_download(make_async_client: Any, tmp_path: Path) -> None:
    async with make_async_client(cdn) as client:
        [path] = await client.download(done_task("https://cdn.test/a.mp4"), tmp_path)
    assert path.read_bytes() == BODY
