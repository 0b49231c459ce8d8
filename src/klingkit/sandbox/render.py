"""Real, playable media for the local Kling sandbox server.

Everything here produces genuine files (H.264/AAC MP4, PNG, MP3/WAV) that any player or decoder opens,
with content derived deterministically from the request (prompt, seed, input images, camera control)
so a developer can see that their parameters arrived. Nothing is "generated" in the AI sense.

Video frames are composed in YUV 4:2:0 from a scene canvas prepared once per clip and streamed to
libx264 (preset ultrafast, one thread) frame by frame, so memory stays bounded even for 4K clips.

Camera conventions (screen coordinates: +x right, +y down; "content" = what the picture shows)
-----------------------------------------------------------------------------------------------
Every move eases in and out (smoothstep) from the first frame (t = 0, no change) to the last
(t = 1, full effect). For ``type="simple"`` the effect scales linearly with value/10 (values are
clamped to [-10, 10]; several non-zero axes are added together):

* ``horizontal`` > 0: camera moves right, so content slides LEFT by up to 20% of the frame width.
* ``vertical`` > 0: camera moves up, so content slides DOWN by up to 20% of the frame height.
* ``pan`` > 0: camera yaws right: content slides LEFT by up to 20% of the width and is magnified up
  to 1.06x (a stand-in for perspective).
* ``tilt`` > 0: camera pitches up: content slides DOWN by up to 20% of the height, magnified up to 1.06x.
* ``roll`` > 0: content rotates CLOCKWISE on screen by up to 25 degrees (as if the camera rolled
  counter-clockwise).
* ``zoom`` > 0: zoom IN: content grows about the centre, up to 1.5x; < 0 zooms out (the view widens
  to 1.5x the frame, content shrinks to 1/1.5).

Presets:

* ``down_back``: content slides UP by 15% of the height while zooming OUT to 1/1.35.
* ``forward_up``: content slides DOWN by 15% of the height while zooming IN to 1.35x.
* ``right_turn_forward``: content slides LEFT by 20% of the width while zooming IN to 1.3x.
* ``left_turn_forward``: content slides RIGHT by 20% of the width while zooming IN to 1.3x.

Whatever a move would reveal beyond the original picture is filled with a mirror image of it.
Without a camera, image-to-video slowly pushes in (1.08x over the clip) and text-to-video keeps the
background still while shapes drift across it.

Content
-------
* Text-to-video: seeded gradient sky with glows and stars, 5-7 seeded shapes on smooth looping paths,
  and the prompt as a subtitle card (bold white text, ~6.5% of the short side high, up to 3 lines on
  landscape / 4 on portrait, ellipsis beyond). The card stays fixed while the camera moves the scene.
* Image-to-video: frame 0 is the start image cover-fitted (scaled to fill, centre-cropped) to the output
  size; with ``image_tail`` the clip cross-fades (smoothstep) so the last frame is the tail image, also
  cover-fitted. The prompt is not drawn over images, so the first/last frames stay faithful.
* Sound: a seeded ambient chord (AAC, 44.1 kHz stereo, 128 kb/s).
"""

from __future__ import annotations

import io
import math
import os
from dataclasses import dataclass
from typing import Any

import av
import numpy as np

from ._render_audio import (
    AudioPump,
    ambient,
    decode_audio,
    encode_audio_file,
    fit_length,
    sample_count,
    speech_like,
)
from ._render_camera import CameraPath, Move, ease, move_for
from ._render_encode import AAC_BITRATE, VideoWriter
from ._render_image import expand_image, render_image
from ._render_planes import Planes, Sprite
from ._render_scene import (
    background,
    cover_fit,
    load_image,
    make_shapes,
    rng_for,
)
from ._render_text import caption_card

__all__ = [
    "CameraMotion",
    "VideoSpec",
    "add_audio",
    "expand_image",
    "extend_video",
    "probe",
    "render_audio",
    "render_image",
    "render_video",
]

# Default motion for image-to-video without camera control: a gentle push-in.
_IMAGE_DRIFT = Move(log_zoom=math.log(1.08))
# Extensions fade their caption in over this long (seconds).
_CAPTION_FADE_S = 0.5


@dataclass(frozen=True)
class CameraMotion:
    """Kling camera control.

    type: "simple", "down_back", "forward_up", "right_turn_forward" or "left_turn_forward".
    config: for "simple", values in [-10, 10] for any of horizontal, vertical, pan, tilt, roll, zoom
    (missing keys mean 0). See the module docstring for the direction each sign produces.
    """

    type: str
    config: dict[str, float] | None = None


@dataclass(frozen=True)
class VideoSpec:
    """What render_video draws.

    width, height: output size in pixels (positive, even). fps: frames per second.
    duration: seconds; the clip has exactly round(duration * fps) frames.
    prompt: drawn as a subtitle in text-to-video. image / image_tail: PNG/JPEG bytes of the first /
    last frame (image-to-video). camera: optional camera move. sound: add an AAC track.
    seed: picks scene colours, shapes and their motion.
    """

    width: int
    height: int
    fps: int
    duration: float
    prompt: str = ""
    image: bytes | None = None
    image_tail: bytes | None = None
    camera: CameraMotion | None = None
    sound: bool = False
    seed: int = 0


