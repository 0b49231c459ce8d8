"""Try-On 3.0's options through the installed command against the sandbox over HTTP: a keep option chooses
the solution route (it was dropped on the legacy route before), the settings reach the server and change
the picture, and the defaults come from the catalog's data."""

from __future__ import annotations

import json
from typing import Any

import pytest

from klingkit import catalog, prepare

pytestmark = pytest.mark.e2e


def _person_and_garment(cli: Any) -> tuple[str, str]:
    from PIL import Image

    Image.new("RGB", (768, 1024), (30, 60, 90)).save(cli.cwd / "person.png")
    Image.new("RGB", (768, 1024), (200, 40, 40)).save(cli.cwd / "shirt.png")
    return "person.png", "shirt.png"


def _pixels(path: str) -> bytes:
    from PIL import Image

    with Image.open(path) as img:
        return img.convert("RGB").tobytes()


def test_a_keep_option_chooses_the_solution_route_and_changes_the_result(cli: Any) -> None:
    person, shirt = _person_and_garment(cli)
    runs = {}
    for name, extra in (("default", ["--solution"]), ("no_bg", ["--no-keep-background"])):
        res = cli.run("tryon", "--person", person, "--garment", shirt, *extra, "-o", f"{name}.png", "--json")
        assert res.code == 0, res.stderr
        out = json.loads(res.stdout)
        assert out["feature"] == "virtual_try_on" and out["units"] == catalog.flat_price("tryon_per_image")
        runs[name] = _pixels(out["files"][0])
    assert runs["default"] != runs["no_bg"]  # the server applied keep_background=false
    requests = cli.sandbox.counters()["requests"]
    assert (
        requests["POST /solutions/virtual_try_on"] == 2
        and "POST /v1/images/kolors-virtual-try-on" not in requests
    )


def test_the_settings_body_and_the_defaults_are_the_catalogs() -> None:
    spec = prepare("try_on", person_image="https://e.com/p.png", product_image="https://e.com/s.png",
                   keep_background=False, keep_face=True)  # fmt: skip
    assert spec.path == "/solutions/virtual_try_on"
    assert spec.body["settings"] == {"keep_face": True, "keep_background": False}  # only what was given
    assert {k: default for k, (default, _) in catalog.tryon.SETTINGS.items()} == {  # §2.10b: all on
        "keep_face": True, "keep_pose": True, "keep_background": True}  # fmt: skip
    assert set(catalog.tryon.GARMENT_PHOTOS) == {"flat-lay", "mannequin", "on-model"}


def test_a_legacy_model_with_a_keep_option_is_refused_naming_the_flag(cli: Any) -> None:
    person, shirt = _person_and_garment(cli)
    res = cli.run("tryon", "--person", person, "--garment", shirt, "--model", "kolors-virtual-try-on-v1-5",
                  "--keep-face", "--json")  # fmt: skip
    assert res.code == 2 and "--model" in json.loads(res.stdout)["error"]["message"]
    assert cli.creates() == 0


def test_help_lists_the_garment_photo_kinds_from_the_catalog(cli: Any) -> None:
    helped = cli.run("tryon", "--help", base_url=False).stdout
    assert all(kind in helped for kind in catalog.tryon.GARMENT_PHOTOS)
    assert f"virtual try-on {catalog.tryon.VERSION}" in helped
