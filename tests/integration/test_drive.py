"""Avatar and motion control against the sandbox over HTTP: the avatar video lasts as long as its audio and
has a sound track; the motion-control video has the reference video's length."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from klingkit import Kling

from ..media_files import mp4, streams_and_length, wav

pytestmark = pytest.mark.integration
av = pytest.importorskip("av")


def _face(path: Path) -> Path:
    from PIL import Image

    Image.new("RGB", (720, 960), (180, 120, 90)).save(path)
    return path


def test_avatar_video_lasts_as_long_as_its_audio_file(sb: Any, tmp_path: Path) -> None:
    with Kling(api_key=sb.api_key, base_url=sb.base_url) as client:
        task = client.videos.avatar(image=_face(tmp_path / "f.png"), sound_file=wav(tmp_path / "v.wav", 3.0),
                                    mode="pro")  # fmt: skip
        done = client.tasks.wait(task, poll_interval=0.05)
        assert done.units == pytest.approx(0.8 * 3.0) == client.estimate("avatar", image=tmp_path / "f.png",
                                                                          sound_file=tmp_path / "v.wav", mode="pro").units  # fmt: skip
        [path] = client.download(done, tmp_path / "avatar.mp4")
    kinds, seconds = streams_and_length(path)
    assert kinds == {"video", "audio"} and seconds == pytest.approx(3.0, abs=0.15)


def test_avatar_from_a_tts_audio_id(sb: Any, tmp_path: Path) -> None:
    with Kling(api_key=sb.api_key, base_url=sb.base_url) as client:
        speech = client.audio.tts(text="hello from the sandbox voice, reading a sentence long enough", voice_id="genshin_vindi2",
                                  voice_language="en")  # fmt: skip
        [audio] = speech.audios
        task = client.videos.avatar(image=_face(tmp_path / "f.png"), audio_id=audio.id)
        [path] = client.download(client.tasks.wait(task, poll_interval=0.05), tmp_path / "a.mp4")
        _, seconds = streams_and_length(path)
        assert audio.duration is not None and seconds == pytest.approx(audio.duration, abs=0.15)
        with pytest.raises(Exception) as info:  # an id the server never made
            client.videos.avatar(image=_face(tmp_path / "f.png"), audio_id="no-such-audio")
        assert "does not exist" in str(info.value)


@pytest.mark.parametrize("model", ["kling-v2-6", "kling-3.0"])
def test_motion_control_video_has_the_reference_length(sb: Any, tmp_path: Path, model: str) -> None:
    reference = mp4(tmp_path / "dance.mp4", 4)
    with Kling(api_key=sb.api_key, base_url=sb.base_url) as client:
        task = client.videos.motion_control(model=model, image=_face(tmp_path / "f.png"), video=reference)
        done = client.tasks.wait(task, poll_interval=0.05)
        assert done.units == pytest.approx({"kling-v2-6": 0.5, "kling-3.0": 0.9}[model] * 4, abs=0.05)
        [path] = client.download(done, tmp_path / "motion.mp4")
    _, seconds = streams_and_length(path)
    assert seconds == pytest.approx(4.0, abs=0.15)
    route = "/v1/videos/motion-control" if model == "kling-v2-6" else "/motion-control/kling-3.0"
    assert sb.counters()["requests"][f"POST {route}"] == 1
