"""One refusal type in the catalog: the old routes' rules and the 2026-H2 modules' wire-body rules refuse
with the same ``catalog.rules.Refusal`` (field, value, allowed, suggestion, policy), so the client turns
every refusal into a ``ValidationError`` the same way and the sandbox words every 400/1201 the same way.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

import klingkit
from klingkit import catalog
from klingkit.catalog import edit, kling4, library, multishot, rules
from klingkit.sandbox import Sandbox

CATALOG = Path(catalog.__file__).parent


def test_the_catalog_defines_one_refusal_class() -> None:
    defined = [
        path.relative_to(CATALOG).as_posix()
        for path in CATALOG.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef) and "Refusal" in node.name
    ]
    assert defined == ["_refusal.py"]
    assert kling4.Refusal is rules.Refusal


# One bad body per wire-body rule set, and the field its first refusal must name.
BAD_BODIES: list[tuple[str, Callable[[], list[Any]], str]] = [
    (
        "image4",
        lambda: catalog.refusals(
            "omni-image-new", {"model_name": "kling-image-4.0", "contents": [], "settings": {"n": 99}}
        ),
        "contents",
    ),
    (
        "kling4",
        lambda: kling4.check("text-to-video", "kling-4.0", {"prompt": "x", "settings": "no"}),
        "settings",
    ),
    ("avatar", lambda: catalog.refusals("avatar", {"image": "x", "mode": "ultra"}), "audio_id/sound_file"),
    (
        "motion",
        lambda: catalog.refusals("motion-control", {"model_name": "kling-v2-6", "image_url": 3}),
        "image_url",
    ),
    ("edit", lambda: catalog.refusals("multi-elements", {"model_name": "kling-v9"}), "model_name"),
    (
        "points",
        lambda: edit.check_points({"session_id": "s", "frame_index": -1, "points": []}),
        "frame_index",
    ),
    ("element", lambda: catalog.refusals("custom-elements", {"name": "", "element_type": "x"}), "name"),
    ("voice", lambda: catalog.refusals("custom-voices", {"name": "n"}), "audio_url/audio_file"),
    ("delete", lambda: library.check_delete({"element_ids": []}, "element_ids"), "element_ids"),
    ("recognize", lambda: catalog.refusals("image-recognize", {"type": "sky"}), "image"),
    ("multishot", lambda: catalog.refusals("ai-multi-shot", {}), multishot.IMAGE_FIELD),
]


@pytest.mark.parametrize(("name", "run", "field"), BAD_BODIES, ids=[b[0] for b in BAD_BODIES])
def test_every_wire_body_rule_refuses_with_the_one_type(
    name: str, run: Callable[[], list[Any]], field: str
) -> None:
    refusals = run()
    assert refusals, name
    assert all(type(r) is rules.Refusal for r in refusals)
    first = refusals[0]
    assert first.field == field
    assert str(first).startswith(f"invalid {field}=")  # the one wording the client and the sandbox show
    assert isinstance(first.suggestion, str) and isinstance(first.policy, str)


def test_a_suggestion_travels_from_an_h2_rule_to_the_callers_error() -> None:
    """The plain-words reason a 2026-H2 rule gives (it was ``why`` in the old wire type) reaches the
    ValidationError as its suggestion, through catalog.check and klingkit.prepare alike."""
    body = {"model_name": "kling-v1-6", "session_id": "s", "edit_mode": "swap", "image_list": []}
    with pytest.raises(rules.Refusal) as refused:
        catalog.check("multi-elements", body)
    assert refused.value.field == "image_list"
    assert refused.value.suggestion == "swap puts an image's subject in"
    assert str(refused.value).endswith("; swap puts an image's subject in")
    with pytest.raises(klingkit.ValidationError) as error:
        klingkit.prepare("recognize", image=None, type="sky")
    assert error.value.field in ("image", "type")


def test_the_sandbox_words_an_h2_refusal_like_any_other() -> None:
    with Sandbox(time_scale=0.0) as sb:
        api = httpx.Client(base_url=sb.base_url, headers={"Authorization": f"Bearer {sb.api_key}"})
        with api:
            answer = api.post(catalog.endpoint("image-recognize").path, json={"image": "", "type": "sky"})
            legacy = api.post(
                "/v1/videos/text2video", json={"prompt": "x", "model_name": "kling-v1", "mode": "max"}
            )
    assert answer.status_code == legacy.status_code == 400
    assert answer.json()["code"] == legacy.json()["code"] == 1201
    assert answer.json()["message"].startswith("invalid image=")
    assert "invalid mode='max'" in legacy.json()["message"]
