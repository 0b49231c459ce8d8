"""Tests for the sandbox media renderer; every output is opened with a real decoder (PyAV / Pillow)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image, ImageDraw

from klingkit.sandbox.render import (
    CameraMotion,
    VideoSpec,
    add_audio,
    expand_image,
    extend_video,
    probe,
    render_audio,
    render_image,
    render_video,
)

W, H = 320, 180


# ---------------------------------------------------------------------------------------------- helpers


def video_info(path: Path) -> dict[str, object]:
    """Size, fps, frame count (by decoding), durations and audio presence, straight from PyAV."""
    with av.open(str(path)) as c:
        vs = c.streams.video[0]
        frames = sum(1 for _ in c.decode(vs))
        info: dict[str, object] = {
            "width": vs.codec_context.width,
            "height": vs.codec_context.height,
            "fps": float(vs.average_rate),
            "codec": vs.codec_context.name,
            "pix_fmt": vs.codec_context.pix_fmt,
            "frames": frames,
            "duration": float(vs.duration * vs.time_base),
            "audio": None,
        }
    with av.open(str(path)) as c:
        if c.streams.audio:
            a = c.streams.audio[0]
            samples = sum(f.samples for f in c.decode(a))
            info["audio"] = {"codec": a.codec_context.name, "rate": a.rate, "seconds": samples / a.rate}
    return info


def frames_at(path: Path, indices: Iterable[int]) -> dict[int, np.ndarray]:
    """Decoded RGB frames (as int16 arrays, for easy differences) at the given indices."""
    wanted = set(indices)
    out: dict[int, np.ndarray] = {}
    with av.open(str(path)) as c:
        for i, frame in enumerate(c.decode(video=0)):
            if i in wanted:
                out[i] = frame.to_ndarray(format="rgb24").astype(np.int16)
    return out


def first_last(path: Path) -> tuple[np.ndarray, np.ndarray]:
    with av.open(str(path)) as c:
        frames = [f.to_ndarray(format="rgb24").astype(np.int16) for f in c.decode(video=0)]
    return frames[0], frames[-1]


def png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def marker_image(cx: float, cy: float, w: int = W, h: int = H, radius: int = 10) -> Image.Image:
    """Grey checkerboard with one red disc centred at (cx, cy) pixels: easy to find and measure."""
    yy, xx = np.mgrid[0:h, 0:w]
    board = np.where(((xx // 20) + (yy // 20)) % 2 == 0, 90, 140).astype(np.uint8)
    image = Image.fromarray(np.stack([board] * 3, axis=-1), "RGB")
    ImageDraw.Draw(image).ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=(230, 20, 20))
    return image


def marker(frame: np.ndarray) -> tuple[float, float, int]:
    """(x, y, area in px) of the red disc in an RGB frame."""
    r, g, b = frame[..., 0], frame[..., 1], frame[..., 2]
    mask = (r > 150) & (g < 90) & (b < 90)
    ys, xs = np.nonzero(mask)
    assert len(xs) > 10, "marker not found"
    return float(xs.mean()), float(ys.mean()), int(mask.sum())


def camera_clip(tmp_path: Path, camera: CameraMotion, cx: float = W / 2, cy: float = H / 2) -> tuple:
    path = tmp_path / "cam.mp4"
    spec = VideoSpec(W, H, 24, 1.0, image=png(marker_image(cx, cy)), camera=camera)
    render_video(spec, str(path))
    first, last = first_last(path)
    return marker(first), marker(last)


# ------------------------------------------------------------------------------------------ text->video


def test_text_to_video_720p_exact_format(tmp_path: Path) -> None:
    path = tmp_path / "t2v.mp4"
    render_video(VideoSpec(1280, 720, 24, 5.0, prompt="a fox in the snow", seed=7), str(path))
    info = video_info(path)
    assert (info["width"], info["height"]) == (1280, 720)
    assert info["codec"] == "h264"
    assert info["pix_fmt"] == "yuv420p"
    assert info["fps"] == 24
    assert info["frames"] == 120
    assert abs(info["duration"] - 5.0) <= 1 / 24
    assert info["audio"] is None
    # Something actually moves.
    frames = frames_at(path, [0, 60])
    assert np.abs(frames[0] - frames[60]).mean() > 1.0


def test_text_to_video_with_sound(tmp_path: Path) -> None:
    path = tmp_path / "t2v_sound.mp4"
    render_video(VideoSpec(W, H, 30, 3.0, prompt="rain", sound=True), str(path))
    info = video_info(path)
    assert info["frames"] == 90
    audio = info["audio"]
    assert isinstance(audio, dict)
    assert audio["codec"] == "aac"
    assert audio["rate"] in (44100, 48000)
    assert abs(audio["seconds"] - 3.0) < 0.1
    meta = probe(path)
    assert meta["has_audio"] is True and meta["frames"] == 90


@pytest.mark.parametrize(("width", "height"), [(180, 320), (240, 240)])
def test_other_aspect_ratios(tmp_path: Path, width: int, height: int) -> None:
    path = tmp_path / "aspect.mp4"
    render_video(VideoSpec(width, height, 24, 1.0, prompt="portrait of a dancer"), str(path))
    info = video_info(path)
    assert (info["width"], info["height"], info["frames"]) == (width, height, 24)


def test_prompt_is_drawn_as_caption(tmp_path: Path) -> None:
    with_text, without = tmp_path / "a.mp4", tmp_path / "b.mp4"
    render_video(VideoSpec(640, 360, 24, 0.5, prompt="HELLO WORLD CAPTION", seed=3), str(with_text))
    render_video(VideoSpec(640, 360, 24, 0.5, prompt="", seed=3), str(without))
    a, b = frames_at(with_text, [0])[0], frames_at(without, [0])[0]
    # The caption band (lower part of the frame) differs and has bright white glyph pixels.
    band = slice(int(360 * 0.6), 360)
    assert np.abs(a[band] - b[band]).mean() > 5
    assert (a[band].min(axis=-1) > 235).sum() > 200
    # Long prompts are wrapped into the frame, not cut off at the sides.
    long_path = tmp_path / "long.mp4"
    render_video(VideoSpec(640, 360, 24, 0.5, prompt="word " * 200), str(long_path))
    assert video_info(long_path)["frames"] == 12


def test_seed_changes_the_scene(tmp_path: Path) -> None:
    a, b = tmp_path / "a.mp4", tmp_path / "b.mp4"
    render_video(VideoSpec(W, H, 24, 0.5, prompt="x", seed=1), str(a))
    render_video(VideoSpec(W, H, 24, 0.5, prompt="x", seed=2), str(b))
    assert np.abs(frames_at(a, [0])[0] - frames_at(b, [0])[0]).mean() > 10


# ----------------------------------------------------------------------------------------- image->video


def gradient_image(w: int, h: int, flip: bool = False) -> Image.Image:
    yy, xx = np.mgrid[0:h, 0:w]
    r = (xx * 255 // max(1, w - 1)).astype(np.uint8)
    g = (yy * 255 // max(1, h - 1)).astype(np.uint8)
    b = np.full_like(r, 200 if flip else 40)
    arr = np.stack([r, g, b], axis=-1)
    return Image.fromarray(arr[::-1, ::-1] if flip else arr, "RGB")


def test_image_to_video_starts_on_image_and_ends_on_tail(tmp_path: Path) -> None:
    start = gradient_image(640, 360)
    tail = gradient_image(640, 360, flip=True)
    path = tmp_path / "i2v.mp4"
    render_video(VideoSpec(W, H, 24, 2.0, image=png(start), image_tail=png(tail)), str(path))
    first, last = first_last(path)
    start_small = np.asarray(start.resize((W, H))).astype(np.int16)
    tail_small = np.asarray(tail.resize((W, H))).astype(np.int16)
    assert np.abs(first - start_small).mean() < 6
    assert np.abs(last - tail_small).mean() < 6
    assert np.abs(first - tail_small).mean() > 40  # the two really are different pictures


def test_image_is_cover_fitted(tmp_path: Path) -> None:
    # A 4:3 input into a 16:9 frame: scaled to the full width, top and bottom cropped equally.
    source = gradient_image(400, 300)
    path = tmp_path / "cover.mp4"
    render_video(VideoSpec(W, H, 24, 0.5, image=png(source)), str(path))
    first = frames_at(path, [0])[0]
    scale = W / 400
    crop_h = H / scale
    top = (300 - crop_h) / 2
    expected = np.asarray(source.resize((W, H), box=(0, top, 400, top + crop_h))).astype(np.int16)
    assert np.abs(first - expected).mean() < 6


def test_image_to_video_moves_without_camera(tmp_path: Path) -> None:
    (_, _, a0), (_, _, a1) = camera_clip_default(tmp_path)
    assert a1 > a0 * 1.05  # the default push-in


def camera_clip_default(tmp_path: Path) -> tuple:
    path = tmp_path / "default.mp4"
    render_video(VideoSpec(W, H, 24, 1.0, image=png(marker_image(W / 2, H / 2))), str(path))
    first, last = first_last(path)
    return marker(first), marker(last)


# ----------------------------------------------------------------------------------------------- camera


def test_zoom_in_grows_centre_and_pushes_content_outward(tmp_path: Path) -> None:
    (x0, y0, a0), (x1, y1, a1) = camera_clip(tmp_path, CameraMotion("simple", {"zoom": 10}), cx=W * 0.7)
    assert a1 / a0 > 1.8  # ~1.5x linear => ~2.25x area
    assert x1 - W / 2 > (x0 - W / 2) * 1.3  # moved away from the centre
    assert abs(y1 - y0) < 2


def test_zoom_out_shrinks(tmp_path: Path) -> None:
    (x0, _, a0), (x1, _, a1) = camera_clip(tmp_path, CameraMotion("simple", {"zoom": -10}), cx=W * 0.7)
    assert a1 / a0 < 0.6
    assert x1 - W / 2 < (x0 - W / 2) * 0.8


def test_zoom_magnitude_scales_with_value(tmp_path: Path) -> None:
    (_, _, a0), (_, _, a_full) = camera_clip(tmp_path, CameraMotion("simple", {"zoom": 10}))
    (_, _, b0), (_, _, a_half) = camera_clip(tmp_path, CameraMotion("simple", {"zoom": 4}))
    assert a_full / a0 > a_half / b0 > 1.1


@pytest.mark.parametrize(
    ("axis", "value", "dx_sign", "dy_sign"),
    [
        ("horizontal", 10, -1, 0),  # camera right => content left
        ("horizontal", -10, 1, 0),
        ("pan", 10, -1, 0),
        ("vertical", 10, 0, 1),  # camera up => content down
        ("vertical", -10, 0, -1),
        ("tilt", 10, 0, 1),
    ],
)
def test_translations(tmp_path: Path, axis: str, value: int, dx_sign: int, dy_sign: int) -> None:
    (x0, y0, _), (x1, y1, _) = camera_clip(tmp_path, CameraMotion("simple", {axis: value}))
    dx, dy = x1 - x0, y1 - y0
    for delta, sign, extent in ((dx, dx_sign, W), (dy, dy_sign, H)):
        if sign:
            assert delta * sign > 0.15 * extent  # 20% at full strength
        else:
            assert abs(delta) < 2


def test_roll_rotates_clockwise(tmp_path: Path) -> None:
    # A marker right of the centre travels down when the content turns clockwise (y grows downward).
    (x0, y0, _), (x1, y1, _) = camera_clip(tmp_path, CameraMotion("simple", {"roll": 10}), cx=W * 0.75)
    assert y1 - y0 > 15
    assert x1 < x0
    radius0 = np.hypot(x0 - W / 2, y0 - H / 2)
    radius1 = np.hypot(x1 - W / 2, y1 - H / 2)
    assert abs(radius1 - radius0) < 3  # a rotation, not a shift
    (_, y0n, _), (_, y1n, _) = camera_clip(tmp_path, CameraMotion("simple", {"roll": -10}), cx=W * 0.75)
    assert y1n - y0n < -15


@pytest.mark.parametrize(
    ("preset", "zoom_in", "dx_sign", "dy_sign"),
    [
        ("down_back", False, 0, -1),
        ("forward_up", True, 0, 1),
        ("right_turn_forward", True, -1, 0),
        ("left_turn_forward", True, 1, 0),
    ],
)
def test_presets(tmp_path: Path, preset: str, zoom_in: bool, dx_sign: int, dy_sign: int) -> None:
    (x0, y0, a0), (x1, y1, a1) = camera_clip(tmp_path, CameraMotion(preset))
    assert a1 / a0 > 1.3 if zoom_in else a1 / a0 < 0.75
    if dx_sign:
        assert (x1 - x0) * dx_sign > 0.1 * W
    if dy_sign:
        assert (y1 - y0) * dy_sign > 0.05 * H


def test_camera_on_text_to_video_and_bad_camera(tmp_path: Path) -> None:
    path = tmp_path / "t2v_cam.mp4"
    spec = VideoSpec(W, H, 24, 1.0, prompt="orbit", camera=CameraMotion("simple", {"roll": 5}), sound=True)
    render_video(spec, str(path))
    assert video_info(path)["frames"] == 24
    with pytest.raises(ValueError):
        render_video(VideoSpec(W, H, 24, 1.0, camera=CameraMotion("spin")), str(tmp_path / "bad.mp4"))
    assert not (tmp_path / "bad.mp4").exists()


# ----------------------------------------------------------------------------------- extend / add_audio


def test_extend_video(tmp_path: Path) -> None:
    parent, child = tmp_path / "parent.mp4", tmp_path / "child.mp4"
    render_video(VideoSpec(W, H, 24, 2.0, prompt="start", sound=True), str(parent))
    extend_video(str(parent), 4.5, "and then it continues", str(child), seed=5)
    info = video_info(child)
    assert (info["width"], info["height"], info["fps"]) == (W, H, 24)
    assert info["frames"] == 48 + 108
    assert abs(info["duration"] - 6.5) <= 1 / 24
    audio = info["audio"]
    assert isinstance(audio, dict) and abs(audio["seconds"] - 6.5) < 0.1
    # The extension continues from the parent's last frame.
    _, parent_last = first_last(parent)
    child_frames = frames_at(child, [47, 48])
    assert np.abs(child_frames[47] - parent_last).mean() < 3
    assert np.abs(child_frames[48] - parent_last).mean() < 20


def test_extend_silent_parent_stays_silent(tmp_path: Path) -> None:
    parent, child = tmp_path / "parent.mp4", tmp_path / "child.mp4"
    render_video(VideoSpec(W, H, 30, 1.0, prompt="quiet"), str(parent))
    extend_video(str(parent), 4.0, "more", str(child))
    info = video_info(child)
    assert info["frames"] == 150 and info["audio"] is None


def test_add_audio_synthesized_speech(tmp_path: Path) -> None:
    src, out = tmp_path / "in.mp4", tmp_path / "lip.mp4"
    render_video(VideoSpec(W, H, 24, 2.0, prompt="talking head"), str(src))
    add_audio(str(src), str(out), text="Hello there! How are you today?")
    info = video_info(out)
    assert info["frames"] == 48
    audio = info["audio"]
    assert isinstance(audio, dict) and abs(audio["seconds"] - 2.0) < 0.1
    # Video packets are copied: identical decoded frames.
    a, b = frames_at(src, [0, 47]), frames_at(out, [0, 47])
    assert all(np.array_equal(a[i], b[i]) for i in (0, 47))
    # And the track is not silence.
    with av.open(str(out)) as c:
        pcm = np.concatenate([f.to_ndarray().ravel() for f in c.decode(audio=0)])
    assert np.abs(pcm).max() > 0.1


@pytest.mark.parametrize("fmt", ["mp3", "wav"])
def test_add_audio_from_bytes_trims_and_pads(tmp_path: Path, fmt: str) -> None:
    src, out = tmp_path / "in.mp4", tmp_path / "dub.mp4"
    render_video(VideoSpec(W, H, 24, 2.0), str(src))
    for seconds in (5.0, 0.5):  # longer than the video => trimmed, shorter => padded
        add_audio(str(src), str(out), audio=render_audio(seconds, "music", fmt=fmt))
        info = video_info(out)
        audio = info["audio"]
        assert info["frames"] == 48
        assert isinstance(audio, dict) and abs(audio["seconds"] - 2.0) < 0.1


def test_add_audio_rejects_garbage(tmp_path: Path) -> None:
    src = tmp_path / "in.mp4"
    render_video(VideoSpec(W, H, 24, 0.5), str(src))
    with pytest.raises(ValueError):
        add_audio(str(src), str(tmp_path / "out.mp4"), audio=b"definitely not audio")


# ----------------------------------------------------------------------------------------------- images


def open_png(data: bytes) -> Image.Image:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.mark.parametrize(("width", "height"), [(1024, 1024), (1365, 768), (577, 1023)])
def test_render_image_size(width: int, height: int) -> None:
    image = open_png(render_image(width, height, "a lighthouse at dusk", seed=1))
    assert image.size == (width, height)


def test_render_image_varies_with_index_seed_and_reference() -> None:
    base = np.asarray(open_png(render_image(320, 240, "cat", seed=1, index=0)).convert("RGB"), np.int16)
    other_index = np.asarray(
        open_png(render_image(320, 240, "cat", seed=1, index=1)).convert("RGB"), np.int16
    )
    same = np.asarray(open_png(render_image(320, 240, "cat", seed=1, index=0)).convert("RGB"), np.int16)
    assert np.array_equal(base, same)  # deterministic
    assert np.abs(base - other_index).mean() > 5

    reference = gradient_image(640, 480)
    styled = np.asarray(
        open_png(render_image(320, 240, "", reference=png(reference))).convert("RGB"), np.int16
    )
    ref_small = np.asarray(reference.resize((320, 240)), np.int16)
    flipped_small = np.asarray(gradient_image(640, 480, flip=True).resize((320, 240)), np.int16)
    # Clearly derived from the reference: much closer to it than to an unrelated picture.
    assert np.abs(styled - ref_small).mean() < 0.5 * np.abs(styled - flipped_small).mean()
    assert np.abs(styled - base).mean() > 10


@pytest.mark.parametrize(
    ("up", "down", "left", "right"),
    [(0.5, 0.5, 0.5, 0.5), (0.0, 1.0, 0.25, 0.0), (2.0, 0.0, 0.0, 2.0), (0.0, 0.0, 0.0, 0.0)],
)
def test_expand_image(up: float, down: float, left: float, right: float) -> None:
    original = marker_image(100, 60, w=200, h=150)
    data = expand_image(png(original), up, down, left, right, prompt="beach", seed=2)
    out = open_png(data).convert("RGB")
    assert out.size == (round(200 * (1 + left + right)), round(150 * (1 + up + down)))
    x0, y0 = round(200 * left), round(150 * up)
    centre = np.asarray(out)[y0 : y0 + 150, x0 : x0 + 200]
    assert np.array_equal(centre, np.asarray(original))
    if (up, down, left, right) != (0.0, 0.0, 0.0, 0.0):
        # The new area is filled with picture-like content, not a flat colour.
        assert np.asarray(out).std() > 5


def test_expand_image_rejects_negative() -> None:
    with pytest.raises(ValueError):
        expand_image(png(marker_image(10, 10, w=40, h=40)), -0.1, 0, 0, 0)


# ------------------------------------------------------------------------------------------------ audio


@pytest.mark.parametrize(("fmt", "codec"), [("mp3", "mp3"), ("wav", "pcm_s16le")])
@pytest.mark.parametrize("seconds", [1.0, 5.0, 7.3])
def test_render_audio(fmt: str, codec: str, seconds: float) -> None:
    data = render_audio(seconds, "soft piano in the rain", fmt=fmt, seed=4)
    with av.open(io.BytesIO(data)) as c:
        stream = c.streams.audio[0]
        assert stream.codec_context.name.startswith(codec)
        frames = list(c.decode(stream))
        samples = sum(f.samples for f in frames)
        pcm = [f.to_ndarray() for f in frames]
        rate = stream.rate
    assert abs(samples / rate - seconds) < 0.15
    assert max(float(np.abs(p).max()) for p in pcm) > 0
    meta = probe(data)
    assert meta["has_audio"] is True and abs(meta["duration"] - seconds) < 0.15


def test_render_audio_rejects_unknown_format() -> None:
    with pytest.raises(ValueError):
        render_audio(1.0, fmt="ogg")
