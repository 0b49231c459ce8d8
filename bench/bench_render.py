"""Render-time benchmark for the sandbox media renderer.

Times render_video for a 5 s 1280x720 and a 10 s 1920x1080 clip (24 fps; text-to-video, plus camera and
image-to-video variants at 720p) and, as a baseline measured in the same run, encoding the same number
of solid black frames through the same MP4/libx264 writer. Prints median seconds over --runs runs and the
ratio to the baseline. Pinned to one CPU by default (Linux), since the renderer targets one core.

    PYTHONPATH=src python bench/bench_render.py [--runs 5] [--all-cores]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable

from PIL import Image

from klingkit.sandbox._render_encode import VideoWriter
from klingkit.sandbox._render_planes import Planes
from klingkit.sandbox.render import CameraMotion, VideoSpec, render_image, render_video

PROMPT = "A red fox trots through fresh snow at dawn, golden light through the pines, cinematic, 35mm"


def median_seconds(action: Callable[[], None], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def black_clip(path: str, width: int, height: int, fps: int, frames: int) -> None:
    """Baseline: the same writer and encoder settings fed one precomputed solid black frame."""
    black = Planes.from_rgb(Image.new("RGB", (width, height))).to_frame()
    with VideoWriter(path, width, height, fps) as writer:
        for _ in range(frames):
            writer.write(black)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per case; the median is reported")
    parser.add_argument("--all-cores", action="store_true", help="do not pin the process to one CPU")
    args = parser.parse_args()
    if not args.all_cores and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    start_image = render_image(1280, 720, "start frame", seed=11)
    cases = [
        ("t2v 5s 1280x720@24", VideoSpec(1280, 720, 24, 5.0, prompt=PROMPT)),
        ("t2v 5s 1280x720@24 +sound", VideoSpec(1280, 720, 24, 5.0, prompt=PROMPT, sound=True)),
        (
            "t2v 5s 1280x720@24 zoom",
            VideoSpec(1280, 720, 24, 5.0, prompt=PROMPT, camera=CameraMotion("simple", {"zoom": 10})),
        ),
        ("i2v 5s 1280x720@24 (push-in)", VideoSpec(1280, 720, 24, 5.0, image=start_image)),
        (
            "i2v 5s 1280x720@24 roll",
            VideoSpec(1280, 720, 24, 5.0, image=start_image, camera=CameraMotion("simple", {"roll": 10})),
        ),
        ("t2v 10s 1920x1080@24", VideoSpec(1920, 1080, 24, 10.0, prompt=PROMPT)),
    ]
    print(f"median of {args.runs} runs, CPUs available to this process: {len(os.sched_getaffinity(0))}")
    print(f"{'case':34} {'render s':>9} {'black s':>9} {'ratio':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "clip.mp4")
        for name, spec in cases:
            frames = round(spec.duration * spec.fps)
            rendered = median_seconds(lambda spec=spec: render_video(spec, out), args.runs)
            baseline = median_seconds(
                lambda spec=spec, frames=frames: black_clip(out, spec.width, spec.height, spec.fps, frames),
                args.runs,
            )
            print(f"{name:34} {rendered:9.3f} {baseline:9.3f} {rendered / baseline:6.2f}")


if __name__ == "__main__":
    main()
