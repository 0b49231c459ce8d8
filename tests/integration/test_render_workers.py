"""A sandbox with ``render_processes`` renders outputs in worker processes (so downloads never slow the
answers to creates and status checks): the files are real media, a worker that dies is replaced by a render
in the serving process, and no worker outlives its sandbox."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from klingkit import Kling

pytestmark = pytest.mark.integration
sandbox_mod = pytest.importorskip("klingkit.sandbox")


def render_workers(parent: int | None = None) -> list[int]:
    """Pids of ``parent``'s render workers (children running ``klingkit.sandbox._render_worker``)."""
    parent = os.getpid() if parent is None else parent
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            ppid = int((entry / "stat").read_text().rpartition(")")[2].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if ppid == parent and b"klingkit.sandbox._render_worker" in cmdline:
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc to find the workers")
def test_outputs_render_in_workers_survive_a_dead_worker_and_leave_no_process(tmp_path: Path) -> None:
    av = pytest.importorskip("av")
    image_mod = pytest.importorskip("PIL.Image")
    assert render_workers() == []
    with (
        sandbox_mod.Sandbox(time_scale=0.0, seed=0, render_processes=1) as sb,
        Kling(api_key=sb.api_key, base_url=sb.base_url) as client,
    ):
        image = client.tasks.wait(client.images.generate(prompt="a red fox", n=2))
        video = client.tasks.wait(client.videos.text_to_video(prompt="a fox runs", duration=5))
        paths = client.download(image, tmp_path / "images", sidecar=False)
        [clip] = client.download(video, tmp_path / "fox.mp4", sidecar=False)
        workers = render_workers()
        assert len(workers) == 1  # the renders ran in the worker, not in this process

        os.kill(workers[0], signal.SIGKILL)  # a worker that dies mid-run: this process renders instead
        os.waitpid(workers[0], 0)
        later = client.tasks.wait(client.images.generate(prompt="a blue fox"))
        paths += client.download(later, tmp_path / "later", sidecar=False)
        for path in paths:
            with image_mod.open(path) as picture:
                assert picture.format == "PNG" and picture.size[0] > 0
        with av.open(str(clip)) as container:
            stream = container.streams.video[0]
            assert stream.codec_context.name == "h264" and stream.frames > 0
    assert render_workers() == []  # the sandbox's end ended its workers


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc to find the workers")
def test_klingkit_sandbox_serve_render_processes_renders_in_workers_that_end_with_it() -> None:
    image_mod = pytest.importorskip("PIL.Image")
    command = Path(sys.executable).with_name("klingkit")
    if not command.exists():
        pytest.skip("the klingkit console script is not installed")
    args = ["sandbox", "serve", "--port", "0", "--time-scale", "0", "--json", "--render-processes", "1"]
    proc = subprocess.Popen(
        [str(command), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    workers: list[int] = []
    try:
        assert proc.stdout is not None
        info = json.loads(proc.stdout.readline())
        headers = {"Authorization": f"Bearer {info['api_key']}"}
        with httpx.Client(base_url=info["base_url"], headers=headers, timeout=30) as http:
            task_id = http.post("/v1/images/generations", json={"prompt": "a fox"}).json()["data"]["task_id"]
            for _ in range(100):
                data = http.get(f"/v1/images/generations/{task_id}").json()["data"]
                if data["task_status"] == "succeed":
                    break
                time.sleep(0.05)
            url = data["task_result"]["images"][0]["url"]
            picture = image_mod.open(io.BytesIO(http.get(url).content))
            assert picture.format == "PNG" and picture.size[0] > 0
        workers = render_workers(proc.pid)
        assert len(workers) == 1  # the flag reached the server: its render ran in a worker
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert proc.returncode in (0, 130)  # stopped by Ctrl-C, not crashed
    for pid in workers:  # Ctrl-C on the server ended its worker too
        for _ in range(50):
            if not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]:
                break
            time.sleep(0.1)
        else:
            pytest.fail(f"render worker {pid} outlived klingkit sandbox serve")
