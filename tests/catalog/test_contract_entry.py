"""One entry to the contract: ``catalog.check`` and ``catalog.price`` are the only way the client and the
sandbox reach a route's rules and its price, so neither can dispatch per route or add up a price itself.

The source scan is the promise (a builder or a planner that calls a route rule or a price table directly
fails it); the rest shows what the entry gives: the client's estimate is its price, and what only a server
knows (``catalog.Known``) turns the estimate into the charge, with refusals under the server-state policy.
"""

from __future__ import annotations

import ast
import warnings
from pathlib import Path
from typing import Any

import pytest

import klingkit
from klingkit import catalog
from klingkit.catalog import rules

SRC = Path(klingkit.__file__).parent
PRIMITIVES = {"Checks", "Refusal", "as_bool", "as_duration", "as_mode", "given", "page", "omni_new_model"}
ROUTE_RULES = set(rules.__all__) - PRIMITIVES
PRICE_TABLES = {
    "video_price",
    "new_video_price",
    "flat_price",
    "image_price",
    "FLAT_PRICES",
    "NEW_ONLY_PRICES",
    "PRICES",
    "prices",
}


# Routes whose rules live in their own catalog module: their create checks and prices are reached only
# through catalog.check (selection steps and deletes, which are not creates, keep their own checks).
ROUTE_MODULE_ENTRIES = {
    "kling4": ("check", "measure"),
    "image4": ("check",),
    "recognize": ("check",),
    "multishot": ("check",),
}
# The names the source uses for the catalog, its rules and the client's reading of them (_validation).
CATALOG_ALIASES = {"catalog", "C", "facts", "rules", "V", "kling4"}


def _names_used(path: Path) -> set[str]:
    """Route rules and price tables ``path`` reaches through the catalog (``catalog.video_price``,
    ``V.legacy_video``, ``from klingkit.catalog.rules import omni_video``...)."""
    used: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id in CATALOG_ALIASES:
                used.add(node.attr)
            if node.attr in ROUTE_MODULE_ENTRIES.get(node.value.id, ()):
                used.add(f"{node.value.id}.{node.attr}")  # these routes go through catalog.check too
        elif isinstance(node, ast.ImportFrom) and (node.module or "").endswith(
            ("catalog", "catalog.rules", "_validation")
        ):
            used.update(alias.name for alias in node.names)
    return used


def test_outside_the_catalog_nothing_runs_a_route_rule_or_reads_a_price_table() -> None:
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        if path.is_relative_to(SRC / "catalog"):
            continue
        entries = {f"{m}.{name}" for m, names in ROUTE_MODULE_ENTRIES.items() for name in names}
        bad = _names_used(path) & (ROUTE_RULES | PRICE_TABLES | entries)
        if bad:
            offenders.append(f"{path.relative_to(SRC)}: {sorted(bad)}")
    assert offenders == [], "use catalog.check/catalog.price instead:\n" + "\n".join(offenders)


def test_every_create_route_the_client_builds_has_an_entry() -> None:
    from klingkit._prepare import features

    assert set(features()) <= set(catalog.CONTRACT_ROUTES)
    with pytest.raises(rules.Refusal) as refused:
        catalog.check("text2vidoe", {"prompt": "x"})
    assert refused.value.field == "feature" and "text2video" in str(refused.value)


PNG = "https://example.com/a.png"
CASES: list[tuple[str, dict[str, Any]]] = [
    (
        "text2video",
        {"prompt": "x", "model_name": "kling-v2-6", "mode": "pro", "duration": "10", "sound": "on"},
    ),
    ("image2video", {"image": PNG, "model_name": "kling-v1-6", "mode": "std"}),
    ("omni-video", {"prompt": "x", "model_name": "kling-video-o1", "duration": "10"}),
    ("multi-image2video", {"prompt": "x", "image_list": [{"image": PNG}, {"image": PNG}]}),
    ("images/generations", {"prompt": "x", "model_name": "kling-v2-1", "n": 3}),
    ("omni-image", {"prompt": "x", "n": 2}),
    (
        "editing/expand",
        {"image": PNG, **{f"{s}_expansion_ratio": 0.25 for s in ("up", "down", "left", "right")}, "n": 2},
    ),
    ("text-to-audio", {"prompt": "rain", "duration": 4.5}),
    ("tts", {"text": "hello", "voice_id": "genshin_vindi2", "voice_language": "zh"}),
]


