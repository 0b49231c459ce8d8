"""Media inputs: local data becomes raw base64 (never a data: prefix), URLs pass through, and bad images,
videos and audio are refused naming the field, the value and the rule."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
from PIL import Image

from klingkit import _media as media
from klingkit._exceptions import ValidationError
from klingkit._requests import prepare


def png_bytes(width: int = 400, height: int = 400, fmt: str = "PNG") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(buf, format=fmt)
    return buf.getvalue()


def test_png_path_becomes_raw_base64(tmp_path: Path) -> None:
    path = tmp_path / "cat.png"
    data = png_bytes()
    path.write_bytes(data)
    for given in (path, str(path)):
        m = media.image(given, "image")
        assert not m.wire.startswith("data:")
        assert base64.b64decode(m.wire) == data
        assert m.shown == "cat.png" and not m.is_url


def test_bytes_pil_and_base64_inputs() -> None:
    data = png_bytes()
    assert base64.b64decode(media.image(data, "image").wire) == data
    pil = Image.new("RGB", (640, 360))
    decoded = Image.open(io.BytesIO(base64.b64decode(media.image(pil, "image").wire)))
    assert decoded.size == (640, 360)
    b64 = base64.b64encode(data).decode()
    assert media.image(b64, "image").wire == b64


def test_data_prefix_is_stripped() -> None:
    b64 = base64.b64encode(png_bytes()).decode()
    m = media.image(f"data:image/png;base64,{b64}", "image")
    assert m.wire == b64


def test_url_passes_through_unchecked() -> None:
    m = media.image("https://example.com/x.gif", "image")
    assert m.wire == "https://example.com/x.gif" and m.is_url


def test_too_small_image_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        media.image(png_bytes(200, 800), "image")
    err = info.value
    assert (err.field, err.value) == ("image", "200x800 px") and "at least 300 px" in str(err)


def test_bad_aspect_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        media.image(png_bytes(1200, 400), "image_list[1]")
    err = info.value
    assert (err.field, err.value) == ("image_list[1]", "1200x400 px") and "1:2.5 and 2.5:1" in str(err)


def test_bad_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "anim.gif"
    Image.new("RGB", (400, 400)).save(path, format="GIF")
    with pytest.raises(ValidationError) as info:
        media.image(path, "image_tail")
    assert info.value.field == "image_tail" and "GIF" in str(info.value) and "jpg/jpeg/png" in str(info.value)
    with pytest.raises(ValidationError) as info:
        media.image(b"not an image at all", "image")
    assert "not a readable image" in str(info.value)


def test_too_big_image_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.png"
    with path.open("wb") as f:
        f.truncate(11 * 1024 * 1024)
    with pytest.raises(ValidationError) as info:
        media.image(path, "image")
    assert (
        info.value.field == "image"
        and "huge.png (11.0 MB)" in str(info.value)
        and "10.0 MB" in str(info.value)
    )
    # the 2026 routes take up to 50 MB, so the size is not the problem there (the content is)
    with pytest.raises(ValidationError) as info:
        media.image(path, "image", max_bytes=50 * 1024 * 1024)
    assert "not a readable image" in str(info.value)


def test_missing_file_and_garbage() -> None:
    with pytest.raises(ValidationError) as info:
        media.image("photos/nope.png", "image")
    assert info.value.field == "image" and "no such file" in str(info.value)
    with pytest.raises(ValidationError):
        media.image("xxx", "image")
    with pytest.raises(ValidationError):
        media.image(12, "image")


def test_video_and_audio_inputs(tmp_path: Path) -> None:
    mp4 = tmp_path / "clip.mp4"
    mp4.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100)
    assert base64.b64decode(media.video(mp4, "video_url").wire).startswith(b"\x00\x00\x00\x18ftyp")
    avi = tmp_path / "clip.avi"
    avi.write_bytes(b"RIFF\x00\x00\x00\x00AVI LIST" + b"\x00" * 100)
    with pytest.raises(ValidationError) as info:
        media.video(avi, "video_url")
    assert info.value.field == "video_url" and "mp4/mov" in str(info.value)
    mp3 = tmp_path / "voice.mp3"
    mp3.write_bytes(b"ID3\x04" + b"\x00" * 100)
    assert media.audio(mp3, "audio_file").shown == "voice.mp3"
    big = tmp_path / "long.wav"
    with big.open("wb") as f:
        f.truncate(6 * 1024 * 1024)
    with pytest.raises(ValidationError) as info:
        media.audio(big, "sound_file")
    assert info.value.field == "sound_file" and "5.0 MB" in str(info.value)
    ogg = tmp_path / "x.ogg"
    ogg.write_bytes(b"OggS" + b"\x00" * 100)
    with pytest.raises(ValidationError):
        media.audio(ogg, "audio_file")


def test_prepare_checks_images_and_names_nested_fields(tmp_path: Path) -> None:
    small = tmp_path / "small.png"
    small.write_bytes(png_bytes(100, 100))
    with pytest.raises(ValidationError) as info:
        prepare("multi_image_to_video", prompt="x", image_list=["https://e.com/a.png", small])
    assert info.value.field == "image_list[1]"
    good = tmp_path / "good.jpg"
    good.write_bytes(png_bytes(500, 500, "JPEG"))
    spec = prepare("generate", model_name="kling-v2-1", prompt="x", image=good)
    assert base64.b64decode(spec.body["image"]) == good.read_bytes()
    assert spec.params["image"] == str(good)


def test_lip_sync_local_audio_and_video(tmp_path: Path) -> None:
    mp3 = tmp_path / "voice.mp3"
    mp3.write_bytes(b"ID3\x04" + b"\x00" * 64)
    mp4 = tmp_path / "face.mp4"
    mp4.write_bytes(b"\x00\x00\x00\x18ftypisom" + b"\x00" * 64)
    with pytest.warns(UserWarning, match="video_url"):
        spec = prepare("lip_sync", video_url=mp4, mode="audio2video", audio_file=mp3)
    assert spec.body["input"]["audio_type"] == "file"
    assert base64.b64decode(spec.body["input"]["audio_file"]) == mp3.read_bytes()
    assert spec.params["audio_file"] == str(mp3)


def test_sidecar_elides_blobs_and_credentials() -> None:
    blob = "iVBORw0KGgo" + "A" * 4000
    out = media.elide({"image": blob, "api_key": "nope", "nested": [{"image_tail": "data:image/png;base64,QUJD"}],
                       "raw": b"\x00" * 9, "prompt": "short text stays"})  # fmt: skip
    assert out == {"image": f"<base64 {len(blob) * 3 // 4} bytes>", "nested": [{"image_tail": "<base64 3 bytes>"}],
                   "raw": "<base64 9 bytes>", "prompt": "short text stays"}  # fmt: skip


def test_elide_keeps_long_prompts_and_is_the_rule_of_sidecars_too() -> None:
    prompt = "a slow pan across a quiet harbour at dawn " * 10  # long, base64 letters, but spaced
    assert media.elide({"prompt": prompt}) == {"prompt": prompt}
    wrapped = "\n".join(base64.b64encode(b"y" * 900).decode()[i : i + 76] for i in range(0, 1200, 76))
    assert media.elide(wrapped) == "<base64 900 bytes>"  # MIME line breaks are still base64
    from klingkit import _sidecar

    assert _sidecar.elide is media.elide


def test_elide() -> None:
    b64 = base64.b64encode(b"x" * 600).decode()
    out = media.elide({"a": b"abc", "b": [f"data:image/png;base64,{b64}"], "c": "https://e.com/x", "d": b64})
    assert out == {
        "a": "<base64 3 bytes>",
        "b": ["<base64 600 bytes>"],
        "c": "https://e.com/x",
        "d": "<base64 600 bytes>",
    }
