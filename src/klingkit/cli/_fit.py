"""``-r 9:16`` on image-to-video: Kling makes the clip in the start frame's shape, so the frame is fitted
to the asked ratio before it is sent (``--fit crop``, the default, or ``pad``; ``keep`` sends it as is).

The fitted copy keeps the original's resolution on its short side and is written to a private temporary
folder that is removed when the command ends.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

FIT_CHOICES = ("crop", "pad", "keep")
_TMP: list[Path] = []


def _tempdir() -> Path:
    if not _TMP:
        path = Path(tempfile.mkdtemp(prefix="klingkit-fit-"))
        _TMP.append(path)
        atexit.register(shutil.rmtree, path, True)
    return _TMP[0]


def _ratio(text: str) -> float:
    w, h = (float(p) for p in text.split(":"))
    return w / h


def fit_image(path: str, ratio: str, how: str) -> tuple[str, str | None]:
    """``path`` fitted to ``ratio`` by ``how``; returns the path to send and what was done (or None)."""
    from PIL import Image, ImageOps

    with Image.open(path) as opened:
        img = ImageOps.exif_transpose(opened)
        fmt = (opened.format or "PNG").upper()
        width, height = img.size
        target = _ratio(ratio)
        if abs(width / height - target) / target < 0.01:
            return path, None
        name = Path(path).name
        if how == "keep":
            return path, (
                f"{name} is {width}x{height}, not {ratio}: sent as is (--fit keep), so the clip follows "
                "the image's shape"
            )
        if how == "crop":
            if width / height > target:
                w, h = round(height * target), height
            else:
                w, h = width, round(width / target)
            left, top = (width - w) // 2, (height - h) // 2
            out = img.crop((left, top, left + w, top + h))
            short = min(width, height)
            if min(w, h) < short:  # keep the original's resolution on the short side
                scale = short / min(w, h)
                out = out.resize((round(w * scale), round(h * scale)), Image.Resampling.LANCZOS)
            done = f"cropped {name} ({width}x{height}) to {ratio}, centred: {out.width}x{out.height}"
        else:
            if width / height > target:
                w, h = width, round(width / target)
            else:
                w, h = round(height * target), height
            out = Image.new("RGB", (w, h))
            out.paste(img.convert("RGB"), ((w - width) // 2, (h - height) // 2))
            done = f"padded {name} ({width}x{height}) to {ratio} with black bars: {w}x{h}"
        ext = "jpg" if fmt == "JPEG" else "png"
        dest = _tempdir() / f"{Path(path).stem}-{ratio.replace(':', 'x')}.{ext}"
        if ext == "jpg":
            out.convert("RGB").save(dest, "JPEG", quality=95)
        else:
            out.save(dest, "PNG")
        return str(dest), done + " (--fit pad|crop|keep)"
