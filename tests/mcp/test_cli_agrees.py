"""The CLI and the MCP tools are two views of one registry: the same request, spelled with the CLI flags the
registry names, is priced and routed the same by the installed command (`--dry-run --json`) as by the
operation (what the `estimate` and generate tools use)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from klingkit import ops, prepare
from klingkit.catalog import _data

pytestmark = pytest.mark.e2e

VOICE = _data.VOICES["en"][0]
CASES: list[tuple[str, dict[str, Any]]] = [
    ("generate_video", {"prompt": "a fox", "model": "kling-v2-6", "duration": 10, "mode": "pro"}),
    ("generate_video", {"prompt": "x", "model": "kling-3.0", "mode": "4k", "duration": 15, "sound": True}),
    (
        "generate_video",
        {"prompt": "x", "model": "kling-v1", "mode": "std", "duration": 5, "camera": "zoom_in"},
    ),
    ("generate_image", {"prompt": "a lighthouse", "n": 3, "aspect_ratio": "1:1"}),
    ("generate_audio", {"prompt": "rain on a roof", "duration": 5}),
    ("text_to_speech", {"text": "hello there", "voice_id": VOICE}),
    ("video_to_audio", {"video": "vid-123", "sound_effect_prompt": "rain", "asmr_mode": True}),
    ("extend_video", {"video": "vid-123", "prompt": "and then it rains"}),
    ("lip_sync", {"video": "vid-123", "text": "hi", "voice_id": VOICE}),
    ("apply_effect", {"scene": _data.SINGLE_IMAGE_EFFECTS[0], "images": ["IMAGE"]}),
    ("try_on", {"person_image": "IMAGE", "garment_image": "IMAGE"}),
]


def _exe() -> str:
    beside = Path(sys.executable).with_name("klingkit")
    if beside.exists():
        return str(beside)
    found = shutil.which("klingkit")
    if found is None:
        pytest.skip("the klingkit console script is not installed")
    return found


def _argv(op: ops.Operation, args: dict[str, Any]) -> list[str]:
    """The CLI command line for ``args``, from the registry's CLI spellings."""
    assert op.cli is not None
    argv = op.cli.split()[1:]
    flags = {p.name: p.flag for p in op.params}
    for name, value in args.items():
        flag = flags[name]
        assert flag, f"{op.name}.{name} has no CLI spelling"
        values = value if isinstance(value, list) else [value]
        for v in values:
            if flag.isupper():  # a positional argument
                argv.append(str(v))
            elif v is True:
                argv.append(flag)
            else:
                argv += [flag, str(v)]
    return argv


@pytest.mark.parametrize(("name", "args"), CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_cli_and_tool_price_the_same_request(name: str, args: dict[str, Any], tmp_path: Path) -> None:
    picture = tmp_path / "person.png"
    Image.new("RGB", (512, 768), (120, 90, 60)).save(picture)
    args = {
        k: ([str(picture)] if v == ["IMAGE"] else str(picture) if v == "IMAGE" else v)
        for k, v in args.items()
    }
    op = ops.get(name)
    feature, params = op.request(args)
    est = prepare(feature, **params).estimate

    env = {k: v for k, v in os.environ.items() if not k.startswith(("KLING_", "KLINGKIT_"))}
    env["KLINGKIT_HOME"] = os.environ["KLINGKIT_HOME"]
    done = subprocess.run(
        [_exe(), *_argv(op, args), "--dry-run", "--json"], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr
    shown = json.loads(done.stdout)
    assert shown["feature"] == feature
    assert (shown["estimate"]["units"], shown["estimate"]["usd"]) == (est.units, est.usd)
