"""The agreement harness: the same generated requests through ``klingkit.prepare`` and the sandbox over HTTP.

Requests are generated from the catalog itself (every endpoint, model, mode, duration, sound, aspect ratio,
camera form, count and media kind the catalog names, plus names it does not know), so a model added to the
catalog is exercised without touching this file. For each request we record whether the client accepts it,
whether the sandbox accepts it, the client's estimate and what the sandbox charges once the task succeeds.
The cases are generated in ``_cases_*.py`` (one group each), the wire body of a refused case in ``_wire.py``.

Run it by hand for the figures: ``python -m tests.contract.agreement`` from the repository root (prints a
table per group; ``-v`` lists every difference).
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx

import klingkit
from klingkit import catalog
from klingkit.sandbox import Sandbox

from ._cases_base import IMG, PRESET_ELEMENT, PRESET_VOICE, Case, Sources
from ._cases_h2 import editing_cases, kling4_cases, kling4_omni_cases, late_2026_cases
from ._cases_media import audio_cases, image_cases, omni_image_cases
from ._cases_video import (
    effects_cases,
    extend_cases,
    face_cases,
    legacy_video_cases,
    lip_sync_cases,
    multi_image_video_cases,
    new_video_cases,
    omni_video_cases,
)
from ._wire import raw_request

__all__ = [
    "GROUPS",
    "IMG",
    "PRESET_ELEMENT",
    "PRESET_VOICE",
    "Case",
    "Outcome",
    "Sources",
    "charges",
    "disagreements",
    "prepare_sources",
    "price_differences",
    "raw_request",
    "run_case",
    "run_group",
    "start",
]


@dataclass
class Outcome:
    case: Case
    client_ok: bool
    client_error: str = ""
    server_ok: bool = False
    server_error: str = ""
    estimate: float | None = None
    exact: bool = True
    charged: float | None = None
    task_id: str | None = None
    warnings: tuple[str, ...] = ()
    client_policy: str | None = None  # the catalog policy a client refusal came from, if any

    @property
    def policy(self) -> str | None:
        """The named catalog policy under which client and server may legitimately differ here."""
        return policy_of(self)


GROUPS: dict[str, Callable[[Sources], Iterator[Case]]] = {
    "legacy-video": lambda s: legacy_video_cases(),
    "new-video": lambda s: new_video_cases(),
    "omni-video": omni_video_cases,
    "multi-image-video": lambda s: multi_image_video_cases(),
    "extend": extend_cases,
    "lip-sync": lip_sync_cases,
    "faces": face_cases,
    "effects": lambda s: effects_cases(),
    "images": lambda s: image_cases(),
    "omni-image": lambda s: omni_image_cases(),
    "audio": audio_cases,
    "kling-4": lambda s: kling4_cases(),
    "kling-4-omni": kling4_omni_cases,
    "editing": editing_cases,
    "late-2026": late_2026_cases,
}


def _task_id(payload: dict[str, Any]) -> str | None:
    data = payload.get("data") or {}
    return data.get("task_id") or data.get("id") or data.get("session_id")


def prepare_sources(sb: Sandbox, api: httpx.Client) -> Sources:
    """Videos to extend / lip-sync (one per model and mode that makes one), a session and media URLs."""
    src = Sources()
    for model in ("kling-v1", "kling-v1-6", "kling-v2-6", "kling-v3"):
        for mode in ("std", "pro"):
            r = api.post("/v1/videos/text2video", json={"prompt": "src", "model_name": model, "mode": mode})
            src.videos[f"{model}/{mode}"] = r.json()["data"]["task_id"]
    first = next(iter(src.videos.values()))
    task = api.get(f"/v1/videos/text2video/{first}").json()["data"]
    video = task["task_result"]["videos"][0]
    src.videos = {
        k: api.get(f"/v1/videos/text2video/{v}").json()["data"]["task_result"]["videos"][0]["id"]
        for k, v in src.videos.items()
    }
    src.video_url = video["url"]
    src.video_bytes = api.get(video["url"]).content
    face = api.post("/v1/videos/identify-face", json={"video_id": video["id"]}).json()["data"]
    src.session_id = face["session_id"]
    tts = api.post(
        "/v1/audio/tts",
        json={"text": "hello there", "voice_id": catalog.VOICES["zh"][0], "voice_language": "zh"},
    ).json()["data"]
    src.audio_url = tts["task_result"]["audios"][0]["url"]
    # The sandbox fetches input URLs as Kling does, so the late routes get real media of the sandbox's own.
    long_tts = {"text": "hello there " * 10, "voice_id": catalog.VOICES["zh"][0], "voice_language": "zh"}
    src.long_audio_url = api.post("/v1/audio/tts", json=long_tts).json()["data"]["task_result"]["audios"][0][
        "url"
    ]
    # Multi-element editing sessions (the steps are not creates): one with a selection, one without.
    step = catalog.edit.STEP_PATH
    src.edit_session = api.post(step.format(step="init-selection"), json={"video_id": video["id"]}).json()[
        "data"
    ]["session_id"]
    points = {"session_id": src.edit_session, "frame_index": 0, "points": [{"x": 0.5, "y": 0.5}]}
    api.post(step.format(step="add-selection"), json=points).raise_for_status()
    src.edit_empty_session = api.post(
        step.format(step="init-selection"), json={"video_id": video["id"]}
    ).json()["data"]["session_id"]
    return src


def run_case(api: httpx.Client, case: Case) -> Outcome:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            spec = klingkit.prepare(case.feature, **dict(case.params))
    except klingkit.ValidationError as e:
        out = Outcome(case, client_ok=False, client_error=str(e), client_policy=getattr(e, "policy", None))
        path, body = raw_request(case)
    else:
        out = Outcome(
            case,
            client_ok=True,
            estimate=spec.estimate.units,
            exact=spec.estimate.exact,
            warnings=tuple(spec.warnings),
        )
        path, body = spec.path, spec.body
    r = api.post(path, json=body)
    payload = r.json()
    out.server_ok = r.status_code == 200 and payload.get("code") == 0
    if out.server_ok:
        out.task_id = _task_id(payload)
    else:
        out.server_error = f"{r.status_code}/{payload.get('code')} {payload.get('message')}"
    return out


def charges(api: httpx.Client) -> dict[str, float]:
    """task id -> units the sandbox deducted (its billing export), for every succeeded task."""
    found: dict[str, float] = {}
    cursor = ""
    while True:
        body: dict[str, Any] = {"start_time": 0, "limit": 500}
        if cursor:
            body["cursor"] = cursor
        page = api.post("/account/billing/package", json=body).json()["data"]
        for row in page["result"]["detail"]:
            found[row["task_id"]] = float(row["deduction_amount"])
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return found


def start(sb: Sandbox) -> httpx.Client:
    big = 10.0**9
    sb.configure(
        balances={"video": big, "image": big, "tryon": big, "audio": big},
        concurrency={"video": 10**6, "image": 10**6, "tryon": 10**6, "audio": 10**6},
    )
    headers = {"Authorization": f"Bearer {sb.api_key}"}
    return httpx.Client(base_url=sb.base_url, headers=headers, timeout=60)


def run_group(sb: Sandbox, api: httpx.Client, src: Sources, group: str) -> list[Outcome]:
    outcomes = [run_case(api, case) for case in GROUPS[group](src)]
    billed = charges(api)
    for o in outcomes:
        if o.task_id is not None:
            o.charged = billed.get(o.task_id)
    return outcomes


# Refusals that read the server's task history (policy server-state): the client cannot know these.
SERVER_STATE_MARKS = ("runs past the end", "can be extended", "needs add-selection first", "(or expired)")


def policy_of(o: Outcome) -> str | None:
    """Which named catalog policy explains a client/server difference on ``o`` (None: none does)."""
    if o.client_ok and not o.server_ok:
        for w in o.warnings:
            if "policy unknown-name" in w or "not in klingkit's" in w:
                return "unknown-name"
        if any(m in o.server_error for m in SERVER_STATE_MARKS):
            return "server-state"
    if not o.client_ok and o.server_ok and o.client_policy:
        return o.client_policy  # the client's refusal names its policy (undocumented-field)
    return None


def disagreements(outcomes: list[Outcome]) -> list[Outcome]:
    """Accepted by one side and refused by the other, with no named policy to explain it."""
    return [o for o in outcomes if o.client_ok != o.server_ok and o.policy is None]


def by_policy(outcomes: list[Outcome]) -> list[Outcome]:
    return [o for o in outcomes if o.client_ok != o.server_ok and o.policy is not None]


def price_differences(outcomes: list[Outcome]) -> list[Outcome]:
    """Both accepted, and the charge is not what an exact estimate said (or exceeds an inexact one)."""
    bad = []
    for o in outcomes:
        if not (o.client_ok and o.server_ok) or o.estimate is None or o.charged is None:
            continue
        if (o.exact and abs(o.charged - o.estimate) > 1e-6) or (
            not o.exact and o.charged > o.estimate + 1e-6
        ):
            bad.append(o)
    return bad


def main() -> int:
    verbose = "-v" in sys.argv
    totals = [0, 0, 0, 0]
    with Sandbox(time_scale=0.0) as sb:
        api = start(sb)
        src = prepare_sources(sb, api)
        print(f"{'group':<18} {'requests':>8} {'disagree':>8} {'price':>6} {'policy':>6}")
        for group in GROUPS:
            outcomes = run_group(sb, api, src, group)
            dis, price = disagreements(outcomes), price_differences(outcomes)
            totals[0] += len(outcomes)
            totals[1] += len(dis)
            totals[2] += len(price)
            totals[3] += len(by_policy(outcomes))
            print(
                f"{group:<18} {len(outcomes):>8} {len(dis):>8} {len(price):>6} {len(by_policy(outcomes)):>6}"
            )
            if verbose:
                for o in dis:
                    side = "client" if o.client_ok else "sandbox"
                    why = o.server_error if o.client_ok else o.client_error
                    print(f"   only {side} accepts: {o.case.feature} {o.case.name}: {why}")
                for o in price:
                    print(
                        f"   price: {o.case.feature} {o.case.name}: est {o.estimate} exact={o.exact} "
                        f"charged {o.charged}"
                    )
        print(f"{'total':<18} {totals[0]:>8} {totals[1]:>8} {totals[2]:>6} {totals[3]:>6}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