@pytest.mark.parametrize(("feature", "params"), CASES, ids=[c[0] for c in CASES])
def test_the_client_estimate_is_the_contract_price(feature: str, params: dict[str, Any]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        spec = klingkit.prepare(feature, **params)
    assert spec.estimate == catalog.price(feature, params)
    assert spec.estimate.units > 0


def test_what_only_a_server_knows_turns_the_estimate_into_the_charge() -> None:
    extend = {"video_id": "v1"}
    guess = catalog.price("video-extend", extend)
    assert not guess.exact and guess.units == max(
        catalog.FLAT_PRICES["extend_std"], catalog.FLAT_PRICES["extend_pro"]
    )
    std = catalog.price("video-extend", extend, known=catalog.Known(5.0, "kling-v1-6", "std"))
    assert std.exact and std.units == catalog.FLAT_PRICES["extend_std"] <= guess.units
    with pytest.raises(rules.Refusal) as refused:
        catalog.check("video-extend", extend, known=catalog.Known(5.0, "kling-v2-6", "pro"))
    assert refused.value.policy == catalog.SERVER_STATE and refused.value.field == "video_id"

    lip = {"video_id": "v1", "mode": "text2video", "text": "hi", "voice_id": "genshin_vindi2"}
    assert not catalog.price("lip-sync", lip).exact
    charged = catalog.price("lip-sync", lip, known=catalog.Known(7.0))
    assert charged.exact and charged.units == 2 * catalog.FLAT_PRICES["lip_sync_per_5s"]
    assert charged.units <= catalog.price("lip-sync", lip).units  # 10 s (the classic maximum) is quoted

    series = {"prompt": "x", "result_type": "series"}
    quoted = catalog.check("omni-image", series)
    assert quoted.count is None and not quoted.estimate.exact
    billed = catalog.check("omni-image", series, known=catalog.Known(series_count=4))
    assert billed.count == 4 and billed.estimate.units < quoted.estimate.units


def test_the_sandbox_names_the_2026_fields_as_sent() -> None:
    """The contract reads flat fields; a refusal on a 2026 route names the nested wire field."""
    sandbox = pytest.importorskip("klingkit.sandbox")
    import httpx

    with sandbox.Sandbox(time_scale=0.0) as sb, httpx.Client(base_url=sb.base_url) as api:
        headers = {"Authorization": f"Bearer {sb.api_key}"}
        body = {"prompt": "x", "settings": {"duration": 7}}
        got = api.post("/text-to-video/kling-2.6", json=body, headers=headers)
        assert got.status_code == 400 and got.json()["code"] == 1201
        assert "settings.duration" in got.json()["message"]
        assert sb.counters()["creates"] == 0


def test_kling_4_goes_through_the_same_entry() -> None:
    body = {"prompt": "a fox", "settings": {"duration": 10, "resolution": "1080p"}, "model_name": "kling-v4"}
    ok = catalog.check("text-to-video", body)
    assert (ok.model, ok.duration, ok.resolution) == ("kling-4.0", 10.0, "1080p")
    assert not ok.estimate.exact and ok.estimate.units > 0  # reseller prices: never claimed exact
    with pytest.raises(rules.Refusal) as refused:
        catalog.check("text-to-video", {**body, "options": {"callback_url": "https://example.com/cb"}})
    assert refused.value.field == "options.callback_url"
    with pytest.raises(rules.Refusal) as too_long:
        catalog.check("text-to-video", {**body, "settings": {"duration": 31}})
    assert too_long.value.field.endswith("duration")


def test_an_advanced_lip_sync_past_the_video_end_is_a_server_state_refusal() -> None:
    face = {"face_id": "0", "audio_id": "a1", "sound_start_time": 0, "sound_end_time": 3000}
    params = {"session_id": "s", "face_choose": [{**face, "sound_insert_time": 3000}]}
    assert not catalog.price("advanced-lip-sync", params).exact  # a client cannot see the session
    with pytest.raises(rules.Refusal) as past:
        catalog.check("advanced-lip-sync", params, known=catalog.Known(5.0, face_ids=("0",)))
    assert past.value.policy == catalog.SERVER_STATE and "runs past the end" in str(past.value)
    with pytest.raises(rules.Refusal) as stranger:
        catalog.check("advanced-lip-sync", params, known=catalog.Known(10.0, face_ids=("1",)))
    assert stranger.value.field == "face_choose[0].face_id"
    charged = catalog.price("advanced-lip-sync", params, known=catalog.Known(10.0, face_ids=("0",)))
    assert charged.exact and charged.units == 2 * catalog.FLAT_PRICES["lip_sync_per_5s"]
