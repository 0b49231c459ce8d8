"""A sandbox with ``render_processes`` renders outputs in worker processes (so downloads never slow the
answers to creates and status checks): the files are real media, a worker that dies is replaced by a render
in the serving process, and no worker outlives its sandbox."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from klingkit import Kling

pytestmark = pytest.mark.integration
sandbox_mod = pytest.importorskip("klingkit.sandbox")


def render_workers() -> list[int]:
    """Pids of this process's render workers (children running ``klingkit.sandbox._render_worker``)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            ppid = int((entry / "stat").read_text().rpartition(")")[2].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if ppid == os.getpid() and b"klingkit.sandbox._render_worker" in cmdline:
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
