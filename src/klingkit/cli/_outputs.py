"""``-o NAME.ext`` means that file, in that format.

Kling returns MP4 video, PNG images and MP3/WAV audio. ``-o rain.mp3`` saves the MP3 output as
``rain.mp3`` (a WAV beside it as ``rain.wav``), ``-o pic.jpg`` converts the PNG to JPEG with Pillow, and an
extension klingkit cannot honour (``-o clip.mov``) is refused before anything is paid for.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._exit import CLIError

if TYPE_CHECKING:
    from klingkit import Task

IMAGE_SAVE_FORMATS = ("png", "jpg", "jpeg", "webp")  # what Pillow writes for us
_SAVES: dict[str, tuple[str, ...]] = {
    "video": ("mp4",),
    "image": IMAGE_SAVE_FORMATS,
    "tryon": IMAGE_SAVE_FORMATS,
    "audio": ("mp3", "wav"),
}
_SAME = {"jpg": "jpeg"}


def _ext(path: Path) -> str:
    return path.suffix.lower().lstrip(".")


def _is_file_target(output: str | None) -> Path | None:
    if not output:
        return None
    path = Path(output).expanduser()
    if path.is_dir() or not path.suffix:
        return None
    return path


def check_output_kind(output: str | None, pack: str, feature: str) -> None:
    """Refuse, before sending, an ``-o`` extension that the outputs cannot be saved as."""
    path = _is_file_target(output)
    if path is None or pack not in _SAVES:
        return
    allowed = _SAVES[pack] + (("mp4",) if feature == "video-to-audio" else ())
    if _ext(path) in allowed:
        return
    from ._globals import typed_argv

    better = str(path.with_suffix("." + allowed[0]))
    argv = [better if a == output else a for a in typed_argv()]
    raise CLIError(
        f"invalid -o {output}: this command saves {pack} as {', '.join('.' + a for a in allowed)}; "
        "nothing was sent",
        type="ValidationError",
        hint=f"name the file {Path(better).name} (or give a folder)"
        + (f": klingkit {shlex.join(argv)}" if argv else ""),
    )


def plan(task: Task, output: str | None) -> list[tuple[Task, Path, str | None]]:
    """(task with one group of outputs, where to save it, format to convert to or None) per download."""
    path = _is_file_target(output)
    outputs = [o for o in task.outputs if o.url]
    if path is None or not outputs:
        return [(task, Path(output).expanduser() if output else Path.cwd(), None)]
    want = _SAME.get(_ext(path), _ext(path))
    matching = [o for o in outputs if _SAME.get(o.format or "", o.format or "") == want]
    convert: str | None = None
    if not matching and all(o.kind == "image" for o in outputs) and _ext(path) in IMAGE_SAVE_FORMATS:
        matching, convert = outputs, _ext(path)
    steps: list[tuple[Task, Path, str | None]] = []
    if convert is not None:  # one download per image, each converted to its own numbered name
        for o in matching:
            name = path if len(matching) == 1 else path.with_name(f"{path.stem}_{o.index}{path.suffix}")
            steps.append((dataclasses.replace(task, outputs=[o]), name, convert))
    elif matching:
        steps.append((dataclasses.replace(task, outputs=matching), path, None))
    for other in (o for o in outputs if o not in matching):
        steps.append((dataclasses.replace(task, outputs=[other]), path.with_suffix(f".{other.format}"), None))
    return steps


def convert_image(saved: Path, dest: Path) -> Path:
    """Re-encode ``saved`` as ``dest``'s format (with its sidecar moved beside it); returns ``dest``."""
    from PIL import Image

    with Image.open(saved) as img:
        fmt = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}[_ext(dest)]
        out = img.convert("RGB") if fmt == "JPEG" else img
        tmp = dest.with_name(dest.name + ".part")
        out.save(tmp, fmt, **({"quality": 95} if fmt != "PNG" else {}))
    os.replace(tmp, dest)
    side = saved.with_name(saved.name + ".json")
    if side.exists():
        data: dict[str, Any] = json.loads(side.read_text(encoding="utf-8"))
        data.update(
            file=dest.name, bytes=dest.stat().st_size, converted_from=data.get("output", {}).get("format")
        )
        dest.with_name(dest.name + ".json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        side.unlink()
    saved.unlink()
    return dest
