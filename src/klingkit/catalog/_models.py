"""The models: what each video and image model accepts and costs (§6, §7.2). Adding a model is an edit
here (and the agreement suite then exercises it)."""

from __future__ import annotations

from functools import partial

from ._data import (
    IMAGE_ASPECT_RATIOS,
    PROMPT_MAX,
    PROMPT_MAX_V3_NEW,
)
from ._types import END_FRAME_PRO, ImageModel, NewVideoModel, VideoModel

# Rows with the catalog's usual values filled in (a row may still give its own).
_NewModel = partial(NewVideoModel, prompt_max=PROMPT_MAX)
_ImageModel = partial(ImageModel, aspect_ratios=IMAGE_ASPECT_RATIOS)

# --- legacy video models (§2.1, §2.2, §6.1, §7.2) ---------------------------------------------------
# price: units per second of output, keyed by audio variant then mode (std=720p, pro=1080p, 4k); a
# missing combination does not exist. A row states only how a model differs from the defaults of
# ``_types`` (text and image to video, std/pro at 720p/1080p, 5 or 10 s; images: 1K at every ratio).
VIDEO_MODELS: tuple[VideoModel, ...] = (
    VideoModel(
        name="kling-v1",
        fps_t2v=30,
        fps_i2v=30,
        resolution={"std": "720p", "pro": "720p"},
        end_frame=(("std", 5), ("pro", 5)),
        camera_t2v=(("std", 5),),
        camera_i2v=(),
        camera_types_i2v=(),
        motion_brush=(("std", 5), ("pro", 5)),
        cfg_scale=True,
        price={"silent": {"std": 0.2, "pro": 0.7}},
        new_name=None,
    ),
    VideoModel(
        name="kling-v1-5",
        text_to_video=False,
        fps_t2v=30,
        fps_i2v=30,
        end_frame=END_FRAME_PRO,
        end_frame_only=True,  # cap map: "+end-frame-only" (§6.1)
        camera_t2v=(),
        camera_i2v=(("pro", 5),),
        camera_types_i2v=("simple",),
        motion_brush=(("pro", 5),),
        cfg_scale=True,
        price={"silent": {"std": 0.4, "pro": 0.7}},
    ),
    VideoModel(
        name="kling-v1-6",
        fps_t2v=24,
        fps_i2v=30,
        end_frame=END_FRAME_PRO,
        end_frame_only=True,  # cap map: "+end-frame-only" (§6.1)
        cfg_scale=True,
        multi_image=True,
        price={"silent": {"std": 0.4, "pro": 0.7}},
    ),
    VideoModel(
        name="kling-v2-master",
        modes=("std", "pro"),  # one quality level; the mode field is accepted and ignored
        resolution={"std": "720p", "pro": "720p"},
        price={"silent": {"std": 2.0, "pro": 2.0}},
        single_mode=True,
    ),
    VideoModel(
        name="kling-v2-1",
        text_to_video=False,
        end_frame=END_FRAME_PRO,
        price={"silent": {"std": 0.4, "pro": 0.7}},
    ),
    VideoModel(
        name="kling-v2-1-master",
        resolution={"std": "1080p", "pro": "1080p"},
        price={"silent": {"std": 2.0, "pro": 2.0}},
        single_mode=True,
    ),
    VideoModel(
        name="kling-v2-5-turbo",
        end_frame=END_FRAME_PRO,
        price={"silent": {"std": 0.3, "pro": 0.5}},
        new_name="kling-2.5-turbo",
    ),
    VideoModel(
        name="kling-v2-6",
        end_frame=END_FRAME_PRO,
        end_frame_silent_only=True,
        sound_modes=("pro",),  # std is silent only; sound means 1080p
        voice_modes=("pro",),
        price={
            "silent": {"std": 0.3, "pro": 0.5},
            "audio": {"pro": 1.0},
            "voice": {"pro": 1.2},
        },
        new_name="kling-2.6",
    ),
    VideoModel(
        name="kling-v3",
        modes=("std", "pro", "4k"),
        durations=tuple(range(3, 16)),
        resolution={"std": "720p", "pro": "1080p", "4k": "4k"},
        end_frame=tuple((m, d) for m in ("std", "pro", "4k") for d in range(3, 16)),
        sound_modes=("std", "pro", "4k"),
        voice_modes=("std", "pro", "4k"),
        multi_shot=True,
        elements=True,
        price={
            "silent": {"std": 0.6, "pro": 0.8, "4k": 3.0},
            "audio": {"std": 0.9, "pro": 1.2, "4k": 3.0},
            "voice": {"std": 0.9, "pro": 1.2, "4k": 3.0},
        },
        new_name="kling-3.0",
    ),
)