def render_video(spec: VideoSpec, out_path: str) -> None:
    """Write an H.264 (yuv420p, BT.709) MP4 for `spec` to `out_path`.

    The file has exactly round(duration * fps) frames at width x height and fps (at least one frame),
    plus a stereo 44.1 kHz AAC track of the same duration when spec.sound is set. The file appears
    atomically (written as ``out_path + ".part"`` and renamed). Raises ValueError for invalid specs or
    undecodable images.
    """
    if spec.duration <= 0 or not math.isfinite(spec.duration):
        raise ValueError(f"duration must be a positive number of seconds, got {spec.duration}")
    w, h, fps = spec.width, spec.height, spec.fps
    n = max(1, round(spec.duration * fps))
    if spec.camera is not None:
        move = move_for(spec.camera.type, spec.camera.config)
    elif spec.image is not None:
        move = _IMAGE_DRIFT
    else:
        move = Move()
    path = CameraPath(move, w, h)
    left, top, right, bottom = path.margin

    shapes = []
    caption: tuple[Sprite, int, int] | None = None
    tail: Planes | None = None
    if spec.image is not None:
        canvas = Planes.from_rgb(cover_fit(load_image(spec.image), w, h)).mirror_pad(left, top, right, bottom)
        if spec.image_tail is not None:
            tail = Planes.from_rgb(cover_fit(load_image(spec.image_tail), w, h))
    else:
        rng = rng_for("video", spec.seed, spec.prompt)
        canvas = Planes.from_rgb(background((w + left + right, h + top + bottom), (left, top), (w, h), rng))
        shapes = make_shapes(w, h, rng)
        card = caption_card(spec.prompt, w, h)
        if card is not None:
            caption = (Sprite.from_rgba(card[0]), card[1], card[2])

    audio = ambient(n / fps, spec.seed, spec.prompt) if spec.sound else None
    with VideoWriter(out_path, w, h, fps, audio) as writer:
        for i in range(n):
            t = i / (n - 1) if n > 1 else 0.0
            scene = canvas
            if shapes:
                # Shapes live in the scene (the camera moves them too), so they go on a copy of the canvas.
                scene = canvas.copy()
                for shape in shapes:
                    x, y = shape.top_left(i / fps)
                    scene.paste(shape.sprite, x + left, y + top)
            frame = scene if move.is_still else path.render(scene, t)
            if tail is not None:
                frame = frame.blend(tail, ease(t))
            if caption is not None:
                if frame is canvas:
                    frame = frame.copy()
                frame.paste(*caption)
            writer.write(frame.to_frame())


def _video_stream(container: av.container.InputContainer) -> av.VideoStream:
    if not container.streams.video:
        raise ValueError("input has no video stream")
    return container.streams.video[0]


def _fps(stream: av.VideoStream) -> int:
    rate = stream.average_rate or stream.guessed_rate or stream.base_rate
    return max(1, round(float(rate))) if rate else 24


def _frame_count(container: av.container.InputContainer, stream: av.VideoStream) -> int:
    """Frames in the stream: the container's count if it has one, else by counting packets."""
    if stream.frames:
        return int(stream.frames)
    count = sum(1 for packet in container.demux(stream) if packet.size)
    container.seek(0)
    return count


def extend_video(parent_path: str, seconds: float, prompt: str, out_path: str, seed: int = 0) -> None:
    """Write the parent clip followed by round(seconds * fps) new frames, same size and fps.

    The new frames continue from the parent's last frame with a slow seeded drift (push-in plus a small
    sideways move) and the prompt fading in as a caption near the top. If the parent has audio it is kept and
    continued with a quiet ambient chord to the new length; otherwise the output has no audio.
    """
    if seconds <= 0 or not math.isfinite(seconds):
        raise ValueError(f"seconds must be positive, got {seconds}")
    parent_audio = decode_audio(parent_path)
    with av.open(parent_path) as src:
        stream = _video_stream(src)
        fps = _fps(stream)
        width = stream.codec_context.width - stream.codec_context.width % 2
        height = stream.codec_context.height - stream.codec_context.height % 2
        parent_frames = _frame_count(src, stream)
        new_frames = max(1, round(seconds * fps))
        audio = None
        if parent_audio is not None:
            kept = fit_length(parent_audio, sample_count(parent_frames / fps))
            tail = ambient(new_frames / fps, "extend", seed, prompt, level=0.25)
            audio = np.concatenate([kept, tail], axis=-1)
        with VideoWriter(out_path, width, height, fps, audio) as writer:
            last: av.VideoFrame | None = None
            for frame in src.decode(stream):
                writer.write(frame)
                last = frame
            if last is None:
                raise ValueError("parent video has no decodable frames")
            canvas = Planes.from_frame(last)
            if (canvas.width, canvas.height) != (width, height):
                canvas = Planes.from_rgb(canvas.to_rgb().resize((width, height)))
            rng = rng_for("extend", seed, prompt)
            drift = Move(
                dx=float(rng.uniform(-0.03, 0.03)), dy=float(rng.uniform(-0.02, 0.02)), log_zoom=math.log(1.1)
            )
            path = CameraPath(drift, width, height)
            canvas = canvas.mirror_pad(*path.margin)
            # At the top, so it does not sit on the parent's own subtitle (which keeps drifting below).
            card = caption_card(prompt, width, height, at_top=True)
            caption = (Sprite.from_rgba(card[0]), card[1], card[2]) if card is not None else None
            for j in range(new_frames):
                # Start one step in: t = 0 would repeat the parent's last frame.
                out = path.render(canvas, (j + 1) / new_frames)
                if caption is not None:
                    out.paste(*caption, opacity=min(1.0, (j + 1) / (_CAPTION_FADE_S * fps)))
                writer.write(out.to_frame())


