"""Small real media files the tests hand to klingkit, and how a test reads back what it saved.

One copy for every test folder (``from ..media_files import wav``): a silent WAV of a given length, an
H.264 MP4 whose frames change (so encoders keep every one), and the streams and length of a saved file,
read with PyAV as a user's player would.
"""

from __future__ import annotations

import wave
from pathlib import Path


def wav(path: Path, seconds: float, rate: int = 16000) -> Path:
    """A silent mono 16-bit WAV of ``seconds`` at ``path``."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"\0\0" * int(rate * seconds))
    return path


def mp4(path: Path, seconds: int, width: int = 320, height: int = 240, fps: int = 24) -> Path:
    """An H.264 MP4 of ``seconds`` whose frames brighten one step each, without sound."""
    import av
    import numpy as np

    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        for i in range(seconds * fps):
            frame = av.VideoFrame.from_ndarray(np.full((height, width, 3), i % 255, np.uint8), format="rgb24")
            out.mux(stream.encode(frame))
        out.mux(stream.encode())
    return path


def streams_and_length(path: Path) -> tuple[set[str], float]:
    """The kinds of streams in a saved file ({"video", "audio"}) and its length in seconds."""
    import av

    with av.open(str(path)) as container:
        return {s.type for s in container.streams}, float(container.duration or 0) / 1e6
