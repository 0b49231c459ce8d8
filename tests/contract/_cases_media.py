"""Generated image and audio requests: images, multi-image, expand, try-on, omni-image, audio and TTS."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from klingkit import catalog

from ._cases_base import IMG, PRESET_ELEMENT, UNKNOWN_IMAGE, Case, Sources


def image_cases() -> Iterator[Case]:
    names = [m.name for m in catalog.IMAGE_MODELS]
    ars = catalog.IMAGE_ASPECT_RATIOS
    for model in (*names, UNKNOWN_IMAGE):
        for with_image, res, n in itertools.product((False, True), catalog.IMAGE_RESOLUTIONS, (1, 2, 9, 10)):
            p: dict[str, Any] = {"model_name": model, "prompt": "a fox", "resolution": res, "n": n}
            if with_image:
                p["image"] = IMG
            yield Case("images/generations", p, f"{model} image={with_image} {res} n={n}")
        for ar in (*ars, "auto"):
            yield Case("images/generations", {"model_name": model, "prompt": "x", "aspect_ratio": ar}, ar)
        for ref in ("subject", "face"):
            p = {"model_name": model, "prompt": "x", "image": IMG, "image_reference": ref}
            yield Case("images/generations", p, f"{model} reference {ref}")
            yield Case("images/generations", {**p, "human_fidelity": 0.5}, f"{model} ref {ref} human")
        for fid in (0.0, 0.5, 1.0, 1.5):
            p = {"model_name": model, "prompt": "x", "image": IMG, "image_fidelity": fid}
            yield Case("images/generations", p, f"{model} image_fidelity {fid}")
        yield Case(
            "images/generations",
            {"model_name": model, "prompt": "x", "element_list": [{"element_id": PRESET_ELEMENT}]},
            f"{model} elements",
        )
    for model in (*catalog.MULTI_IMAGE_TO_IMAGE_MODELS, "kling-v1", UNKNOWN_IMAGE):
        for count, n in itertools.product((1, 4, 5), (1, 3)):
            p = {"model_name": model, "prompt": "x", "subject_image_list": [IMG] * count, "n": n}
            yield Case("multi-image2image", p, f"{model} {count} subjects n={n}")
        for ar in ars:
            p = {"model_name": model, "subject_image_list": [IMG], "aspect_ratio": ar}
            yield Case("multi-image2image", p, f"{model} {ar}")
    for up, left, n in itertools.product((0.0, 0.5, 1.0, 2.0), (0.0, 0.3, 1.0), (1, 2)):
        p = {
            "image": IMG,
            "up_expansion_ratio": up,
            "down_expansion_ratio": 0.0,
            "left_expansion_ratio": left,
            "right_expansion_ratio": 0.0,
            "n": n,
        }
        yield Case("expand", p, f"expand up={up} left={left} n={n}")
    for model in (*catalog.TRYON_MODELS, "kolors-unknown"):
        yield Case(
            "kolors-virtual-try-on", {"model_name": model, "human_image": IMG, "cloth_image": IMG}, model
        )
    for keep in (None, True, False):
        p = {"person_image": IMG, "product_image": IMG}
        if keep is not None:
            p["keep_face"] = keep
        yield Case("try_on", p, f"solution keep_face={keep}")


def omni_image_cases() -> Iterator[Case]:
    names = [m.name for m in catalog.OMNI_IMAGE_MODELS]
    for model in (*names, UNKNOWN_IMAGE):
        for res, result_type, amount, images in itertools.product(
            catalog.IMAGE_RESOLUTIONS, (None, "single", "series"), (None, 2, 9, 10, "auto"), (0, 1)
        ):
            p: dict[str, Any] = {"model_name": model, "prompt": "x", "resolution": res}
            if result_type:
                p["result_type"] = result_type
            if amount is not None:
                p["series_amount"] = amount
            if images:
                p["image_list"] = [IMG]
            yield Case("omni-image", p, f"{model} {res} {result_type} amount={amount} images={images}")
        for ar in (*catalog.IMAGE_ASPECT_RATIOS, "auto"):
            yield Case(
                "omni-image", {"model_name": model, "prompt": "x", "aspect_ratio": ar}, f"{model} {ar}"
            )
        for n in (1, 3, 9):
            yield Case("omni-image", {"model_name": model, "prompt": "x", "n": n}, f"{model} n={n}")


def audio_cases(src: Sources) -> Iterator[Case]:
    for d in (2.5, 3, 3.0, 3.5, 3.55, 7.25, 10, 10.5, "5"):
        yield Case("text-to-audio", {"prompt": "rain", "duration": d}, f"duration {d!r}")
    vid = next(iter(src.videos.values()))
    yield Case("video-to-audio", {"video_id": vid}, "by id")
    yield Case("video-to-audio", {"video_url": src.video_url}, "by url")
    yield Case("video-to-audio", {"video_id": vid, "asmr_mode": True, "bgm_prompt": "jazz"}, "asmr")
    for lang, voices in catalog.VOICES.items():
        for voice in (*voices[:2], "no-such-voice"):
            for speed in (None, 0.8, 2.0, 2.5):
                p: dict[str, Any] = {"text": "hello", "voice_id": voice, "voice_language": lang}
                if speed is not None:
                    p["voice_speed"] = speed
                yield Case("tts", p, f"{lang}/{voice} speed {speed}")
