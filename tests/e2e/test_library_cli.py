"""The installed ``klingkit elements create|list|delete``: an element made from an image is listed, its id
works in ``klingkit omni --element``, and deleting it takes it off the list."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e


def test_element_lifecycle(cli: Any, photo: Path) -> None:
    made = cli.run("elements", "create", "Hero", "-i", str(photo), "--type", "character", "--json").ok()
    [output] = made["outputs"]
    assert output["kind"] == "element" and made["status"] == "succeeded"
    element_id = output["id"]
    listed = cli.run("elements", "list", "--json").ok()["elements"]
    assert {e["source"] for e in listed} == {"preset", "custom"}
    assert [e["id"] for e in listed if e["source"] == "custom"] == [element_id]
    video = cli.run("omni", "@hero waves", "--element", f"hero={element_id}", "-d", "3", "--no-download",
                    "--json").ok()  # fmt: skip
    assert video["status"] == "succeeded"
    assert cli.run("elements", "delete", element_id, "--json").ok()["deleted"] == [element_id]
    assert cli.run("elements", "list", "--custom", "--json").ok()["elements"] == []
    creates = cli.creates()
    gone = cli.run("omni", "@hero waves", "--element", f"hero={element_id}", "-d", "3", "--json")
    assert (
        gone.code == 2
        and f"element {element_id} does not exist" in json.loads(gone.stdout)["error"]["message"]
    )
    assert cli.creates() == creates


def test_an_unknown_element_id_is_sent_and_refused_by_kling(cli: Any) -> None:
    # The client's policy (catalog.library.UNKNOWN_IDS): an id it does not know is sent as given; Kling
    # (here the sandbox) refuses it, naming the field and the id, and nothing is created or charged.
    sent, creates = cli.sandbox.counters()["requests"].get("POST /omni-video/kling-4.0", 0), cli.creates()
    res = cli.run("omni", "@hero waves", "--element", "hero=8812", "-d", "3", "--json")
    assert res.code == 2, (res.stdout, res.stderr)
    error = json.loads(res.stdout)["error"]
    assert error["code"] == 1201 and "contents[1].element_id: element 8812 does not exist" in error["message"]
    assert cli.sandbox.counters()["requests"]["POST /omni-video/kling-4.0"] == sent + 1
    assert cli.creates() == creates


def test_create_refuses_before_sending(cli: Any) -> None:
    res = cli.run("elements", "create", "x" * 21, "-i", "https://example.com/a.png", "--json")
    assert res.code != 0 and "name" in json.loads(res.stdout)["error"]["message"]
    assert cli.creates() == 0


def test_voice_lifecycle_joins_the_voices_group(cli: Any) -> None:
    import wave

    sample = cli.cwd / "sample.wav"
    with wave.open(str(sample), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"\0\0" * 16000 * 8)
    made = cli.run("voices", "create", "Narrator", "--audio", str(sample), "-o", "voice", "--json").ok()
    [output] = made["outputs"]
    assert output["kind"] == "voice" and made["files"]  # the sample is saved like any output
    custom = cli.run("voices", "custom", "--json").ok()["voices"]
    assert [v["id"] for v in custom] == [output["id"]]
    assert cli.run("voices", "delete", output["id"], "--json").ok()["deleted"] == [output["id"]]
    presets = cli.run("voices", "--json", base_url=False).ok()["voices"]
    assert presets  # the group's own listing still works
