"""The catalog is consistent with itself, and the CLI and ``klingkit models`` read it rather than restate it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import warnings
from typing import Any

import click
import pytest

import klingkit
from klingkit import catalog

PNG = "https://example.com/a.png"
MP4 = "https://example.com/a.mp4"

# One minimal valid request per create route; a route added to the catalog without a case here fails
# test_every_route_has_a_case_and_a_price, so every route is priced by construction.
URL_IMG = "https://example.com/face.png"
URL_VID = "https://example.com/dance.mp4"
NO_PUBLISHED_PRICE = {"custom-elements"}

MINIMAL: dict[str, tuple[str, dict[str, Any]]] = {
    "text2video": ("text2video", {"prompt": "x"}),
    "image2video": ("image2video", {"image": PNG}),
    "multi-image2video": ("multi-image2video", {"prompt": "x", "image_list": [PNG, PNG]}),
    "video-extend": ("video-extend", {"video_id": "1"}),
    "lip-sync": (
        "lip-sync",
        {"video_id": "1", "mode": "text2video", "text": "hi", "voice_id": "uk_boy1", "voice_language": "en"},
    ),
    "identify-face": ("identify-face", {"video_id": "1"}),
    "advanced-lip-sync": (
        "advanced-lip-sync",
        {
            "session_id": "s",
            "face_choose": [
                {
                    "face_id": "0",
                    "audio_id": "a",
                    "sound_start_time": 0,
                    "sound_end_time": 3000,
                    "sound_insert_time": 0,
                }
            ],
        },
    ),
    "effects": ("effects", {"effect_scene": "pet_lion", "image": PNG}),
    "omni-video": ("omni-video", {"prompt": "x"}),
    "images/generations": ("images/generations", {"prompt": "x"}),
    "multi-image2image": ("multi-image2image", {"subject_image_list": [PNG]}),
    "editing/expand": (
        "editing/expand",
        {
            "image": PNG,
            "up_expansion_ratio": 0.2,
            "down_expansion_ratio": 0,
            "left_expansion_ratio": 0,
            "right_expansion_ratio": 0,
        },
    ),
    "omni-image": ("omni-image", {"prompt": "x"}),
    "kolors-virtual-try-on": ("kolors-virtual-try-on", {"human_image": PNG, "cloth_image": PNG}),
    "text-to-audio": ("text-to-audio", {"prompt": "rain", "duration": 5}),
    "video-to-audio": ("video-to-audio", {"video_id": "1"}),
    "tts": ("tts", {"text": "hi", "voice_id": "uk_boy1", "voice_language": "en"}),
    "text-to-video": ("text_to_video", {"prompt": "x", "model_name": "kling-3.0"}),
    "image-to-video": ("image_to_video", {"image": PNG, "model_name": "kling-3.0"}),
    "omni-video-new": ("omni_video", {"prompt": "x", "model_name": "kling-3.0-omni"}),
    "virtual_try_on": ("try_on", {"person_image": PNG, "product_image": PNG}),
    # The 2026-H2 routes (issue 11); inputs by URL, so nothing is read from disk.
    "avatar": ("avatar", {"image": URL_IMG, "audio_id": "tts-1"}),
    "motion-control": ("motion_control", {"image": URL_IMG, "video": URL_VID}),
    "motion-control-new": ("motion_control", {"model": "kling-3.0", "image": URL_IMG, "video": URL_VID}),
    "omni-image-new": ("omni_image", {"model": "kling-image-4.0", "prompt": "x"}),
    "custom-elements": ("create_element", {"name": "Hero", "images": [URL_IMG], "element_type": "character"}),
    "custom-voices": ("create_voice", {"name": "Narrator", "audio": "https://example.com/sample.mp3"}),
    "image-recognize": ("recognize", {"image": URL_IMG, "type": "cloth_seg"}),
    "ai-multi-shot": ("ai_multi_shot", {"image": URL_IMG}),
    "multi-elements": (
        "multi_elements",
        {"session_id": "s1", "edit_mode": "swap", "images": [URL_IMG], "prompt": "a cat"},
    ),
}


def test_every_route_has_a_case_and_a_price() -> None:
    assert set(MINIMAL) >= set(catalog.ENDPOINTS), set(catalog.ENDPOINTS) - set(MINIMAL)
    for feature, (name, params) in MINIMAL.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            spec = klingkit.prepare(name, **params)
        assert spec.feature == feature
        assert feature in catalog.PRICES, feature  # one price row per route (tests/catalog/test_prices.py)
        assert spec.estimate.pack in catalog.USD_PER_UNIT, feature
        if feature in NO_PUBLISHED_PRICE:  # library items: Kling publishes no price; never claimed exact
            assert not spec.estimate.exact, feature
        else:
            assert spec.estimate.units > 0, feature
        assert spec.estimate.usd == catalog.usd(spec.estimate.units, spec.estimate.pack)


@pytest.mark.parametrize("m", [*catalog.VIDEO_MODELS, *catalog.OMNI_VIDEO_MODELS], ids=lambda m: m.name)
def test_video_capabilities_reference_known_modes_and_durations(m: catalog.VideoModel) -> None:
    assert set(m.modes) <= set(catalog.VIDEO_MODES)
    assert set(m.resolution) == set(m.modes) and set(m.resolution.values()) <= set(catalog.RESOLUTION_HEIGHT)
    assert set(m.sound_modes) <= set(m.modes) and set(m.voice_modes) <= set(m.sound_modes)
    for pairs in (m.end_frame, m.camera_t2v, m.camera_i2v, m.motion_brush):
        for mode, seconds in pairs:
            assert mode in m.modes and seconds in m.durations, (m.name, mode, seconds)
    assert set(m.camera_types_i2v) <= set(catalog.CAMERA_TYPES)
    assert "silent" in m.price
    for variant, table in m.price.items():
        assert variant in ("silent", "audio", "voice", "video_input")
        assert set(table) <= set(m.modes) and all(rate > 0 for rate in table.values())
    for mode in m.sound_modes:
        assert mode in m.price.get("audio", {}), f"{m.name} has sound in {mode} but no audio price"


@pytest.mark.parametrize("m", catalog.NEW_VIDEO_MODELS, ids=lambda m: m.name)
def test_2026_models_price_from_a_known_row(m: catalog.NewVideoModel) -> None:
    assert set(m.resolutions) <= set(catalog.RESOLUTION_HEIGHT)
    assert set(m.audio) <= set(catalog.NEW_AUDIO_VALUES)
    assert catalog.video_model(m.price_row) is not None or m.price_row in catalog.NEW_ONLY_PRICES
    for res in m.resolutions:
        native = "native" in m.audio and (not m.native_audio_resolutions or res in m.native_audio_resolutions)
        est = catalog.new_video_price(m.name, res, m.durations[0], audio=native)
        assert est.units > 0 and est.exact, (m.name, res)


@pytest.mark.parametrize("m", [*catalog.IMAGE_MODELS, *catalog.OMNI_IMAGE_MODELS], ids=lambda m: m.name)
def test_image_models_reference_known_values(m: catalog.ImageModel) -> None:
    assert set(m.resolutions) <= set(catalog.IMAGE_RESOLUTIONS)
    assert set(m.aspect_ratios) <= {*catalog.IMAGE_ASPECT_RATIOS, "auto"}
    assert m.price_t2i > 0 or not m.text_to_image
    assert m.price_i2i > 0 or not m.image_to_image


def test_names_the_catalog_lists_elsewhere_are_models_it_has() -> None:
    video = {m.name for m in catalog.VIDEO_MODELS}
    image = {m.name for m in catalog.IMAGE_MODELS}
    assert set(catalog.MULTI_IMAGE_TO_VIDEO_MODELS) <= video
    assert set(catalog.MULTI_IMAGE_TO_IMAGE_MODELS) <= image
    assert set(catalog.EXTENDABLE_MODELS) <= video
    assert set(catalog.OMNI_SHORT_DURATION_MODELS) <= {m.name for m in catalog.OMNI_VIDEO_MODELS}
    for feature, model in catalog.DEFAULT_MODELS.items():
        assert feature in catalog.ENDPOINTS and model in catalog.model_names(), feature
    for preset in catalog.CAMERA_PRESETS.values():
        assert preset["type"] in catalog.CAMERA_TYPES
    assert len(catalog.model_names()) == len(set(catalog.model_names()))


def _catalog_strings() -> set[str]:
    found: set[str] = set(catalog.model_names())

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(k)
                walk(v)
        elif isinstance(value, (list, tuple, set, frozenset)):
            for v in value:
                walk(v)

    for name in catalog.__all__:
        if name.isupper():
            walk(getattr(catalog, name))
    walk(list(catalog.kling4.MODELS))
    walk(catalog.kling4.ASPECT_RATIOS)
    return found


# Options whose values are facts about Kling (as opposed to klingkit's own switches such as --kind).
KLING_FACTS = {
    "model",
    "mode",
    "aspect_ratio",
    "resolution",
    "sound",
    "voice_language",
    "language",
    "effect",
    "scene",
    "camera",
    "result_type",
    "reference",
    "image_reference",
    "audio",
    "voice",
}


def _commands(group: click.Group, ctx: click.Context) -> list[click.Command]:
    found: list[click.Command] = []
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        if isinstance(cmd, click.Group):
            found.extend(_commands(cmd, ctx))
        elif cmd is not None:
            found.append(cmd)
    return found


def test_every_cli_choice_about_kling_comes_from_the_catalog() -> None:
    from klingkit.cli import cli

    known = _catalog_strings()
    checked = 0
    with click.Context(cli) as ctx:
        for cmd in _commands(cli, ctx):
            for param in cmd.params:
                if isinstance(param.type, click.Choice) and param.name in KLING_FACTS:
                    checked += 1
                    stray = set(map(str, param.type.choices)) - known
                    assert not stray, f"{cmd.name} --{param.name}: {sorted(stray)} are not in the catalog"
    assert checked >= 3


def test_klingkit_models_lists_every_model_the_catalog_has() -> None:
    exe = shutil.which("klingkit", path=str(__import__("pathlib").Path(sys.executable).parent))
    assert exe is not None
    out = subprocess.run([exe, "models", "--json"], capture_output=True, text=True, timeout=60, check=True)
    listed = json.loads(out.stdout)
    names = {m["name"] for m in listed["video"]} | {m["name"] for m in listed["image"]}
    names |= {m.get("new_name") for m in listed["video"] if m.get("new_name")}
    missing = set(catalog.model_names()) - names
    assert not missing, f"klingkit models leaves out {sorted(missing)}"
