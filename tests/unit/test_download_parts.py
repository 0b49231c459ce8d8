"""Leftover ``.part`` files: another task's is never completed as ours, a complete one is verified and
renamed without an out-of-range Range request, and a kill between sidecar and rename leaves no orphan."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from klingkit import Output, Task, TaskStatus
from klingkit._download import download_sync

BODY = bytes(range(256)) * 64  # 16 KiB


def _task(task_id: str) -> Task:
    out = Output(kind="video", url="https://cdn.test/a.mp4", format="mp4", index=0, id="out-1")
    return Task(id=task_id, status=TaskStatus.SUCCEEDED, outputs=[out], feature="text2video", family="legacy")


def _cdn(seen: list[str | None]) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        rng = request.headers.get("range")
        seen.append(rng)
        if rng:
            start = int(rng.split("=")[1].rstrip("-"))
            if start >= len(BODY):
                return httpx.Response(416)
            return httpx.Response(206, content=BODY[start:],
                                  headers={"content-range": f"bytes {start}-{len(BODY) - 1}/{len(BODY)}"})  # fmt: skip
        return httpx.Response(200, content=BODY, headers={"content-length": str(len(BODY))})

    return httpx.Client(transport=httpx.MockTransport(handler))


def _get(tmp_path: Path, task: Task, seen: list[str | None]) -> Path:
    (path,) = download_sync(
        _cdn(seen), task, tmp_path / "clip.mp4", refresh=lambda: task, sleep=lambda s: None
    )
    return path


def test_a_part_of_another_task_is_discarded_not_resumed(tmp_path: Path) -> None:
    part = tmp_path / "clip.mp4.part"
    part.write_bytes(b"X" * 5000)  # another task's first 5000 bytes (no label, or another task's label)
    (tmp_path / "clip.mp4.part-info").write_text(json.dumps({"task_id": "OTHER", "output_id": "out-1",
                                                             "index": 0, "kind": "video", "total": 16384}))  # fmt: skip
    seen: list[str | None] = []
    path = _get(tmp_path, _task("T1"), seen)
    assert path.read_bytes() == BODY and seen == [None]  # fetched whole, never spliced onto a foreign part
    part.write_bytes(b"Y" * 100)  # an unlabelled leftover, for a second file
    (tmp_path / "clip.mp4").unlink()
    (tmp_path / "clip.mp4.json").unlink()
    seen.clear()
    assert _get(tmp_path, _task("T1"), seen).read_bytes() == BODY and seen == [None]


def test_a_complete_part_of_this_output_is_renamed_without_a_request(tmp_path: Path) -> None:
    (tmp_path / "clip.mp4.part").write_bytes(BODY)
    (tmp_path / "clip.mp4.part-info").write_text(json.dumps({"task_id": "T1", "output_id": "out-1", "index": 0,
                                                             "kind": "video", "total": len(BODY)}))  # fmt: skip
    seen: list[str | None] = []
    path = _get(tmp_path, _task("T1"), seen)
    assert path.read_bytes() == BODY and seen == []
    assert json.loads((tmp_path / "clip.mp4.json").read_text())["task_id"] == "T1"
    assert not (tmp_path / "clip.mp4.part").exists() and not (tmp_path / "clip.mp4.part-info").exists()


def test_a_full_length_part_without_its_length_restarts_instead_of_looping_on_416(tmp_path: Path) -> None:
    (tmp_path / "clip.mp4.part").write_bytes(BODY)
    (tmp_path / "clip.mp4.part-info").write_text(json.dumps({"task_id": "T1", "output_id": "out-1", "index": 0,
                                                             "kind": "video", "total": None}))  # fmt: skip
    seen: list[str | None] = []
    path = _get(tmp_path, _task("T1"), seen)
    assert path.read_bytes() == BODY
    assert seen == [f"bytes={len(BODY)}-", None]  # one 416, then the whole file: no loop


def test_a_sidecar_without_its_file_is_downloaded_again(tmp_path: Path) -> None:
    # A kill between writing the sidecar and the final rename leaves the sidecar alone.
    (tmp_path / "clip.mp4.json").write_text(json.dumps({"task_id": "T1"}))
    seen: list[str | None] = []
    assert _get(tmp_path, _task("T1"), seen).read_bytes() == BODY
