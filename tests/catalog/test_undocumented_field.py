"""A parameter a route does not document is refused before sending under the catalog's
``undocumented-field`` policy, on every route: the 2026-H2 builders (``_requests_more``), Image 4.0 and
Kling 4.0 as on the older routes. The policy is what lets the agreement suite tell this deliberate
difference (a server ignores the field) from a drift, so the error must carry it, not just its wording.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import klingkit
from klingkit import catalog
from klingkit._requests_more import BUILDERS

IMG = "https://example.com/face.png"
AUDIO = "https://example.com/voice.mp3"
VIDEO = "https://example.com/dance.mp4"

# A request each route accepts, so the only thing wrong is the extra parameter.
VALID: dict[str, tuple[str, dict[str, Any]]] = {
    "avatar": ("avatar", {"image": IMG, "sound_file": AUDIO}),
    "motion-control": ("motion_control", {"image": IMG, "video": VIDEO}),
    "custom-elements": ("create_element", {"name": "Hero", "images": [IMG], "element_type": "character"}),
    "custom-voices": ("create_voice", {"name": "Narrator", "audio": AUDIO}),
    "image-recognize": ("recognize", {"image": IMG, "type": catalog.recognize.KINDS[0]}),
    "multi-elements": ("multi-elements", {"session_id": "s1", "edit_mode": "removal"}),
    "ai-multi-shot": ("ai_multi_shot", {"image": IMG}),
    "Image 4.0": ("omni_image", {"model_name": "kling-image-4.0", "prompt": "x"}),
    "Kling 4.0": ("omni_video", {"model_name": "kling-4.0", "prompt": "x", "refer_images": [IMG]}),
    "legacy text2video": ("text2video", {"prompt": "x", "model_name": "kling-v2-6"}),
}


def test_every_builder_of_the_late_routes_is_covered() -> None:
    assert set(BUILDERS) <= set(VALID)


@pytest.mark.parametrize("route", list(VALID))
def test_an_undocumented_parameter_is_refused_under_the_policy(route: str) -> None:
    feature, params = VALID[route]
    klingkit.prepare(feature, **params)  # accepted as it is
    with pytest.raises(klingkit.ValidationError) as info:
        klingkit.prepare(feature, **params, colour="red")
    err = info.value
    assert err.field == "colour"
    assert err.policy == catalog.UNDOCUMENTED_FIELD and err.policy in catalog.POLICIES
    assert "the parameters of" in str(err)  # and it lists what the route takes


@pytest.mark.parametrize("route", ["avatar", "ai-multi-shot", "Image 4.0", "Kling 4.0"])
def test_a_misspelt_parameter_gets_the_nearest_name_and_its_value_is_not_echoed(route: str) -> None:
    feature, params = VALID[route]
    name = sorted(params)[-1]
    secret = "sk-not-to-be-shown"
    typo = {**params, name[:-1] + name[-1] * 2: secret}
    del typo[name]
    with pytest.raises(klingkit.ValidationError) as info:
        klingkit.prepare(feature, **typo)
    assert info.value.suggestion == f"did you mean {name!r}?"
    assert info.value.policy == catalog.UNDOCUMENTED_FIELD
    assert secret not in str(info.value)


def test_an_undocumented_value_never_reaches_an_error_its_message_or_the_log(tmp_path: Path) -> None:
    """A 1 MB base64 blob or a key given under a name the route does not take: the error names every such
    parameter (the route's own refusal in ``klingkit.prepare`` included) and shows none of the values,
    not in the error, not in what a program prints, not in the debug log."""
    blob = base64.b64encode(os.urandom(768 * 1024)).decode()  # 1 MiB of base64
    key = "sk-live-" + "7f3a9c" * 6
    with pytest.raises(klingkit.ValidationError) as info:
        klingkit.prepare("text2video", prompt="a fox", colour=blob, api_key=key)
    err = info.value
    assert [e.field for e in err.all] == ["api_key", "colour"]
    assert all(e.policy == catalog.UNDOCUMENTED_FIELD for e in err.all)
    shown = [str(err), repr(err), *(repr(e.value) for e in err.all), *(str(e) for e in err.all)]
    assert not any(blob[:64] in s or key in s for s in shown)
    # A program that logs at debug and prints the error: neither value in its output.
    script = (
        "import json, sys, klingkit\n"
        "p = json.load(open(sys.argv[1]))\n"
        "try:\n"
        "    klingkit.prepare('text2video', prompt='a fox', **p)\n"
        "except klingkit.ValidationError as e:\n"
        "    print(e); print(repr(e)); print([x.value for x in e.all])\n"
    )
    (tmp_path / "p.json").write_text(json.dumps({"colour": blob, "api_key": key}))
    env = {**os.environ, "KLINGKIT_LOG": "debug"}
    run = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "p.json")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert run.returncode == 0 and "invalid api_key" in run.stdout and "invalid colour" in run.stdout
    assert blob[:64] not in run.stdout + run.stderr and key not in run.stdout + run.stderr
