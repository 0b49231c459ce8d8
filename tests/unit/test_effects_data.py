"""Effect scenes and prices are data (``catalog/effects.json``) that a user file extends without code:
the packaged scenes, a price change and a new scene from ``$KLINGKIT_EFFECTS`` or ``$KLINGKIT_HOME``,
retired and unknown scenes, and a broken file named in the error."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from klingkit import catalog, prepare
from klingkit.catalog import effect_scenes as effects
from klingkit.errors import ValidationError

IMG = "https://example.com/a.png"


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(effects.ENV, raising=False)
    effects.reload()
    yield
    effects.reload()


def test_the_packaged_data_holds_the_reference_scenes() -> None:
    dual = [s for s in effects.scenes() if s.images == 2 and not s.retired]
    assert len(dual) == 15 and {"hug_pro", "cheers_2026", "pet_skateboard"} <= {s.name for s in dual}
    assert {s.name: s.instead for s in effects.scenes() if s.retired} == {
        "hug": "hug_pro", "kiss": "kiss_pro", "heart_gesture": "heart_gesture_pro", "fight": "fight_pro"}  # fmt: skip
    assert tuple(s.name for s in dual) == catalog.DUAL_IMAGE_EFFECTS
    # §7.2: 2 or 3.5 units depending on the effect; no scene states its own price yet, so none is exact
    assert {(s.images, s.units, s.exact) for s in effects.scenes()} == {(1, 2.0, False), (2, 3.5, False)}


def test_estimates_follow_the_scene_data() -> None:
    single = prepare("effects", effect_scene="bullet_time", image=IMG).estimate
    dual = prepare("effects", effect_scene="hug_pro", images=[IMG, IMG]).estimate
    assert (single.units, single.exact, dual.units, dual.exact) == (2.0, False, 3.5, False)


def test_a_user_file_changes_a_price_and_adds_a_scene(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    user = tmp_path / "effects.json"
    user.write_text(
        json.dumps({"scenes": {"bullet_time": {"units": 3}, "aurora_dance": {"images": 2, "units": 5}}})
    )
    monkeypatch.setenv(effects.ENV, str(user))
    assert effects.data_files() == [effects.PACKAGED, user]
    est = prepare("effects", effect_scene="bullet_time", image=IMG).estimate
    assert (est.units, est.exact) == (3.0, True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a scene the data knows passes without a warning
        spec = prepare("effects", effect_scene="aurora_dance", images=[IMG, IMG])
    assert spec.body["input"]["images"] == [IMG, IMG] and spec.estimate.units == 5.0
    with pytest.raises(ValidationError) as info:  # the data says two images
        prepare("effects", effect_scene="aurora_dance", image=IMG)
    assert info.value.field == "image"


def test_the_home_file_is_read_when_no_file_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KLINGKIT_HOME", str(tmp_path))
    (tmp_path / "effects.json").write_text(json.dumps({"default_units": {"1": 2.5}}))
    assert effects.scene("color_mixing").units == 2.5 and effects.scene("never_heard_of").units == 2.5


def test_an_unknown_scene_passes_with_a_warning_and_a_retired_one_is_refused() -> None:
    with pytest.warns(UserWarning, match="not in klingkit's effect list"):
        spec = prepare("effects", effect_scene="brand_new_scene", image=IMG)
    assert spec.estimate.units == 2.0 and not spec.estimate.exact
    with pytest.raises(ValidationError) as info:
        prepare("effects", effect_scene="kiss", images=[IMG, IMG])
    assert (
        info.value.field == "effect_scene"
        and "kiss_pro" in str(info.value)
        and "2026-01-30" in str(info.value)
    )


def test_a_broken_user_file_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    user = tmp_path / "fx.json"
    for text, words in (("{not json", "fx.json"), ('{"scenes": {"x": {"images": 3}}}', "images 1 or 2")):
        user.write_text(text)
        monkeypatch.setenv(effects.ENV, str(user))
        effects.reload()
        with pytest.raises(effects.EffectsDataError, match=words):
            effects.scene("bullet_time")