def add_audio(
    video_path: str, out_path: str, audio: bytes | None = None, text: str = "", seed: int = 0
) -> None:
    """Re-mux `video_path` with a new AAC track (44.1 kHz stereo) into `out_path`.

    Video packets are copied untouched (same frames, same quality). The track is `audio` (MP3/WAV/M4A or
    anything FFmpeg decodes) trimmed or silence-padded to the video's duration, or, without `audio`,
    speech-like syllables following `text` (voiced vowel tones at a talking rate). Any audio track the
    input already had is replaced. Raises ValueError if `audio` cannot be decoded.
    """
    with av.open(video_path) as src:
        stream = _video_stream(src)
        duration = _frame_count(src, stream) / _fps(stream)
        if audio is not None:
            decoded = decode_audio(audio)
            if decoded is None:
                raise ValueError("audio bytes contain no audio stream")
            samples = decoded
        else:
            samples = speech_like(duration, text, seed)
        samples = fit_length(samples, sample_count(duration))
        tmp = f"{out_path}.part"
        try:
            with av.open(tmp, mode="w", format="mp4", options={"movflags": "+faststart"}) as dst:
                out_video = dst.add_stream_from_template(stream)
                pump = AudioPump(dst, samples, "aac", AAC_BITRATE)
                for packet in src.demux(stream):
                    if packet.dts is None:  # demuxer flush marker, carries no data
                        continue
                    if packet.pts is not None and packet.time_base is not None:
                        pump.pump(float(packet.pts * packet.time_base) + 0.5)
                    packet.stream = out_video
                    dst.mux(packet)
                pump.finish()
            os.replace(tmp, out_path)
        except BaseException:
            if os.path.exists(tmp):
                os.remove(tmp)
            raise


def render_audio(duration: float, prompt: str = "", fmt: str = "mp3", seed: int = 0) -> bytes:
    """MP3 (libmp3lame, 192 kb/s) or WAV (16-bit PCM) bytes, 44.1 kHz stereo, `duration` seconds long.

    The content is a seeded ambient chord with an arpeggio and soft noise, chosen from prompt and seed.
    """
    if fmt not in ("mp3", "wav"):
        raise ValueError(f"unsupported audio format {fmt!r}; expected 'mp3' or 'wav'")
    if duration <= 0 or not math.isfinite(duration):
        raise ValueError(f"duration must be a positive number of seconds, got {duration}")
    return encode_audio_file(ambient(duration, seed, prompt), fmt)


def probe(path_or_bytes: str | os.PathLike[str] | bytes) -> dict[str, Any]:
    """Describe a media file: width, height (px), fps, duration (s), frames, has_audio.

    For files without video, width/height/fps/frames are 0 and duration is the container's.
    ``audio_duration`` (s, or None) is included as well.
    """
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else os.fspath(path_or_bytes)
    with av.open(source) as container:
        info: dict[str, Any] = {"width": 0, "height": 0, "fps": 0.0, "duration": 0.0, "frames": 0}
        if container.duration is not None:
            info["duration"] = container.duration / av.time_base
        if container.streams.video:
            stream = container.streams.video[0]
            rate = stream.average_rate or stream.guessed_rate
            info["width"] = stream.codec_context.width
            info["height"] = stream.codec_context.height
            info["fps"] = float(rate) if rate else 0.0
            info["frames"] = _frame_count(container, stream)
            if stream.duration is not None and stream.time_base is not None:
                info["duration"] = float(stream.duration * stream.time_base)
        audio = container.streams.audio[0] if container.streams.audio else None
        info["has_audio"] = audio is not None
        info["audio_duration"] = (
            float(audio.duration * audio.time_base)
            if audio is not None and audio.duration is not None and audio.time_base is not None
            else None
        )
        return info
