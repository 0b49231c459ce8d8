"""`klingkit models --json` shows each model's typical task time, read from the catalog."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from klingkit import catalog

KLINGKIT = str(Path(sys.executable).with_name("klingkit"))


def test_models_json_shows_typical_seconds_from_the_catalog() -> None:
    done = subprocess.run([KLINGKIT, "models", "--json"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    video = {m["name"]: m for m in data["video"]}
    assert video["kling-v2-6"]["typical_seconds"] == list(
        catalog.typical_seconds("text2video", model="kling-v2-6")
    )
    assert video["kling-3.0"]["typical_seconds"] == list(
        catalog.typical_seconds("text-to-video", model="kling-3.0")
    )
    for entry in [*data["video"], *data["image"]]:
        low, high = entry["typical_seconds"]
        assert 0 < low < high, entry["name"]
    # Images are quicker than videos; the sandbox's default task time sits inside the range.
    assert max(m["typical_seconds"][1] for m in data["image"]) < min(
        m["typical_seconds"][0] for m in data["video"]
    )
    low, high = catalog.typical_seconds("text2video")
    assert low < catalog.task_seconds("text2video") < high
