"""MP4 writing for the sandbox renderer: H.264 video plus an optional interleaved AAC track."""

from __future__ import annotations

import contextlib
import os
from fractions import Fraction
from types import TracebackType

import av

from ._render_audio import AudioPump, Samples
from ._render_planes import BT709, RANGE_LIMITED

# ultrafast keeps a 720p frame at ~3 ms on one core; crf 23 is x264's default quality. One encoder thread
# keeps concurrent sandbox jobs from fighting over cores (and frame threads would add latency anyway).
X264_OPTIONS = {"preset": "ultrafast", "crf": "23"}
ENCODER_THREADS = 1
AAC_BITRATE = 128_000
# Keep audio this far ahead of the video in the mux so packets interleave in ~1 s runs.
_AUDIO_LEAD_S = 0.5


class VideoWriter:
    """Streams frames into an MP4 at `path`, written to a temporary name and renamed on success.

    The atomic rename means a server never hands out a half-written file, and a failed render leaves
    nothing behind.
    """

    def __init__(self, path: str, width: int, height: int, fps: int, audio: Samples | None = None) -> None:
        if width <= 0 or height <= 0 or width % 2 or height % 2:
            raise ValueError(f"width and height must be positive even numbers, got {width}x{height}")
        if fps <= 0:
            raise ValueError(f"fps must be positive, got {fps}")
        self.path = path
        self.fps = fps
        self.frames = 0
        self._tmp = f"{path}.part"
        # faststart moves the index to the front so browsers can start playing before the download ends.
        self._container = av.open(self._tmp, mode="w", format="mp4", options={"movflags": "+faststart"})
        stream = self._container.add_stream("libx264", rate=fps, options=dict(X264_OPTIONS))
        stream.width = width
        stream.height = height
        stream.pix_fmt = "yuv420p"
        ctx = stream.codec_context
        ctx.time_base = Fraction(1, fps)
        ctx.thread_count = ENCODER_THREADS
        ctx.colorspace = BT709
        ctx.color_primaries = BT709
        ctx.color_trc = BT709
        ctx.color_range = RANGE_LIMITED
        self._video = stream
        self._audio = AudioPump(self._container, audio, "aac", AAC_BITRATE) if audio is not None else None

    def write(self, frame: av.VideoFrame) -> None:
        """Append one frame (any pixel format; converted to yuv420p by the encoder if needed)."""
        frame.pts = self.frames
        frame.time_base = Fraction(1, self.fps)
        # Decoded frames carry their old picture type; NONE lets x264 choose instead of forcing I/P.
        frame.pict_type = av.video.frame.PictureType.NONE
        self._container.mux(self._video.encode(frame))
        self.frames += 1
        if self._audio is not None:
            self._audio.pump(self.frames / self.fps + _AUDIO_LEAD_S)

    def close(self) -> None:
        """Flush encoders, finalise the file and move it into place."""
        self._container.mux(self._video.encode(None))
        if self._audio is not None:
            self._audio.finish()
        self._container.close()
        os.replace(self._tmp, self.path)

    def abort(self) -> None:
        """Drop the partial output."""
        with contextlib.suppress(av.FFmpegError):
            self._container.close()
        if os.path.exists(self._tmp):
            os.remove(self._tmp)

    def __enter__(self) -> VideoWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()
