"""Generated requests for the late-2026 API: Kling 4.0 (text, keyframes, omni), multi-element editing and
the 2026-H2 routes (avatar, motion control, Image 4.0, elements, voices, recognition, multi-shot)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from klingkit import catalog

from ._cases_base import IMG, PRESET_ELEMENT, PRESET_VOICE, Case, Sources


def kling4_cases() -> Iterator[Case]:
    """Kling 4.0 and Flash (and a reseller alias) on text and keyframes: durations, resolutions, aspect
    ratios and a last frame, each inside and just outside what the catalog allows."""
    names = [*catalog.kling4.MODELS, "kling-v4"]
    lo, hi = (
        min(m.durations[0] for m in catalog.kling4.MODELS.values()),
        max(m.durations[1] for m in catalog.kling4.MODELS.values()),
    )
    durations = sorted({lo - 1, lo, 5, 10, 20, 21, hi, hi + 1})
    for model, duration, resolution in itertools.product(names, durations, ("720p", "1080p", "4k")):
        base = {"model_name": model, "duration": duration, "resolution": resolution}
        for aspect in (*catalog.kling4.ASPECT_RATIOS[:2], "2:1"):
            yield Case("text_to_video", {**base, "prompt": "x", "aspect_ratio": aspect}, f"{model} {aspect}")
        yield Case("image_to_video", {**base, "prompt": "x", "image": IMG}, f"{model} first frame")
        yield Case("image_to_video", {**base, "image": IMG, "image_tail": IMG}, f"{model} last frame")


def kling4_omni_cases(src: Sources) -> Iterator[Case]:
    """Kling 4.0's omni and keyframe inputs: reference images (multi-image), feature and base videos,
    elements and voices named as ``@id``, middle frames; each count at and one past the catalog's limit,
    the totals, the prompt mentions, and the 2026 options 4.0 refuses."""
    k4, video = catalog.kling4, src.video_url  # the sandbox's own 5 s video, fetched as Kling would
    element, voice = PRESET_ELEMENT, PRESET_VOICE

    def omni(model: str, name: str, **p: Any) -> Case:
        return Case("omni_video", {"model_name": model, "prompt": "x", **p}, f"{model} {name}")

    def named(prefix: str, count: int, value: str) -> dict[str, str]:
        return {f"{prefix}{chr(97 + i)}x": value for i in range(count)}  # never a prefix of another

    for model in (*k4.MODELS, "kling-v4"):
        m = k4.MODELS[k4.canonical(model) or model]
        for count in (1, 4, k4.OMNI_IMAGES_MAX, k4.OMNI_IMAGES_MAX + 1):
            yield omni(model, f"{count} reference images", refer_images=[IMG] * count)
        for count in (1, k4.OMNI_VIDEOS_MAX, k4.OMNI_VIDEOS_MAX + 1):
            yield omni(model, f"{count} feature videos", feature_videos=[video] * count)
        for keep in (None, True):
            p = {"base_video": video} if keep is None else {"base_video": video, "keep_original_sound": keep}
            yield omni(model, f"base video keep={keep}", **p)
        yield omni(model, "base video and a duration", base_video=video, duration=10)
        # A local file: the client decodes it (length, fps, size), so its estimate is the charge.
        yield omni(model, "a local base video", base_video=src.video_bytes)
        yield omni(model, "a local feature video", feature_videos=[src.video_bytes])
        yield omni(model, "keep the sound without a base video", refer_images=[IMG], keep_original_sound=True)
        videos = [video] * k4.OMNI_VIDEOS_MAX
        yield omni(model, "5 feature videos and a base video", feature_videos=videos, base_video=video)
        for mode in ("std", "pro"):
            yield omni(model, f"mode {mode}", refer_images=[IMG], mode=mode)
        for kind, limit, value in (
            ("elements", k4.OMNI_ELEMENTS_MAX, element),
            ("voices", k4.OMNI_VOICES_MAX, voice),
        ):
            for count in (1, limit, limit + 1):
                ids = named(kind[0], count, value)
                prompt = " ".join(f"@{i}" for i in ids) + " talk"
                yield omni(model, f"{count} {kind}", prompt=prompt, **{kind: ids})
            yield omni(model, f"{kind} not named in the prompt", **{kind: named(kind[0], 1, value)})
        yield omni(model, "an undocumented field", refer_images=[IMG], colour="red")
        yield omni(model, "@ghost names no item", prompt="@ghost waves", refer_images=[IMG])
        yield omni(
            model,
            "prefix ids",
            prompt="@Zhang and @ZhangSan",
            elements={"Zhang": element, "ZhangSan": element},
        )
        over = named("e", k4.OMNI_INPUTS_MAX + 1 - k4.OMNI_IMAGES_MAX, element)
        yield omni(
            model,
            "16 inputs",
            prompt=" ".join(f"@{i}" for i in over),
            refer_images=[IMG] * k4.OMNI_IMAGES_MAX,
            elements=over,
        )
        yield omni(
            model,
            "everything once",
            prompt="@ea with @va",
            refer_images=[IMG, IMG],
            feature_videos=[video],
            elements={"ea": element},
            voices={"va": voice},
        )
        lo, hi = m.durations
        for resolution, duration in itertools.product(("720p", "1080p"), (lo, hi, hi + 1)):
            yield omni(
                model,
                f"{resolution} {duration}s",
                refer_images=[IMG],
                resolution=resolution,
                duration=duration,
            )
        for aspect in (*k4.ASPECT_RATIOS[:2], "2:1"):
            yield omni(model, f"aspect {aspect}", refer_images=[IMG], aspect_ratio=aspect)
        for length in (k4.PROMPT_MAX_ENGLISH, k4.PROMPT_MAX_ENGLISH + 1):
            yield omni(model, f"prompt of {length}", prompt="a" * length, refer_images=[IMG])
        for option in k4.REFUSED_OPTIONS:
            yield omni(model, f"with {option}", refer_images=[IMG], **{option: "https://example.com/cb"})
        for count in (1, m.keyframes_middle_max, m.keyframes_middle_max + 1):
            p = {"model_name": model, "prompt": "x", "image": IMG, "middle_frames": [IMG] * count}
            yield Case("image_to_video", p, f"{model} first + {count} middle frames")
            yield Case("image_to_video", {**p, "image_tail": IMG}, f"{model} first + {count} middle + last")
        yield Case(
            "image_to_video",
            {"model_name": model, "prompt": "x", "middle_frames": [IMG]},
            f"{model} middle only",
        )


def editing_cases(src: Sources) -> Iterator[Case]:
    """Multi-element editing (the create after the session steps): models, edit modes, image counts,
    prompts, modes and durations inside and just outside the catalog's; a session with a selection, one
    without (only the server knows: policy server-state) and one that does not exist."""
    edit = catalog.edit
    session = src.edit_session

    def case(name: str, **p: Any) -> Case:
        return Case("multi-elements", {k: v for k, v in p.items() if v is not None}, name)

    for model, edit_mode, images, prompt in itertools.product(
        (*edit.MODELS, "kling-v2-6"),
        (*edit.EDIT_MODES, "recolor"),
        (0, 1, edit.IMAGES_MAX, edit.IMAGES_MAX + 1),
        (None, "a cat instead"),
    ):
        yield case(
            f"{model} {edit_mode} {images} images prompt={bool(prompt)}",
            model_name=model,
            session_id=session,
            edit_mode=edit_mode,
            images=[IMG] * images or None,
            prompt=prompt,
        )
    for mode, duration in itertools.product((None, *edit.MODES, "max"), (None, *edit.DURATIONS, 7)):
        yield case(
            f"swap {mode} {duration}s",
            session_id=session,
            edit_mode="swap",
            images=[IMG],
            prompt="a cat",
            mode=mode,
            duration=duration,
        )
    for length in (edit.PROMPT_MAX, edit.PROMPT_MAX + 1):
        yield case(f"prompt of {length}", session_id=session, edit_mode="removal", prompt="a" * length)
    yield case("removal, negative prompt", session_id=session, edit_mode="removal", negative_prompt="blur")
    yield case("removal with nothing selected", session_id=src.edit_empty_session, edit_mode="removal")
    yield case(
        "swap with nothing selected",
        session_id=src.edit_empty_session,
        edit_mode="swap",
        images=[IMG],
        prompt="x",
    )
    yield case("an undocumented field", session_id=session, edit_mode="removal", colour="red")
    yield case(  # several faults at once: the table names each (model, images, prompt, mode, duration)
        "several faults",
        model_name="kling-v2-6",
        session_id=session,
        edit_mode="swap",
        mode="max",
        duration=7,
    )
    yield case("no session", edit_mode="removal")
    yield case("a session that does not exist", session_id="no-such-session", edit_mode="removal")


def late_2026_cases(src: Sources) -> Iterator[Case]:
    """The 2026-H2 routes: avatar, motion control (legacy and 2026), Image 4.0 and Long Image 4.0,
    elements, voices and image recognition, each with values inside and just outside the catalog's."""
    drive, library, image4 = catalog.drive, catalog.library, catalog.image4
    URL_AUDIO, URL_VIDEO = src.long_audio_url, src.video_url  # fetched by the sandbox
    for mode, prompt in itertools.product((None, *drive.AVATAR_MODES, "ultra"), ("", "x", "y" * 2501)):
        p = {"image": IMG, "sound_file": URL_AUDIO, "mode": mode, "prompt": prompt}
        yield Case("avatar", {k: v for k, v in p.items() if v not in (None, "")}, f"avatar {mode}")
    yield Case("avatar", {"image": IMG}, "avatar without audio")
    models = (None, *drive.MOTION_MODELS, "kling-v1")
    orientations = (None, *drive.MOTION_ORIENTATIONS, "sideways")
    for model, mode, orientation in itertools.product(models, (None, "std", "pro", "4k"), orientations):
        p = {"model_name": model, "image": IMG, "video": URL_VIDEO, "mode": mode}
        p["character_orientation"] = orientation
        yield Case("motion_control", {k: v for k, v in p.items() if v is not None}, f"motion {model} {mode}")
    for keep in (True, "no", "maybe"):
        yield Case("motion_control", {"image": IMG, "video": URL_VIDEO, "keep_original_sound": keep}, "keep")
    for model, resolution, n in itertools.product(image4.MODELS, ("1k", "2k", "4k", "8k"), (None, 1, 4, 10)):
        p = {"model_name": model, "prompt": "x", "resolution": resolution, "n": n}
        yield Case("omni_image", {k: v for k, v in p.items() if v is not None}, f"{model} {resolution} n={n}")
    for model, amount in itertools.product(image4.MODELS, ("auto", 2, 9, 12)):
        p = {"model_name": model, "prompt": "x", "result_type": "series", "series_amount": amount}
        yield Case("omni_image", p, f"{model} series {amount}")
    # Several faults at once (the table names each), and the Long Image skills' references.
    image, long = image4.IMAGE, image4.LONG
    several = [
        (image, "8k, n=12, 2:1", {"resolution": "8k", "n": 12, "aspect_ratio": "2:1"}),
        (image, "11 references, a series of n=3", {"refer_images": [IMG] * 8, "elements": [PRESET_ELEMENT] * 3,
                                                   "result_type": "series", "n": 3}),
        (image, "series_amount without a series, 1k", {"series_amount": 4, "resolution": "1k"}),
        (image, "10 references", {"refer_images": [IMG] * 7, "elements": [PRESET_ELEMENT] * 3}),
        (image, "a Long Image skill", {"skill": "webpage"}),
        (long, "webpage style and subject", {"skill": "webpage", "style_image": IMG, "subject_image": IMG}),
        (long, "webpage, a plain ref and two styles", {"skill": "webpage", "refer_images": [IMG],
                                                       "style_image": [IMG, IMG]}),
        (long, "ecommerce 2 refs", {"skill": "ecommerce", "refer_images": [IMG] * 2}),
        (long, "ecommerce without refs, with a style", {"skill": "ecommerce", "style_image": IMG}),
        (long, "a poster at 5:4", {"skill": "poster", "aspect_ratio": "5:4"}),
    ]  # fmt: skip
    for model, name, p in several:
        yield Case("omni_image", {"model_name": model, "prompt": "x", **p}, f"{model} {name}")
    for name, count, kind in itertools.product(
        ("Hero", "x" * 21), (0, 1, 4, 5), (*library.ELEMENT_TYPES, "pet")
    ):
        yield Case(
            "create_element",
            {"name": name, "images": [IMG] * count, "element_type": kind},
            f"element {count}",
        )
    for name in ("Narrator", "", "x" * 21):
        yield Case("create_voice", {"name": name, "audio": URL_AUDIO}, f"voice {name[:8]!r}")
    for kind in (*catalog.recognize.KINDS, "sky_seg"):
        yield Case("recognize", {"image": IMG, "type": kind}, f"recognize {kind}")
    # Several faults at once (the table names each): no image and an unknown kind; no kind at all.
    yield Case("recognize", {"type": "sky_seg"}, "recognize without an image, sky_seg")
    yield Case("recognize", {"image": IMG}, "recognize without a type")
    undocumented = [
        ("avatar", {"image": IMG, "sound_file": URL_AUDIO}),
        ("motion_control", {"image": IMG, "video": URL_VIDEO}),
        ("omni_image", {"model_name": next(iter(image4.MODELS)), "prompt": "x"}),
        ("create_element", {"name": "Hero", "images": [IMG], "element_type": library.ELEMENT_TYPES[0]}),
        ("create_voice", {"name": "Narrator", "audio": URL_AUDIO}),
        ("recognize", {"image": IMG, "type": catalog.recognize.KINDS[0]}),
        ("ai_multi_shot", {"image": IMG}),
    ]
    for feature, p in undocumented:
        yield Case(feature, {**p, "colour": "red"}, f"{feature} with an undocumented field")
    # Several faults at once: each route's rule table names every one; both sides refuse.
    several = [
        ("avatar", {"image": IMG, "mode": "ultra", "prompt": "y" * 2501}),
        ("motion_control", {"model_name": "kling-v2-6", "image": IMG, "video": URL_VIDEO, "mode": "4k",
                            "character_orientation": "sideways", "keep_original_sound": "maybe"}),
        ("motion_control", {"model_name": "kling-3.0", "image": IMG, "video": URL_VIDEO, "resolution": "4k",
                            "character_orientation": "sideways"}),
        ("create_element", {"name": "x" * 21, "images": [IMG] * 5, "element_type": "pet", "description": "d" * 201}),
        ("create_voice", {"name": "x" * 21, "audio": src.audio_url}),  # and a sample under 5 s (the server reads it)
    ]  # fmt: skip
    for feature, p in several:
        yield Case(feature, p, f"{feature} with several faults")
    for shot in ({"image": IMG}, {"image": IMG, "callback_url": "https://example.com/cb"}, {}):
        yield Case("ai_multi_shot", shot, f"multi-shot {sorted(shot)}")
