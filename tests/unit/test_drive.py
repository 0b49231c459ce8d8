"""Avatar and motion-control requests: bodies pinned to kling-api.md §2.14's shapes (motion control's field
names are confidence L), validation messages, and per-second prices from §7.2."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import pytest

from klingkit import prepare
from klingkit.errors import ValidationError

from ..media_files import wav

IMG = "https://example.com/face.png"
VID = "https://example.com/dance.mp4"


def test_avatar_body_with_audio_id() -> None:
    spec = prepare("avatar", image=IMG, audio_id="tts-1", prompt="smiles", mode="pro", external_task_id="e1")
    assert (spec.method, spec.path, spec.family) == ("POST", "/v1/videos/avatar/image2video", "legacy")
    assert spec.body == {"image": IMG, "audio_id": "tts-1", "prompt": "smiles", "mode": "pro",
                         "external_task_id": "e1"}  # fmt: skip
    # audio length unknown from an id: priced at the 300 s ceiling and marked inexact
    assert spec.estimate.units == pytest.approx(0.8 * 300) and not spec.estimate.exact


def test_avatar_with_a_local_wav_is_priced_by_its_length(tmp_path: Path) -> None:
    spec = prepare("avatar", image=IMG, sound_file=wav(tmp_path / "v.wav", 12.5, rate=8000))
    assert spec.estimate.units == pytest.approx(0.4 * 12.5) and spec.estimate.exact
    assert spec.duration == pytest.approx(12.5) and isinstance(spec.body["sound_file"], str)


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"image": IMG}, "audio_id/sound_file", "exactly one"),
        ({"image": IMG, "audio_id": "a", "sound_file": "https://x/a.mp3"}, "audio_id/sound_file", "both"),
        ({"audio_id": "a"}, "image", "required"),
        ({"image": IMG, "audio_id": "a", "mode": "4k"}, "mode", "std, pro"),
        ({"image": IMG, "audio_id": "a", "prompt": "p" * 2501}, "prompt", "2500"),
    ],
)
def test_avatar_refusals(params: dict[str, object], field: str, words: str) -> None:
    with pytest.raises(ValidationError) as info:
        prepare("avatar", **params)
    assert info.value.field == field and words in str(info.value)


def test_avatar_audio_length_limits(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as info:
        prepare("avatar", image=IMG, sound_file=wav(tmp_path / "short.wav", 1.0, rate=8000))
    assert info.value.field == "sound_file" and "2-300 s" in str(info.value)


def test_motion_control_legacy_body() -> None:
    spec = prepare("motion_control", image=IMG, video=VID, prompt="dance", mode="pro",
                   character_orientation="video", keep_original_sound=True)  # fmt: skip
    assert spec.path == "/v1/videos/motion-control"
    assert spec.body == {"model_name": "kling-v2-6", "image_url": IMG, "video_url": VID, "prompt": "dance",
                         "mode": "pro", "character_orientation": "video", "keep_original_sound": "yes"}  # fmt: skip
    assert spec.estimate.units == pytest.approx(0.8 * 30) and not spec.estimate.exact  # URL: up to 30 s


def test_motion_control_2026_route() -> None:
    spec = prepare("motion_control", model="kling-3.0", image=IMG, video=VID, resolution="1080p")
    assert (spec.path, spec.feature, spec.family) == (
        "/motion-control/kling-3.0",
        "motion-control-new",
        "new",
    )
    assert spec.body == {
        "contents": [{"type": "image", "url": IMG}, {"type": "video", "url": VID}],
        "settings": {"resolution": "1080p"},
    }
    assert spec.with_external_id("e9").body["options"] == {"external_task_id": "e9"}


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"image": IMG}, "video", "required"),
        ({"video": VID}, "image", "required"),
        ({"image": IMG, "video": VID, "mode": "4k"}, "mode", "not offered at 4K"),
        ({"image": IMG, "video": VID, "model": "kling-v1"}, "model_name", "kling-v2-6, kling-v3"),
        ({"image": IMG, "video": VID, "model": "kling-3.0", "resolution": "4k"}, "resolution", "720p, 1080p"),
        ({"image": IMG, "video": VID, "character_orientation": "side"}, "character_orientation", "image"),
    ],
)
def test_motion_control_refusals(params: dict[str, object], field: str, words: str) -> None:
    with pytest.raises(ValidationError) as info:
        prepare("motion_control", **params)
    assert info.value.field == field and words in str(info.value)


def test_wav_length_is_read_without_pyav() -> None:
    from klingkit._requests_more import media_seconds

    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\0\0" * 8000 * 3)
    assert media_seconds(buf.getvalue()) == pytest.approx(3.0)
    assert media_seconds(VID) is None
