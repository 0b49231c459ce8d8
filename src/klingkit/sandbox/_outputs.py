"""Output files: a task's recipes turned into real media (through ``render``) on first download.

Rendering waits for a download because most tests and scripts never fetch most outputs, and a 10 s
1080p clip takes seconds of CPU. A file, once written, is reused; writes go to ``.part`` and are
renamed, so a reader never sees half a file. Files are named ``<output id>.<ext>``; ``-wm`` ids are the
watermarked copies.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._tasks import OutputFile

if TYPE_CHECKING:
    from ._render_worker import RenderPool

EXTENSIONS = {"video": ("mp4",), "image": ("png",), "audio": ("mp3", "wav"), "voice": ("mp3",), "element": ()}
WATERMARK_TEXT = "KLING SANDBOX"


def seed_for(base_seed: int, output_id: str) -> int:
    """A stable 31-bit seed for one output: the sandbox seed mixed with the output id."""
    digest = hashlib.sha256(f"{base_seed}:{output_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


class MediaFiles:
    """Renders and finds output files under ``root``."""

    def __init__(self, root: Path, seed: Callable[[], int], render_processes: int = 0) -> None:
        self.root = root
        self.inputs = root / "inputs"
        self.inputs.mkdir(parents=True, exist_ok=True)
        self._seed = seed
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        # Renders in worker processes keep the serving process's GIL free (see ``_render_worker``).
        self._pool: RenderPool | None = None
        if render_processes > 0:
            from ._render_worker import RenderPool  # not at import: the worker runs that module as __main__

            self._pool = RenderPool(render_processes)

    def keep_input(self, data: bytes, ext: str) -> str:
        """Store decoded input bytes (an uploaded image) by content hash; return the path."""
        path = self.inputs / f"{hashlib.sha256(data).hexdigest()[:32]}.{ext}"
        if not path.exists():
            _write_atomic(path, data)
        return str(path)

    def path(self, output_id: str, ext: str) -> Path:
        return self.root / f"{output_id}.{ext}"

    def clear(self) -> None:
        """Delete every rendered output (a reset hands out the same seeded ids again; a file left from
        before would be served for a different task)."""
        for candidate in self.root.glob("*.*"):
            if candidate.is_file():
                candidate.unlink(missing_ok=True)

    def remove(self, output_id: str) -> None:
        """Delete every file of an output (retention ran out)."""
        for candidate in self.root.glob(f"{output_id}*.*"):
            if candidate.stem in (output_id, output_id + "-wm"):
                candidate.unlink(missing_ok=True)

    def ensure(
        self, output: OutputFile, ext: str, watermark: bool, find: Callable[[str], OutputFile | None]
    ) -> Path:
        """The file for ``output`` in format ``ext``, rendering it (and any source it builds on) first.

        ``find`` looks up another output by id (the parent of an extension or dubbing).
        """
        file_id = output.id + ("-wm" if watermark else "")
        target = self.path(file_id, ext)
        if target.exists():
            return target
        with self._guard:
            lock = self._locks.setdefault(f"{file_id}.{ext}", threading.Lock())
        with lock:
            if target.exists():
                return target
            if watermark:
                plain = self.ensure(output, ext, False, find)
                _write_atomic(target, _watermarked(plain, output.kind))
            else:
                self._render(output, ext, target, find)
        return target

    def _render(
        self, output: OutputFile, ext: str, target: Path, find: Callable[[str], OutputFile | None]
    ) -> None:
        job: dict[str, Any] = {
            "kind": output.kind,
            "ext": ext,
            "recipe": output.render,
            "seed": seed_for(self._seed(), output.id),
            "duration": output.duration,
            "target": str(target),
            "source": None,
        }
        if output.kind == "video" and output.render.get("op") in ("extend", "add_audio"):
            source = find(output.render["source"])
            if source is None:
                raise FileNotFoundError(f"source video {output.render['source']} is gone")
            job["source"] = str(self.ensure(source, "mp4", False, find))
        if self._pool is None or not self._pool.run(job):
            render_job(job)

    def close(self) -> None:
        """Stop the render workers, if any."""
        if self._pool is not None:
            self._pool.close()


def render_job(job: dict[str, Any]) -> None:
    """Render one output file (``MediaFiles._render``'s job, here or in a worker process)."""
    from . import render

    recipe, ext, seed = job["recipe"], job["ext"], job["seed"]
    target = Path(job["target"])
    part = target.with_name(target.name + f".{os.getpid()}.{threading.get_ident()}.part")
    try:
        if job["kind"] in ("audio", "voice"):  # a custom voice's sample is an audio file
            data = render.render_audio(float(job["duration"] or 5.0), recipe.get("prompt", ""), ext, seed)
            _write_atomic(target, data)
            return
        if job["kind"] == "image":
            _write_atomic(target, _image(recipe, seed))
            return
        op = recipe.get("op")
        if op == "extend":
            render.extend_video(
                job["source"], float(recipe["add"]), recipe.get("prompt", ""), str(part), seed
            )
        elif op == "add_audio":
            render.add_audio(job["source"], str(part), None, recipe.get("prompt", ""), seed)
        else:
            render.render_video(_video_spec(recipe, seed), str(part))
        os.replace(part, target)
    finally:
        part.unlink(missing_ok=True)


def _read(path: str | None) -> bytes | None:
    return Path(path).read_bytes() if path else None


def _video_spec(recipe: dict[str, Any], seed: int) -> Any:
    from . import render

    camera = recipe.get("camera")
    return render.VideoSpec(
        width=int(recipe["width"]),
        height=int(recipe["height"]),
        fps=int(recipe["fps"]),
        duration=float(recipe["duration"]),
        prompt=recipe.get("prompt", ""),
        image=_read(recipe.get("first_frame")),
        image_tail=_read(recipe.get("last_frame")),
        camera=render.CameraMotion(camera["type"], camera.get("config")) if camera else None,
        sound=bool(recipe.get("audio")),
        seed=seed,
    )


def _image(recipe: dict[str, Any], seed: int) -> bytes:
    from . import render

    source = _read(recipe.get("source"))
    if recipe.get("op") == "expand":
        if source is None:
            # A URL input the sandbox cannot fetch: outpaint a stand-in of the right proportions.
            w = max(1, round(recipe["width"] / (1 + recipe["left"] + recipe["right"])))
            h = max(1, round(recipe["height"] / (1 + recipe["up"] + recipe["down"])))
            source = render.render_image(w, h, recipe.get("prompt", ""), seed)
        return render.expand_image(
            source,
            recipe["up"],
            recipe["down"],
            recipe["left"],
            recipe["right"],
            recipe.get("prompt", ""),
            seed,
        )
    return render.render_image(
        int(recipe["width"]),
        int(recipe["height"]),
        recipe.get("prompt", ""),
        seed,
        source,
        int(recipe.get("index", 0)),
    )


def _watermarked(plain: Path, kind: str) -> bytes:
    """The watermarked copy: images get a visible stamp; other media are copied as they are."""
    data = plain.read_bytes()
    if kind != "image":
        return data
    import io

    from PIL import Image, ImageDraw

    with Image.open(io.BytesIO(data)) as img:
        picture = img.convert("RGB")
    draw = ImageDraw.Draw(picture)
    margin = max(4, picture.width // 100)
    draw.text((margin, picture.height - margin * 4), WATERMARK_TEXT, fill=(255, 255, 255))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def _write_atomic(path: Path, data: bytes) -> None:
    part = path.with_name(path.name + f".{os.getpid()}.{threading.get_ident()}.part")
    part.write_bytes(data)
    os.replace(part, path)
