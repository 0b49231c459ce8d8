"""A parameter a route does not document is refused before sending under the catalog's
``undocumented-field`` policy, on every route: the 2026-H2 builders (``_requests_more``), Image 4.0 and
Kling 4.0 as on the older routes. The policy is what lets the agreement suite tell this deliberate
difference (a server ignores the field) from a drift, so the error must carry it, not just its wording.
"""

from __future__ import annotations

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
