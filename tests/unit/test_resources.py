"""The resource classes are thin: each method prepares its endpoint and hands the spec to the client;
the async twins have identical signatures."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from klingkit import _resources as r
from klingkit._exceptions import ValidationError
from klingkit._requests import RequestSpec

URL = "https://example.com/a.png"


class FakeClient:
    def __init__(self, strict: bool = False) -> None:
        self.strict = strict
        self.sent: list[RequestSpec] = []

    def submit(self, spec: RequestSpec) -> Any:
        self.sent.append(spec)
        return "task"


class FakeAsyncClient(FakeClient):
    async def submit(self, spec: RequestSpec) -> Any:  # type: ignore[override]
        self.sent.append(spec)
        return "task"


CALLS: list[tuple[str, str, dict[str, Any], str]] = [
    ("videos", "text_to_video", {"prompt": "x"}, "text2video"),
    ("videos", "text_to_video", {"prompt": "x", "model_name": "kling-3.0"}, "text-to-video"),
    ("videos", "image_to_video", {"image": URL}, "image2video"),
    ("videos", "image_to_video", {"image": URL, "model_name": "kling-3.0"}, "image-to-video"),
    ("videos", "multi_image_to_video", {"image_list": [URL], "prompt": "x"}, "multi-image2video"),
    ("videos", "extend", {"video_id": "1"}, "video-extend"),
    ("videos", "lip_sync", {"video_id": "1", "mode": "audio2video", "audio_url": URL}, "lip-sync"),
    ("videos", "identify_face", {"video_id": "1"}, "identify-face"),
    (
        "videos",
        "advanced_lip_sync",
        {
            "session_id": "s",
            "face_choose": [
                {
                    "face_id": "0",
                    "audio_id": "a",
                    "sound_start_time": 0,
                    "sound_end_time": 2000,
                    "sound_insert_time": 0,
                }
            ],
        },
        "advanced-lip-sync",
    ),
    ("videos", "effects", {"effect_scene": "pet_lion", "image": URL}, "effects"),
    ("videos", "omni", {"prompt": "x"}, "omni-video"),
    ("images", "generate", {"prompt": "x"}, "images/generations"),
    ("images", "multi_image", {"subject_image_list": [URL]}, "multi-image2image"),
    (
        "images",
        "expand",
        {
            "image": URL,
            "up_expansion_ratio": 0.1,
            "down_expansion_ratio": 0.1,
            "left_expansion_ratio": 0.1,
            "right_expansion_ratio": 0.1,
        },
        "editing/expand",
    ),
    ("images", "try_on", {"human_image": URL, "cloth_image": URL}, "kolors-virtual-try-on"),
    ("images", "try_on", {"solution": True, "person_image": URL, "product_image": URL}, "virtual_try_on"),
    ("images", "omni", {"prompt": "x"}, "omni-image"),
    ("audio", "text_to_audio", {"prompt": "rain", "duration": 3}, "text-to-audio"),
    ("audio", "video_to_audio", {"video_id": "1"}, "video-to-audio"),
    ("audio", "tts", {"text": "hi", "voice_id": "ai_shatang"}, "tts"),
]

SYNC = {"videos": r.Videos, "images": r.Images, "audio": r.Audio}
ASYNC = {"videos": r.AsyncVideos, "images": r.AsyncImages, "audio": r.AsyncAudio}


@pytest.mark.parametrize(("group", "method", "params", "feature"), CALLS)
def test_sync_method_submits_the_prepared_spec(
    group: str, method: str, params: dict[str, Any], feature: str
) -> None:
    client = FakeClient()
    assert getattr(SYNC[group](client), method)(**params) == "task"
    assert [s.feature for s in client.sent] == [feature]


@pytest.mark.parametrize(("group", "method", "params", "feature"), CALLS)
async def test_async_method_submits_the_prepared_spec(
    group: str, method: str, params: dict[str, Any], feature: str
) -> None:
    client = FakeAsyncClient()
    assert await getattr(ASYNC[group](client), method)(**params) == "task"
    assert [s.feature for s in client.sent] == [feature]


def test_strict_comes_from_the_client() -> None:
    with pytest.warns(UserWarning):
        r.Videos(FakeClient()).text_to_video(prompt="x", model_name="kling-v9")
    with pytest.raises(ValidationError):
        r.Videos(FakeClient(strict=True)).text_to_video(prompt="x", model_name="kling-v9")


def test_validation_happens_before_submit() -> None:
    client = FakeClient()
    with pytest.raises(ValidationError):
        r.Videos(client).text_to_video(prompt="x", model_name="kling-v2-6", duration=15)
    assert client.sent == []


@pytest.mark.parametrize("group", sorted(SYNC))
def test_sync_and_async_signatures_are_identical(group: str) -> None:
    sync_cls, async_cls = SYNC[group], ASYNC[group]
    names = {n for n in vars(sync_cls) if not n.startswith("_")}
    assert names == {n for n in vars(async_cls) if not n.startswith("_")}
    for name in names:
        assert inspect.signature(getattr(sync_cls, name)) == inspect.signature(getattr(async_cls, name)), name
        assert inspect.iscoroutinefunction(getattr(async_cls, name))
        assert getattr(sync_cls, name).__doc__ == getattr(async_cls, name).__doc__


def test_library_sync_and_async_twins_match() -> None:
    from klingkit import _edit as ed
    from klingkit import _library as lib

    pairs = ((lib.Elements, lib.AsyncElements), (lib.Voices, lib.AsyncVoices), (ed.Edits, ed.AsyncEdits))
    for sync_cls, async_cls in pairs:
        for name in {n for n in vars(sync_cls) if not n.startswith("_")} | {"create", "list", "delete"} - (
            {"list"} if sync_cls is ed.Edits else set()
        ):
            sync_fn, async_fn = getattr(sync_cls, name), getattr(async_cls, name)
            assert inspect.signature(sync_fn) == inspect.signature(async_fn), name
            assert inspect.iscoroutinefunction(async_fn) and sync_fn.__doc__ == async_fn.__doc__


def test_the_documented_methods_exist() -> None:
    assert {n for n in vars(r.Videos) if not n.startswith("_")} == {
        "text_to_video", "image_to_video", "multi_image_to_video", "extend", "lip_sync", "identify_face",
        "advanced_lip_sync", "effects", "omni", "avatar", "motion_control",
    }  # fmt: skip
    assert {n for n in vars(r.Images) if not n.startswith("_")} == {
        "generate",
        "multi_image",
        "expand",
        "try_on",
        "omni",
        "recognize",
        "multi_shot",
    }
    assert {n for n in vars(r.Audio) if not n.startswith("_")} == {"text_to_audio", "video_to_audio", "tts"}
