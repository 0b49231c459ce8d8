"""The installed command shows the price rows' figures: ``--dry-run`` and ``klingkit cost`` print exactly
what the one pricer gives for the request's facts (units, dollars, pack, exact, basis) and send nothing;
a real run is billed by the sandbox, over HTTP, what the dry run quoted; ``klingkit models`` quotes its
try-on price from the row."""

from __future__ import annotations

import wave
from typing import Any

import httpx
import pytest

from klingkit import catalog
from klingkit.catalog import prices
from klingkit.catalog.prices import Facts

pytestmark = pytest.mark.e2e


def _shown(est: catalog.Estimate) -> dict[str, Any]:
    return {"units": est.units, "usd": est.usd, "pack": est.pack, "exact": est.exact, "basis": est.basis}


KLING4 = catalog.kling4.MODELS["kling-4.0"]
QUOTES = {
    "video (per second of a model row)": (
        ["video", "a fox", "--model", "kling-v3", "-m", "pro", "-d", "10", "--sound"],
        "text2video",
        Facts("kling-v3", catalog.video_model("kling-v3"), "pro", "audio", seconds=10.0),
    ),
    "image (per image)": (
        ["image", "a fox", "--model", "kling-v2", "-n", "3"],
        "images/generations",
        Facts("kling-v2", catalog.image_model("kling-v2"), count=3, facts={"kind": "t2i"}),
    ),
    "omni (a 4.0 model's dollar rows)": (
        ["omni", "a fox", "--model", "kling-4.0", "-m", "pro", "-d", "10"],
        "omni-video-new",
        Facts(KLING4.name, KLING4, resolution="1080p", seconds=10.0),
    ),
}


@pytest.mark.parametrize("name", list(QUOTES))
def test_cost_and_dry_run_show_the_pricers_figures_and_send_nothing(cli: Any, name: str) -> None:
    args, route, facts = QUOTES[name]
    expected = _shown(prices.price(route, facts))
    runs = [cli.run(*args, "--dry-run", "--json")]
    if args[0] in ("video", "image"):  # `cost` prices the classic commands; the others by --dry-run
        runs.append(cli.run("cost", *args, "--json"))
    for run in runs:
        out = run.ok()
        assert out["feature"] == route and out["estimate"] == expected
        assert (out["units"], out["usd"]) == (expected["units"], expected["usd"])
    assert cli.creates() == 0 and not cli.sandbox.counters()["requests"]


def _billed(cli: Any, task_id: str) -> float:
    """What the sandbox deducted for ``task_id`` (its billing export, over HTTP)."""
    headers = {"Authorization": f"Bearer {cli.sandbox.api_key}"}
    with httpx.Client(base_url=cli.sandbox.base_url, headers=headers) as api:
        rows = api.post("/account/billing/package", json={}).json()["data"]["result"]["detail"]
    [amount] = [float(r["deduction_amount"]) for r in rows if r["task_id"] == task_id]
    return amount


def test_an_avatar_is_billed_what_its_dry_run_quoted_from_the_audios_length(cli: Any) -> None:
    from PIL import Image

    Image.new("RGB", (512, 512), (100, 120, 140)).save(cli.cwd / "face.png")
    with wave.open(str(cli.cwd / "speech.wav"), "wb") as w:  # 3.0 s of silence
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(16000)
        w.writeframes(b"\x00\x00" * 16000 * 3)
    args = ["avatar", "-i", "face.png", "--audio", "speech.wav", "-m", "pro"]
    quoted = cli.run(*args, "--dry-run", "--json").ok()["estimate"]
    assert quoted == _shown(prices.price("avatar", Facts(mode="pro", seconds=3.0))) and quoted["exact"]
    assert cli.creates() == 0
    done = cli.run(*args, "-o", "talk.mp4", "--json").ok()
    assert cli.creates() == 1 and _billed(cli, done["task_id"]) == pytest.approx(quoted["units"], abs=1e-4)


def test_models_quotes_the_try_on_price_from_its_row(cli: Any) -> None:
    out = cli.run("models", "--kind", "image", "--json", base_url=False).ok()
    tryon = [m for m in out["image"] if m.get("route") == "kolors-virtual-try-on"]
    one = prices.price("kolors-virtual-try-on", Facts()).units
    assert tryon and all(m["price_image"] == one for m in tryon)
    assert not cli.sandbox.counters()["requests"]
