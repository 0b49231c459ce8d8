"""Kling 4.0's rules are three tables read by the one interpreter, and a body with several faults gets every
refusal at once: in the catalog (wire fields), in the client's ValidationError (the caller's parameters),
in the installed CLI (each flag named, exit 2, nothing sent) and in the sandbox over HTTP (400/1201, 0
creates)."""

from __future__ import annotations

import json
import os
import subprocess
import typing
from pathlib import Path
from typing import Any

import httpx
import pytest

import klingkit
from klingkit import catalog
from klingkit.catalog import kling4
from klingkit.catalog.rules import _kling4 as rules4
from klingkit.catalog.rules import _vocab

from ..installed import klingkit_command

# Flash (3-20 s, 720p only) asked for 25 s at 1080p, a callback, four voices (at most 3), a sticker item, a
# reference without its image, sound kept with no base video, and an @ghost no item names.
FAULTS: dict[str, Any] = {
    "model_name": "kling-4.0-flash",
    "settings": {"duration": 25, "resolution": "1080p", "audio": "original"},
    "options": {"callback_url": "https://example.com/hook"},
    "contents": [
        {"type": "prompt", "text": "@ghost walks"},
        *({"type": "voice", "id": f"v{i}", "voice_id": f"lib{i}"} for i in range(4)),
        {"type": "refer_image"},
        {"type": "sticker"},
    ],
}
FIELDS = [
    "options.callback_url",
    "settings.duration",
    "settings.resolution",
    "contents[6].type",
    "contents",
    "settings.audio",
    "contents[5].url",
    "prompt",
]


def test_each_4_0_route_is_a_table_of_vocabulary_rules() -> None:
    assert set(rules4.TABLES) == set(kling4.ROUTES.values())
    kinds = set(typing.get_args(_vocab.Rule))
    for table in rules4.TABLES.values():
        assert {type(rule) for rule in table} <= kinds


def test_a_4_0_body_with_several_faults_gets_every_refusal_in_order() -> None:
    found = catalog.refusals("omni-video-new", FAULTS)
    assert [r.field for r in found] == FIELDS
    by_field = {r.field: r for r in found}
    assert by_field["contents"].value == "4 voices" and by_field["contents"].allowed == "at most 3 voices"
    assert by_field["settings.duration"].allowed == "an integer 3-20 (seconds) on kling-4.0-flash"
    assert by_field["prompt"].value == "@ghost" and by_field["prompt"].allowed == "@v0, @v1, @v2, @v3"
    # The same rules through the fact module's door, and a body they accept.
    assert [r.field for r in kling4.check("omni-video-new", "kling-4.0-flash", FAULTS)] == FIELDS
    ok = {"contents": [{"type": "prompt", "text": "@v0 sings"}, FAULTS["contents"][1]]}
    assert catalog.refusals("omni-video-new", {"model_name": "kling-4.0-flash", **ok}) == []


def test_the_client_names_every_parameter_the_caller_wrote() -> None:
    with pytest.raises(klingkit.ValidationError) as err:
        klingkit.prepare(
            "omni_video", model="kling-4.0-flash", prompt="@ghost walks", voices=["a1", "b2", "c3", "d4"],
            duration=25, mode="pro", callback_url="https://example.com/hook",
        )  # fmt: skip
    e = err.value
    assert [p.field for p in e.all] == ["callback_url", "duration", "resolution", "voices", "prompt"]
    assert len(str(e).splitlines()) == 5 and "at most 3 voices" in str(e)


def test_the_cli_and_the_sandbox_name_every_fault_and_nothing_is_created(tmp_path: Path) -> None:
    from klingkit.sandbox import Sandbox

    env = {k: v for k, v in os.environ.items() if not k.startswith(("KLING_", "KLINGKIT_"))}
    args = [klingkit_command(), "omni", "@ghost walks", "--model", "kling-4.0-flash", "-d", "25", "-m", "pro"]
    args += [arg for name in "abcd" for arg in ("--voice", f"{name}={name}-voice")]
    with Sandbox(time_scale=0.0) as sb:
        env.update(
            KLINGKIT_HOME=str(tmp_path), KLING_API_KEY=sb.api_key, NO_COLOR="1", XDG_CONFIG_HOME=str(tmp_path)
        )
        runs = [
            subprocess.run(
                [*args, "--base-url", sb.base_url, *more], capture_output=True, text=True, env=env, cwd=tmp_path,
                timeout=60,
            )
            for more in ([], ["--json"], ["--dry-run", "--json"])
        ]  # fmt: skip
        with httpx.Client(base_url=sb.base_url, headers={"Authorization": f"Bearer {sb.api_key}"}) as api:
            body = {k: v for k, v in FAULTS.items() if k != "model_name"}
            answer = api.post("/omni-video/kling-4.0-flash", json=body)
        creates = sb.counters()["creates"]
    text, as_json, dry = runs
    assert [r.returncode for r in runs] == [2, 2, 2], [r.stderr for r in runs]
    assert "4 problems:" in text.stderr and "nothing was sent" in text.stderr
    assert "invalid -d/--duration 25" in text.stderr and "invalid --voice" in text.stderr
    expected = [
        ("duration", "-d/--duration"),
        ("resolution", "-m/--mode"),
        ("voices", "--voice"),
        ("prompt", "-p/--prompt"),
    ]
    for run in (as_json, dry):
        problems = json.loads(run.stdout)["error"]["problems"]
        assert [(p["field"], p["flag"]) for p in problems] == expected
    # The sandbox judges the wire body with the same tables and names every refusal, first one first.
    assert answer.status_code == 400 and answer.json()["code"] == 1201
    message = answer.json()["message"]
    assert all(field in message for field in FIELDS) and message.index(
        "options.callback_url"
    ) < message.index("settings.duration")
    assert creates == 0


def test_an_edit_with_a_bad_duration_hears_both_problems() -> None:
    # The duration is out of range, and an edit takes none at all: fixing only the first would not do.
    body: dict[str, Any] = {"model_name": "kling-4.0", "settings": {"duration": 99}}
    body["contents"] = [
        {"type": "prompt", "text": "x"},
        {"type": "base_video", "url": "https://e.com/in.mp4"},
    ]
    found = [(r.field, r.allowed) for r in catalog.refusals("omni-video-new", body)]
    assert found == [
        ("settings.duration", "an integer 3-30 (seconds) on kling-4.0"),
        ("settings.duration", "absent"),
    ]
