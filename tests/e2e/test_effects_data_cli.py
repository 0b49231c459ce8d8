"""Effect scenes and prices as data, through the installed command against the sandbox over HTTP: the list
with prices, a scene and price added in the user's effects.json (no code) that the client prices and the
server bills alike, and an unknown scene that passes with one warning."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from klingkit.catalog import effect_scenes as effects

pytestmark = pytest.mark.e2e


def test_effects_lists_every_scene_with_its_price(cli: Any) -> None:
    res = cli.run("effects", "--json", base_url=False)
    assert res.code == 0, res.stderr
    out = json.loads(res.stdout)
    rows = {r["scene"]: r for r in out["effects"]}
    assert len(rows) == len(effects.scenes()) and out["data_files"] == [str(effects.PACKAGED)]
    assert (rows["bullet_time"]["units"], rows["hug_pro"]["units"]) == (2.0, 3.5)
    assert rows["hug"]["retired"] and rows["hug"]["instead"] == "hug_pro"


def test_a_scene_added_in_the_users_file_is_priced_and_billed_alike(
    cli: Any, photo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    av = pytest.importorskip("av")
    user = cli.home / "effects.json"  # the CLI's KLINGKIT_HOME
    user.write_text(json.dumps({"scenes": {"aurora_dance": {"images": 1, "units": 2.5}}}))
    monkeypatch.setenv(effects.ENV, str(user))  # the sandbox (this process) reads the same data
    effects.reload()
    listed = json.loads(cli.run("effects", "--json", base_url=False).stdout)
    assert {"scene": "aurora_dance", "units": 2.5, "exact": True}.items() <= next(
        r for r in listed["effects"] if r["scene"] == "aurora_dance"
    ).items()
    res = cli.run("effect", "aurora_dance", "-i", str(photo), "-o", "fx.mp4", "--json")
    assert res.code == 0, res.stderr
    assert "not in klingkit's effect list" not in res.stderr
    out = json.loads(res.stdout)
    assert out["units"] == pytest.approx(2.5)  # what the server billed (final_unit_deduction)
    with av.open(out["files"][0]) as container:
        assert container.streams.video and float(container.duration or 0) > 0
    assert cli.creates() == 1


def test_an_unknown_scene_is_sent_with_one_warning(cli: Any, photo: Path) -> None:
    res = cli.run("effect", "never_listed_scene", "-i", str(photo), "--no-download", "--json")
    assert res.code == 0, res.stderr
    assert res.stderr.count("never_listed_scene is not in klingkit's effect list") == 1
    assert json.loads(res.stdout)["units"] == pytest.approx(2.0) and cli.creates() == 1
