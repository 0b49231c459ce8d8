"""Every problem of a request is named at once, wherever it is found: a spelling the rules cannot read
(a model name that is not a text, a duration that is not a number, ``multi_shot='maybe'``) is reported
with the rules' own refusals instead of hiding them, and is not refused a second time by a rule that
reads it (no cascade). The sandbox answers 400/1201 naming every refusal, first one first, in Kling's own
error body; an undocumented parameter's value is never echoed.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import klingkit
from klingkit import catalog
from klingkit.sandbox import Sandbox

from ..installed import klingkit_command

LONG = "x" * (catalog.PROMPT_MAX + 1)


def _fields(feature: str, **params: Any) -> list[str]:
    with pytest.raises(klingkit.ValidationError) as info:
        klingkit.prepare(feature, **params)
    return [e.field for e in info.value.all]


# --- the library ---------------------------------------------------------------------------------------


def test_a_bad_model_type_and_a_bad_duration_are_named_together() -> None:
    assert _fields("text2video", prompt="a fox", model_name=5, duration="abc") == ["model_name", "duration"]
    assert _fields("image", prompt="a fox", model_name=[7], n=99) == ["model_name", "n"]
    assert _fields("omni_video", prompt="a fox", model_name={}, duration="x") == ["model_name", "duration"]


def test_spellings_come_first_then_every_rule_in_table_order() -> None:
    # mode not a text, duration not whole seconds, multi_shot not a boolean, prompt too long: four problems.
    got = _fields("text2video", prompt=LONG, mode=3, duration="7.5", multi_shot="maybe")
    assert got == ["mode", "duration", "multi_shot", "prompt"]
    with pytest.raises(klingkit.ValidationError) as info:
        klingkit.prepare("text2video", prompt=LONG, mode=3, duration="7.5", multi_shot="maybe")
    lines = str(info.value).splitlines()
    assert len(lines) == 4 and lines[0] == "invalid mode=3: allowed std, pro, 4k"
    assert lines[1] == "invalid duration='7.5': allowed whole seconds"


def test_a_field_refused_while_parsing_is_not_refused_again() -> None:
    # Unreadable duration: the shot list is not summed against a stand-in, the model's durations not
    # consulted; the one problem is the duration.
    shots = [{"prompt": "a", "duration": 3}]
    multi = {"prompt": "a fox", "model_name": "kling-v3", "multi_shot": True, "shot_type": "customize"}
    multi["multi_prompt"] = shots
    assert _fields("text2video", duration="abc", **multi) == ["duration"]
    # ... while a readable, wrong sum is still refused: the skip is the spelling's, not a lost rule.
    assert _fields("text2video", duration=5, **multi) == ["multi_prompt"]
    # Unreadable mode: the sound rule that depends on the mode waits for a mode it can read.
    assert _fields("text2video", prompt="a fox", model_name="kling-v1", mode=[1], sound="on") == ["mode"]
    assert _fields("text2video", prompt="a fox", model_name="kling-v1", mode="std", sound="on") == ["sound"]


def test_strict_mode_names_an_unreadable_model_once() -> None:
    with pytest.raises(klingkit.ValidationError) as info:
        klingkit.prepare("text2video", prompt="a fox", model_name=5, duration="abc", strict=True)
    assert [e.field for e in info.value.all] == ["model_name", "duration"]


def test_the_effects_duration_is_named_alone_and_with_the_scenes_refusals() -> None:
    # alone it is refused, never silently read
    fine = {"effect_scene": "bloombloom", "image": "https://example.com/a.png"}
    catalog.check("effects", fine)
    found = catalog.refusals("effects", {**fine, "duration": "soon"})
    assert [(r.field, r.value) for r in found] == [("duration", "soon")]
    # ... and with the scene's own refusals: both named, the spelling first as on every route.
    found = catalog.refusals("effects", {"effect_scene": "", "image": "https://e.com/a.png", "duration": "x"})
    assert [r.field for r in found] == ["duration", "effect_scene"]


# --- the sandbox: every refusal in Kling's error body --------------------------------------------------


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(time_scale=0.0) as sb:
        yield sb


def test_a_third_party_client_reads_every_refusal_first_one_first(sandbox: Sandbox) -> None:
    headers = {"Authorization": f"Bearer {sandbox.api_key}"}
    with httpx.Client(base_url=sandbox.base_url, headers=headers) as api:
        legacy = api.post("/v1/videos/text2video", json={"prompt": LONG, "mode": 3, "duration": "abc"})
        settings = {"duration": "abc", "resolution": "8k", "aspect_ratio": "2:7"}
        new = api.post("/text-to-video/kling-3.0", json={"prompt": "a fox", "settings": settings})
    for answer in (legacy, new):
        body = answer.json()
        # Kling's error body and nothing more (reference §4): code, message, request_id.
        assert answer.status_code == 400 and set(body) == {"code", "message", "request_id"}
        assert body["code"] == 1201 and body["request_id"]
    assert legacy.json()["message"].splitlines() == [
        "invalid mode=3: allowed std, pro, 4k",
        "invalid duration='abc': allowed a number of seconds",
        f"invalid prompt='<{len(LONG)} characters>': allowed at most {catalog.PROMPT_MAX} characters",
    ]
    lines = new.json()["message"].splitlines()
    # every field named as the caller nested it on the 2026 route
    assert [line.split("=")[0] for line in lines] == [
        "invalid settings.duration",
        "invalid settings.resolution",
        "invalid settings.aspect_ratio",
    ]
    assert sandbox.counters()["creates"] == 0


def test_our_client_hears_every_refusal_of_the_sandbox(sandbox: Sandbox) -> None:
    spec = klingkit.prepare("text-to-video", prompt="a fox", model_name="kling-3.0", duration=5)
    bad = dataclasses.replace(spec, body={**spec.body, "settings": {"duration": "abc", "resolution": "8k"}})
    client = klingkit.Kling(api_key=sandbox.api_key, base_url=sandbox.base_url)
    with client, pytest.raises(klingkit.BadRequestError) as info:
        client.submit(bad)
    err = info.value
    assert err.http_status == 400 and err.code == 1201 and err.request_id
    lines = err.message.splitlines()
    assert lines[0].startswith("invalid settings.duration='abc'") and "settings.resolution='8k'" in lines[1]
    assert sandbox.counters()["creates"] == 0


# --- the installed command ----------------------------------------------------------------------------


def test_a_batch_row_with_unreadable_values_names_each_and_sends_nothing(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    # A batch file is where JSON types reach the spellings (the flags of the single commands are typed);
    # the second row carries a blob and a key under names no route takes: named, never shown.
    blob, key = base64.b64encode(os.urandom(300_000)).decode(), "sk-live-" + "7f3a9c" * 6
    rows = [
        {"kind": "video", "prompt": LONG, "model": 5, "duration": "abc"},
        {"kind": "video", "prompt": "a fox", "colour": blob, "api_key": key},
    ]
    (tmp_path / "rows.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KLING_", "KLINGKIT_"))}
    env.update(KLINGKIT_HOME=str(tmp_path), KLING_API_KEY=sandbox.api_key, NO_COLOR="1")
    before = sandbox.counters()["creates"]
    args = [klingkit_command(), "batch", "rows.jsonl", "--base-url", sandbox.base_url, "-y", "--json"]
    res = subprocess.run(args, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert res.returncode == 2, res.stderr
    first, second = json.loads(res.stdout)["error"]["rows"]
    for words in ("invalid model=5", "invalid duration='abc'", "invalid prompt="):
        assert words in first["message"]
    assert "api_key" in second["message"]
    assert blob[:64] not in res.stdout + res.stderr and key not in res.stdout + res.stderr
    assert sandbox.counters()["creates"] == before
