"""The rules are data, read by one interpreter: every route has a rule table, a request with several faults
gets every refusal at once (in the library, the client's ValidationError and the installed CLI, each naming
its field or flag), and no route module states a rule outside the tables.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import typing
from pathlib import Path

import pytest

import klingkit
from klingkit import catalog
from klingkit.catalog import rules
from klingkit.catalog.rules import _vocab

from ..installed import klingkit_command

CATALOG = Path(catalog.__file__).parent
RULE_KINDS = typing.get_args(_vocab.Rule)

# Routes whose rules would still be stated in their own catalog module over the wire body: none left (the
# 2026-H2 routes and Image 4.0 are tables now; Kling 4.0 runs inside the 2026 routes' entries).
WIRE_BODY_ROUTES: set[str] = set()
# Modules that state rules as tables (never a Checks call, a raise or a Refusal of their own).
TABLE_MODULES = [
    "rules/_video.py",
    "rules/_omni.py",
    "rules/_images.py",
    "rules/_audio.py",
    "rules/_recognize.py",
    "rules/_multishot.py",
    "rules/_drive.py",
    "rules/_library.py",
    "rules/_edit.py",
    "rules/_image4.py",
    "rules/_kling4.py",
]
ROUTE_MODULES = ["_routes_video.py", "_routes_media.py", "_routes_h2.py"]
CHECK_CALLS = {
    "fail",
    "one_of",
    "number",
    "integer",
    "text",
    "count",
    "listed",
    "exclusive",
    "xor",
    "known_model",
}


def test_every_route_has_a_rule_table() -> None:
    routes = set(catalog.CONTRACT_ROUTES)
    assert set(rules.TABLES) <= routes
    assert routes - set(rules.TABLES) == WIRE_BODY_ROUTES
    for feature, tables in rules.TABLES.items():
        assert tables and all(tables), feature
        for table in tables:
            kinds = {type(rule) for rule in table}
            assert kinds <= set(RULE_KINDS), (feature, kinds - set(RULE_KINDS))


def _calls_and_raises(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Raise):
            found.append(f"line {node.lineno}: raise")
        elif isinstance(node, ast.Call):
            func = node.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr in CHECK_CALLS
                and isinstance(func.value, ast.Name)
                and func.value.id in ("c", "checks")  # the rule primitives' collector
            ):
                found.append(f"line {node.lineno}: .{func.attr}(")
            if isinstance(func, ast.Name) and func.id == "Refusal":
                found.append(f"line {node.lineno}: Refusal(")
    return found


@pytest.mark.parametrize("module", TABLE_MODULES + ROUTE_MODULES)
def test_converted_modules_state_no_rule_outside_the_data(module: str) -> None:
    assert _calls_and_raises(CATALOG / module) == []


def test_the_scan_sees_a_hand_written_rule(tmp_path: Path) -> None:
    """The scan above fails on what it forbids: the interpreter itself (the one place rules run) has them."""
    found = _calls_and_raises(CATALOG / "rules" / "_interp.py")
    assert any(".fail(" in f for f in found) and any(".one_of(" in f for f in found)
    # A rule planted by hand into Kling 4.0's table module (as the module was before it became tables).
    planted = tmp_path / "_kling4.py"
    source = (CATALOG / "rules" / "_kling4.py").read_text(encoding="utf-8")
    planted.write_text(
        source + "\n\ndef _late(body):\n    if body.get('x'):\n        return [Refusal('x', 1, 'no')]\n"
        "    raise ValueError('x')\n",
        encoding="utf-8",
    )
    assert sorted(f.split(": ")[1] for f in _calls_and_raises(planted)) == ["Refusal(", "raise"]


THREE_FAULTS = {
    "prompt": "x",
    "model_name": "kling-v2-6",
    "duration": 7,
    "cfg_scale": 3,
    "aspect_ratio": "5:4",
}


def test_a_request_with_several_faults_gets_every_refusal() -> None:
    found = catalog.refusals("text2video", THREE_FAULTS)
    assert [r.field for r in found] == ["cfg_scale", "aspect_ratio", "duration"]
    duration = found[2]
    assert duration.value == 7 and "5, 10 on kling-v2-6" in str(duration.allowed)
    assert duration.suggestion == "kling-v3 allows 7"  # the nearest model that allows it
    with pytest.raises(rules.Refusal) as refused:
        catalog.check("text2video", THREE_FAULTS)
    assert refused.value is not None and [r.field for r in refused.value.all] == [r.field for r in found]
    assert catalog.refusals("text2video", {"prompt": "x"}) == []


def test_one_bad_value_is_one_refusal_not_a_cascade() -> None:
    # An unknown mode is refused once; the per-model rules that read the mode (sound, camera) stay silent.
    found = catalog.refusals(
        "text2video", {"prompt": "x", "model_name": "kling-v2-6", "mode": "ultra", "sound": "on"}
    )
    assert [r.field for r in found] == ["mode"]
    # Refusals inside lists name the item; the 2026 routes get all of theirs too.
    omni = {
        "prompt": "x",
        "model_name": "kling-3.0-omni",
        "duration": 7,
        "video_list": [{"video_url": "https://example.com/v.mp4", "refer_type": "sideways"}],
        "negative_prompt": "blur",
    }
    fields = [r.field for r in catalog.refusals("omni-video-new", omni)]
    assert fields == ["negative_prompt", "video_list[0].refer_type"]


def test_the_client_raises_every_problem_in_one_validation_error() -> None:
    with pytest.raises(klingkit.ValidationError) as err:
        klingkit.prepare("text2video", **THREE_FAULTS)
    e = err.value
    assert e.field == "cfg_scale" and [p.field for p in e.all] == ["cfg_scale", "aspect_ratio", "duration"]
    lines = str(e).splitlines()
    assert len(lines) == 3 and all(line.startswith("invalid ") for line in lines)
    assert "kling-v3 allows 7" in lines[2]


def test_the_cli_names_every_bad_flag_at_once_and_sends_nothing(tmp_path: Path) -> None:
    from klingkit.sandbox import Sandbox

    env = {k: v for k, v in os.environ.items() if not k.startswith(("KLING_", "KLINGKIT_"))}
    with Sandbox(time_scale=0.0) as sb:
        env.update(
            KLINGKIT_HOME=str(tmp_path), KLING_API_KEY=sb.api_key, NO_COLOR="1", XDG_CONFIG_HOME=str(tmp_path)
        )
        # Two bad flags for kling-v2-6: 7 s (it makes 5 or 10) and sound in std (pro only).
        cmd = klingkit_command()
        args = [cmd, "video", "a fox", "--model", "kling-v2-6", "-d", "7", "--sound", "-m", "std"]
        args += ["--base-url", sb.base_url]
        text = subprocess.run(args, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
        as_json = subprocess.run(
            [*args, "--json"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60
        )
        creates = sb.counters()["creates"]
    assert text.returncode == 2 and as_json.returncode == 2
    assert "invalid -d/--duration 7" in text.stderr and "invalid --sound" in text.stderr
    assert "nothing was sent" in text.stderr and "kling-v3 allows 7" in text.stderr
    error = json.loads(as_json.stdout)["error"]
    assert [(p["field"], p["flag"]) for p in error["problems"]] == [
        ("duration", "-d/--duration"),
        ("sound", "--sound"),
    ]
    assert creates == 0


def test_media_routes_report_every_refusal_too() -> None:
    image = {"prompt": "x", "n": 0, "aspect_ratio": "5:4", "resolution": "8k", "image_fidelity": 2}
    assert [r.field for r in catalog.refusals("images/generations", image)] == [
        "n",
        "image_fidelity",
        "resolution",
        "aspect_ratio",
    ]
    face = {
        "face_id": "0",
        "audio_id": "a",
        "sound_start_time": 0,
        "sound_end_time": 3000,
        "sound_insert_time": 0,
    }
    faces = [
        {**face, "face_id": "", "sound_end_time": 1000, "sound_volume": 9}
    ]  # one face (the catalog's limit)
    found = catalog.refusals("advanced-lip-sync", {"session_id": "s", "face_choose": faces})
    assert [r.field for r in found] == [
        "face_choose[0].face_id",
        "face_choose[0].sound_end_time",
        "face_choose[0].sound_volume",
    ]
    lip = {"video_id": "v", "video_url": "u", "mode": "text2video", "voice_language": "fr", "audio_url": "x"}
    assert [r.field for r in catalog.refusals("lip-sync", lip)] == [
        "video_url",
        "text",
        "voice_language",
        "voice_id",
        "audio_url",
    ]


def test_images_that_are_not_a_list_are_refused_not_a_crash() -> None:
    # A fuzzed body once crashed the effects table (len() of a number) instead of naming the field.
    for scene in ("firework", "hug_pro"):  # a single-image scene and a dual-image one
        found = catalog.refusals("effects", {"effect_scene": scene, "images": 3.5})
        assert found and (found[0].field, found[0].value) == ("images", 3.5)


def test_a_reference_video_that_is_not_an_object_is_refused_not_a_crash() -> None:
    # The client's body builder copied each video_list item as an object (a TypeError on a number).
    params = {"prompt": "a fox", "model_name": "kling-v3-omni", "video_list": [1]}
    assert [(r.field, r.value) for r in catalog.refusals("omni-video", params)] == [("video_list[0]", 1)]
    with pytest.raises(klingkit.ValidationError) as err:
        klingkit.prepare("omni_video", **params)
    assert err.value.field == "video_list[0]"