# Omni video (§2.14): image_list / video_list references; priced per second (§7.2).
OMNI_VIDEO_MODELS: tuple[VideoModel, ...] = (
    VideoModel(
        name="kling-video-o1",
        durations=tuple(range(3, 11)),
        price={"silent": {"std": 0.6, "pro": 0.8}, "video_input": {"std": 0.9, "pro": 1.2}},
        new_name="kling-o1",
    ),
    VideoModel(
        name="kling-v3-omni",
        modes=("std", "pro", "4k"),
        durations=tuple(range(3, 16)),
        resolution={"std": "720p", "pro": "1080p", "4k": "4k"},
        sound_modes=("std", "pro", "4k"),
        price={
            "silent": {"std": 0.6, "pro": 0.8, "4k": 3.0},
            "audio": {"std": 0.8, "pro": 1.0, "4k": 3.0},
            "video_input": {"std": 0.9, "pro": 1.2, "4k": 3.0},
        },
        new_name="kling-3.0-omni",
    ),
)

# --- new-standard (2026) video routes: model in the path (§2.15) -----------------------------------
NEW_VIDEO_MODELS: tuple[NewVideoModel, ...] = (
    _NewModel(
        name="kling-2.6",
        image_to_video=False,
        native_audio_resolutions=("1080p",),
        price_row="kling-v2-6",
    ),
    _NewModel(
        name="kling-3.0",
        resolutions=("720p", "1080p", "4k"),
        durations=tuple(range(3, 16)),
        multi_shot=True,
        prompt_max=PROMPT_MAX_V3_NEW,
        price_row="kling-v3",
    ),
    _NewModel(
        name="kling-3.0-turbo",
        durations=tuple(range(3, 16)),
        audio=("native",),  # always native audio
        last_frame=False,
        prompt_max=PROMPT_MAX_V3_NEW,
        price_row="kling-3.0-turbo",
    ),
    _NewModel(
        name="kling-2.5-turbo",
        image_to_video=False,
        audio=("off",),
        price_row="kling-v2-5-turbo",
    ),
)
# Per-second prices for rows that exist only on the new routes (units/s by resolution).
NEW_ONLY_PRICES: dict[str, dict[str, dict[str, float]]] = {
    "kling-3.0-turbo": {"audio": {"720p": 0.8, "1080p": 1.0}},
}

# --- image models (§2.7, §2.8, §6.2, §7.2) -----------------------------------------------------------
IMAGE_MODELS: tuple[ImageModel, ...] = (
    _ImageModel(
        name="kling-v1",
        aspect_ratios=IMAGE_ASPECT_RATIOS[:7],
        price_t2i=1,
        price_i2i=1,
    ),
    _ImageModel(
        name="kling-v1-5",
        image_reference=True,
        price_t2i=4,
        price_i2i=8,
    ),
    _ImageModel(
        name="kling-v2",
        resolutions=("1k", "2k"),
        multi_image=True,
        price_t2i=4,
        price_i2i=8,
        price_multi=16,
    ),
    _ImageModel(
        name="kling-v2-new",
        text_to_image=False,
        price_t2i=8,
        price_i2i=8,
    ),
    _ImageModel(
        name="kling-v2-1",
        resolutions=("1k", "2k"),
        image_reference=True,
        fidelity=True,
        multi_image=True,
        price_t2i=4,
        price_i2i=8,
        price_multi=16,
    ),
    _ImageModel(
        name="kling-v3",
        resolutions=("1k", "2k"),
        elements=True,
        price_t2i=8,
        price_i2i=8,
    ),
)
OMNI_IMAGE_MODELS: tuple[ImageModel, ...] = (
    _ImageModel(
        name="kling-image-o1",
        aspect_ratios=(*IMAGE_ASPECT_RATIOS, "auto"),
        resolutions=("1k", "2k"),
        elements=True,
        price_t2i=8,
        price_i2i=8,
    ),
    _ImageModel(
        name="kling-v3-omni",
        aspect_ratios=(*IMAGE_ASPECT_RATIOS, "auto"),
        resolutions=("1k", "2k", "4k"),
        elements=True,
        price_t2i=8,
        price_i2i=8,
        price_4k=16,
    ),
)
TRYON_MODELS = ("kolors-virtual-try-on-v1", "kolors-virtual-try-on-v1-5")
MULTI_IMAGE_TO_IMAGE_MODELS = ("kling-v2", "kling-v2-1")
MULTI_IMAGE_TO_VIDEO_MODELS = ("kling-v1-6",)

# Flat prices in units (§7.2).
FLAT_PRICES: dict[str, float] = {
    "extend_std": 2.0,
    "extend_pro": 3.5,
    "lip_sync_per_5s": 0.5,
    "identify_face": 0.05,
    "tts": 0.05,
    "text_to_audio": 0.25,
    "video_to_audio": 0.25,
    "expand_per_image": 8,
    "tryon_per_image": 1,
}
LIPSYNC_BLOCK_SECONDS = 5  # lip-sync is billed per started 5 s of video (§7.2: "lip_sync_per_5s")
# What a model the catalog does not know is priced at (policy unknown-name: the client sends it, so it
# still quotes; never exact): the legacy video rows' top silent rate (kling-v2-master) and the omni image
# rate.
UNKNOWN_MODEL_PRICES: dict[str, float] = {"per second": 2.0, "per image": 8.0}
