"""The price rows against the sandbox's bills over HTTP: for a sample of every kind of row (flat, per
second of output or of an input the server measures, per item, per started block, a choice between rows, a
model priced like another), the one pricer's figure for the facts a server knows equals the units the
sandbox deducted, and the client's estimate is that figure where it says it is exact (and covers it where
it had to assume). The lengths the server bills by are read back with a real decoder (PyAV)."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import pytest

from klingkit import catalog
from klingkit.catalog import prices
from klingkit.catalog.prices import Facts, _vocab

from .agreement import IMG, Case, Sources, charges, run_case


@dataclass
class Sample:
    kind: str  # the vocabulary kind the route's row reaches (prices._vocab)
    route: str
    case: Callable[[Sources], Case]
    facts: Callable[[httpx.Client, Sources, dict[str, object]], Facts]  # as the server knows them


def _seconds(api: httpx.Client, url: str) -> float:
    av = pytest.importorskip("av")
    with av.open(io.BytesIO(api.get(url).content)) as media:
        return float(media.duration) / 1_000_000


def _images(task: dict[str, object]) -> int:
    result = task["task_result"]
    assert isinstance(result, dict)
    return len(result["images"])


VOICE = catalog.VOICES["zh"][0]
SAMPLES = {
    "tts": Sample(
        "Flat",
        "tts",
        lambda src: Case("tts", {"text": "hello", "voice_id": VOICE, "voice_language": "zh"}),
        lambda api, src, task: Facts(),
    ),
    "video-extend": Sample(
        "Flat",  # a rate read from FLAT_PRICES by the source video's mode (a server's fact)
        "video-extend",
        lambda src: Case("video-extend", {"video_id": src.videos["kling-v1/pro"]}),
        lambda api, src, task: Facts(mode="pro", seconds=_seconds(api, src.video_url)),
    ),
    "text2video": Sample(
        "PerSecond",
        "text2video",
        lambda src: Case(
            "text2video",
            {"model_name": "kling-v3", "prompt": "x", "mode": "pro", "sound": "on", "duration": 10},
        ),
        lambda api, src, task: Facts(
            "kling-v3", catalog.video_model("kling-v3"), "pro", "audio", seconds=10.0
        ),
    ),
    "avatar": Sample(
        "PerSecond",  # per second of an input only the server measures (the client quotes the longest)
        "avatar",
        lambda src: Case("avatar", {"image": IMG, "sound_file": src.long_audio_url, "mode": "pro"}),
        lambda api, src, task: Facts(mode="pro", seconds=_seconds(api, src.long_audio_url)),
    ),
    "text-to-video": Sample(
        "Like",  # a 2026 model priced like its legacy row
        "text-to-video",
        lambda src: Case(
            "text_to_video",
            {
                "model_name": "kling-3.0",
                "prompt": "x",
                "resolution": "1080p",
                "audio": "native",
                "duration": 5,
            },
        ),
        lambda api, src, task: Facts(
            "kling-3.0",
            catalog.new_video_model("kling-3.0"),
            variant="audio",
            resolution="1080p",
            seconds=5.0,
        ),
    ),
    "text-to-video kling-4.0": Sample(
        "Choose",  # a 4.0 model on the same route: its own dollar rows
        "text-to-video",
        lambda src: Case(
            "text_to_video", {"model_name": "kling-4.0", "prompt": "x", "resolution": "1080p", "duration": 10}
        ),
        lambda api, src, task: Facts(
            "kling-4.0", catalog.kling4.MODELS["kling-4.0"], resolution="1080p", seconds=10.0
        ),
    ),
    "images/generations": Sample(
        "PerItem",
        "images/generations",
        lambda src: Case("images/generations", {"model_name": "kling-v2", "prompt": "x", "n": 3}),
        lambda api, src, task: Facts(
            "kling-v2", catalog.image_model("kling-v2"), count=3, facts={"kind": "t2i"}
        ),
    ),
    "omni-image series": Sample(
        "PerItem",  # an auto series: the client quotes the most, the server bills what it made
        "omni-image",
        lambda src: Case(
            "omni-image", {"model_name": "kling-image-o1", "prompt": "x", "result_type": "series"}
        ),
        lambda api, src, task: Facts(
            "kling-image-o1",
            catalog.omni_image_model("kling-image-o1"),
            count=_images(task),
            facts={"kind": "t2i"},
        ),
    ),
    "lip-sync": Sample(
        "PerBlock",
        "lip-sync",
        lambda src: Case(
            "lip-sync",
            {"video_id": src.videos["kling-v1/std"], "mode": "text2video", "text": "hi", "voice_id": VOICE},
        ),
        lambda api, src, task: Facts(seconds=_seconds(api, src.video_url)),
    ),
}


def _task(api: httpx.Client, route: str, task_id: str) -> dict[str, object]:
    """The finished task as the server answers it (legacy routes: their own query path)."""
    ep = catalog.ENDPOINTS[route]
    if ep.family != "legacy":
        return {}
    data = api.get(f"{ep.path}/{task_id}").json()["data"]
    assert isinstance(data, dict)
    return data


def test_the_samples_reach_every_kind_of_row() -> None:
    kinds = {k.__name__ for k in (_vocab.Flat, _vocab.PerSecond, _vocab.PerItem, _vocab.PerBlock,
                                  _vocab.Choose, _vocab.Like)}  # fmt: skip
    assert {s.kind for s in SAMPLES.values()} == kinds


@pytest.mark.parametrize("name", list(SAMPLES))
def test_the_pricer_equals_the_sandboxs_bill(server: tuple[httpx.Client, Sources], name: str) -> None:
    api, src = server
    sample = SAMPLES[name]
    outcome = run_case(api, sample.case(src))
    assert outcome.client_ok and outcome.server_ok, (outcome.client_error, outcome.server_error)
    assert outcome.task_id is not None and outcome.estimate is not None
    charged = charges(api)[outcome.task_id]
    expected = prices.price(sample.route, sample.facts(api, src, _task(api, sample.route, outcome.task_id)))
    assert expected.units > 0 and charged == pytest.approx(expected.units, abs=1e-4)
    if outcome.exact:
        assert outcome.estimate == pytest.approx(charged, abs=1e-4)
    else:
        assert outcome.estimate >= charged  # approximate or assumed (the most): never less
