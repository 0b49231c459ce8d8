"""Legacy, 2026 and solutions JSON into one Task (fixtures: the reference's Appendix A, comments stripped)."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from typing import Any

import pytest

from klingkit import Output, Task, TaskStatus
from klingkit._wire import parse_envelope, parse_status, parse_task, parse_tasks


def comparable(task: Task) -> dict[str, Any]:
    d = dataclasses.asdict(task)
    d.pop("raw")
    d.pop("family")
    for out in d["outputs"]:
        out.pop("raw")
    return d


def test_legacy_and_2026_forms_of_one_task_parse_the_same(kk: Any) -> None:
    legacy = parse_task(kk.fixture("same_task_legacy.json")["data"])
    new = parse_tasks(kk.fixture("same_task_new.json")["data"])[0]
    assert comparable(legacy) == comparable(new)
    assert legacy.status is TaskStatus.SUCCEEDED and legacy.done and legacy.succeeded
    assert legacy.units == 1.5 and new.units == 1.5  # billing: only charge_type=unit counts
    assert legacy.external_id == "kk-0123456789abcdef0123456789abcdef"
    assert legacy.created_at == datetime(2026, 6, 10, 8, 39, 38, 802000, tzinfo=timezone.utc)
    assert legacy.videos[0].duration == 5.1 and legacy.videos[0].format == "mp4"
    assert (legacy.family, new.family) == ("legacy", "new")
    assert "some_future_field" in legacy.raw and "some_future_field" in new.raw


@pytest.mark.parametrize(
    "name",
    [
        "a4_text2video_create.json",
        "a5_text2video_query.json",
        "a7_video_extend_query.json",
        "a8_text_to_audio_query.json",
        "a9_video_to_audio_query.json",
        "a14_image_generation_query.json",
        "a27_new_create.json",
    ],
)
def test_every_appendix_example_parses(kk: Any, name: str) -> None:
    env = parse_envelope(kk.fixture(name))
    assert env.code == 0
    task = parse_task(env.data)
    assert task.id == "string"
    assert task.status is TaskStatus.UNKNOWN  # the docs' placeholder "string" is not a status


def test_list_example_parses_into_tasks(kk: Any) -> None:
    tasks = parse_tasks(kk.fixture("a6_text2video_list.json")["data"], feature="text2video")
    assert len(tasks) == 1 and tasks[0].feature == "text2video" and len(tasks[0].videos) == 1


def test_extend_parent_video(kk: Any) -> None:
    task = parse_task(kk.fixture("a7_video_extend_query.json")["data"])
    assert isinstance(task.parent_video, Output) and task.parent_video.url == "string"
    assert task.videos[0].raw["seed"] == "string"


def test_legacy_audio_gives_one_output_per_format(kk: Any) -> None:
    data = kk.fixture("a9_video_to_audio_query.json")["data"]
    data["task_result"]["audios"][0].update(
        url_mp3="https://cdn.example/a.mp3", url_wav="https://cdn.example/a.wav", duration_mp3="3.5"
    )
    task = parse_task(data)
    assert [o.format for o in task.audios] == ["mp3", "wav"]
    assert task.audios[0].duration == 3.5
    assert [o.index for o in task.outputs] == [0, 1, 2]  # the dubbed video, then mp3 and wav


def test_new_callback_outputs_are_typed(kk: Any) -> None:
    task = parse_task(kk.fixture("a13_callback_new.json"), family="new")
    assert [o.kind for o in task.outputs] == ["video", "image", "audio", "audio"]
    assert task.audios[0].url == "string" and task.audios[0].format == "mp3"
    assert task.units is None  # "string" amounts are not numbers


def test_legacy_callback_has_no_envelope(kk: Any) -> None:
    task = parse_task(kk.fixture("a11_callback_legacy.json"))
    assert task.family == "legacy" and len(task.images) == 1 and len(task.videos) == 1


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        ("succeed", TaskStatus.SUCCEEDED),
        ("succeeded", TaskStatus.SUCCEEDED),
        ("SUBMITTED", TaskStatus.SUBMITTED),
        ("processing", TaskStatus.PROCESSING),
        ("failed", TaskStatus.FAILED),
        ("queued-on-mars", TaskStatus.UNKNOWN),
        (None, TaskStatus.UNKNOWN),
        (3, TaskStatus.UNKNOWN),
    ],
)
def test_status_vocabulary(raw: Any, status: TaskStatus) -> None:
    assert parse_status(raw) is status


@pytest.mark.parametrize(
    "data",
    [
        {},
        None,
        [],
        {"task_id": None, "task_status": None, "task_info": None, "task_result": None, "created_at": None},
        {"task_id": 123, "task_result": {"videos": [None, 5, {"url": None}]}, "final_unit_deduction": "n/a"},
        {"id": "x", "status": "succeeded", "outputs": None, "billing": [None, {"charge_type": None}]},
        {"id": "x", "outputs": [{"type": None}], "create_time": "bad", "update_time": 1e30},
    ],
)
def test_never_crashes_on_missing_or_odd_fields(data: Any) -> None:
    task = parse_task(data)
    assert isinstance(task, Task)


def test_failed_task_message() -> None:
    task = parse_task(
        {
            "task_id": "1",
            "task_status": "failed",
            "task_status_msg": "Failure to pass the risk control system",
        }
    )
    assert task.status is TaskStatus.FAILED and task.done and not task.succeeded
    assert task.message == "Failure to pass the risk control system"


def test_envelope_request_id_falls_back_to_header() -> None:
    env = parse_envelope({"code": 1303, "message": "m"}, header_request_id="hdr-1")
    assert (env.code, env.request_id) == (1303, "hdr-1")
    assert parse_envelope({"code": "1102", "request_id": "b"}, "hdr").request_id == "b"
