"""Prices as rows: every create route has one price row, read by one pricer; the route entries add up no
price themselves and the rows retype no rate (the scans below, each shown to catch an offender); the two
pricing policies (an unknown model, an unknown quantity) behave as stated; a new model's row changes the
price without code. The figures against the sandbox's bills are in ``tests/contract/test_price_rows.py``."""

from __future__ import annotations

import ast
import warnings
from dataclasses import replace
from pathlib import Path

import pytest

import klingkit
from klingkit import catalog
from klingkit.catalog import prices
from klingkit.catalog.prices import _vocab
from klingkit.catalog.prices._rows import UNKNOWN_IMAGE, UNKNOWN_VIDEO

CATALOG = Path(catalog.__file__).parent
ROUTE_FILES = sorted(CATALOG.glob("_routes_*.py"))
KINDS = (_vocab.Flat, _vocab.PerSecond, _vocab.PerItem, _vocab.PerBlock, _vocab.Choose, _vocab.Like)
# What a route entry must not read: the rates and the old price helpers (the pricer reads them).
PRICE_NAMES = {
    "Estimate",
    "flat_price",
    "video_price",
    "new_video_price",
    "image_price",
    "FLAT_PRICES",
    "NEW_ONLY_PRICES",
    "UNITS",
    "VOICE_UNITS",
    "ELEMENT_UNITS",
    "UNITS_PER_SECOND",
    "UNITS_PER_IMAGE",
    "AVATAR_UNITS_PER_SECOND",
    "usd_per_second",
    "usd_per_second_video_in",
    "units_per_second",
    "price_t2i",
    "price_i2i",
    "price_multi",
    "price_4k",
    "units",
}


def test_every_create_route_has_one_price_row() -> None:
    assert set(prices.PRICES) == set(catalog.ENDPOINTS) == set(catalog.CONTRACT_ROUTES)
    assert all(isinstance(row, KINDS) for row in prices.PRICES.values())


def _price_reads(source: str) -> set[str]:
    """Rates and price helpers a route module reads by name (``FLAT_PRICES``, ``x.units``, ``Estimate``)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name) and node.id in PRICE_NAMES:
            found.add(node.id)
        elif isinstance(node, ast.Attribute) and node.attr in PRICE_NAMES:
            found.add(node.attr)
        elif isinstance(node, ast.alias) and node.name in PRICE_NAMES:
            found.add(node.name)
    return found


@pytest.mark.parametrize("path", ROUTE_FILES, ids=lambda p: p.name)
def test_route_entries_price_only_through_the_pricer(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert _price_reads(source) == set(), f"{path.name} adds up a price itself; state it in catalog.prices"
    assert "price(" in source


def test_the_route_scan_catches_a_hand_made_price() -> None:
    offender = (
        "def _tts(p, c, k):\n    return Checked('tts', Estimate.of(C.FLAT_PRICES['tts'], 'audio', ''))\n"
    )
    assert _price_reads(offender) == {"Estimate", "FLAT_PRICES"}
    assert _price_reads("est = price('tts', Facts(seconds=scene.units))") == {"units"}


def _typed_numbers(source: str) -> list[object]:
    """Numbers written in a rows module other than an index (``AMOUNT[1]``) or the ``or 0.0`` of a
    quantity a route always gives: a rate typed here instead of read from the catalog's data."""
    tree = ast.parse(source)
    indices = {id(n.slice) for n in ast.walk(tree) if isinstance(n, ast.Subscript)}
    return [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant)
        and isinstance(n.value, (int, float))
        and not isinstance(n.value, bool)
        and id(n) not in indices
        and n.value != 0
    ]


def test_the_price_rows_retype_no_rate() -> None:
    rows = (CATALOG / "prices" / "_rows.py").read_text(encoding="utf-8")
    assert _typed_numbers(rows) == []
    assert _typed_numbers("TTS = Flat(0.05, 'text-to-speech')\nX = AMOUNT[1]") == [0.05]


def test_an_unknown_model_is_priced_by_the_stated_policy_never_exact() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        video = klingkit.prepare("text2video", model="kling-v99", prompt="x", duration=10).estimate
        image = klingkit.prepare("images/generations", model="kling-img-99", prompt="x", n=3).estimate
    per_second, per_image = (
        catalog.UNKNOWN_MODEL_PRICES["per second"],
        catalog.UNKNOWN_MODEL_PRICES["per image"],
    )
    assert (video.units, video.exact) == (per_second * 10, False) and "kling-v99" in video.basis
    assert (image.units, image.exact) == (per_image * 3, False) and "kling-img-99" in image.basis
    # One statement of the policy: every row that reads a model row falls back to one of these two.
    readers = [
        prices.PRICES[r] for r in ("text2video", "omni-video", "images/generations", "multi-image2image")
    ]
    assert [row.unknown_model for row in readers] == [
        UNKNOWN_VIDEO,
        UNKNOWN_VIDEO,
        UNKNOWN_IMAGE,
        UNKNOWN_IMAGE,
    ]


def test_an_unknown_quantity_is_quoted_at_its_most_and_a_known_one_exactly() -> None:
    rate = catalog.drive.AVATAR_UNITS_PER_SECOND["pro"]
    body = {"image": "https://e.com/a.png", "audio_id": "a1", "mode": "pro"}
    guess = catalog.price("avatar", body)
    known = catalog.price("avatar", body, known=catalog.Known(media_seconds=12.5))
    assert (guess.units, guess.exact) == (rate * catalog.drive.AVATAR_AUDIO_SECONDS[1], False)
    assert (known.units, known.exact) == (rate * 12.5, True)
    series = catalog.price("omni-image", {"prompt": "x", "result_type": "series"})
    made = catalog.price(
        "omni-image", {"prompt": "x", "result_type": "series"}, known=catalog.Known(series_count=4)
    )
    assert series.units == 9 * made.units / 4 and not series.exact and made.exact
    assert series.basis.endswith(f"at most {catalog.OMNI_SERIES_AMOUNT[1]} images")


def test_a_new_model_is_a_new_row_not_new_code() -> None:
    v3 = catalog.video_model("kling-v3")
    assert v3 is not None
    newer = replace(v3, name="kling-v9", price={"silent": {"pro": 1.5}, "audio": {"pro": 2.5}})
    est = prices.price("text2video", prices.Facts("kling-v9", newer, "pro", "audio", seconds=4))
    assert (est.units, est.exact, est.basis) == (10.0, True, "kling-v9 pro audio: 2.5 units/s")
    # A variant the row lacks is read at its silent prices and marked inexact (never under its own table).
    voice = prices.price("text2video", prices.Facts("kling-v9", newer, "pro", "voice", seconds=4))
    assert (voice.units, voice.exact) == (6.0, False)


def test_dollar_rows_convert_to_the_packs_units() -> None:
    row = catalog.kling4.MODELS["kling-4.0"]
    facts = prices.Facts(row.name, row, resolution="1080p", seconds=10)
    est = prices.price("text-to-video", facts)
    assert est.units == round(row.usd_per_second["1080p"] * 10 / catalog.USD_PER_UNIT["video"], 4)
    assert est.usd == pytest.approx(row.usd_per_second["1080p"] * 10, abs=1e-3) and not est.exact
