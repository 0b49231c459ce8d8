"""The models: what each video and image model accepts and costs (§6, §7.2). Adding a model is an edit
here (and the agreement suite then exercises it)."""

from __future__ import annotations

from ._data import (
    IMAGE_ASPECT_RATIOS,
    PROMPT_MAX,
    PROMPT_MAX_V3_NEW,
)
from ._types import ImageModel, NewVideoModel, VideoModel

# --- legacy video models (§2.1, §2.2, §6.1, §7.2) ---------------------------------------------------
# price_per_second: units per second of output, keyed by audio variant then mode (std=720p, pro=1080p,
# 4k). ``None`` means the combination does not exist.
VIDEO_MODELS: tuple[VideoModel, ...] = (
    VideoModel(
        name="kling-v1",
        text_to_video=True,
        image_to_video=True,
        modes=("std", "pro"),
        durations=(5, 10),
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
        image_to_video=True,
        modes=("std", "pro"),
        durations=(5, 10),
        fps_t2v=30,
        fps_i2v=30,
        resolution={"std": "720p", "pro": "1080p"},
        end_frame=(("pro", 5), ("pro", 10)),
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
        text_to_video=True,
        image_to_video=True,
        modes=("std", "pro"),
        durations=(5, 10),
        fps_t2v=24,
        fps_i2v=30,
        resolution={"std": "720p", "pro": "1080p"},
        end_frame=(("pro", 5), ("pro", 10)),
        end_frame_only=True,  # cap map: "+end-frame-only" (§6.1)
        cfg_scale=True,
        multi_image=True,
        price={"silent": {"std": 0.4, "pro": 0.7}},
    ),
    VideoModel(
        name="kling-v2-master",
        text_to_video=True,
        image_to_video=True,
        modes=("std", "pro"),  # one quality level; the mode field is accepted and ignored
        durations=(5, 10),
        resolution={"std": "720p", "pro": "720p"},
        price={"silent": {"std": 2.0, "pro": 2.0}},
        single_mode=True,
    ),
    VideoModel(
        name="kling-v2-1",
        text_to_video=False,
        image_to_video=True,
        modes=("std", "pro"),
        durations=(5, 10),
        resolution={"std": "720p", "pro": "1080p"},
        end_frame=(("pro", 5), ("pro", 10)),
        price={"silent": {"std": 0.4, "pro": 0.7}},
    ),
    VideoModel(
        name="kling-v2-1-master",
        text_to_video=True,
        image_to_video=True,
        modes=("std", "pro"),
        durations=(5, 10),
        resolution={"std": "1080p", "pro": "1080p"},
        price={"silent": {"std": 2.0, "pro": 2.0}},
        single_mode=True,
    ),
    VideoModel(
        name="kling-v2-5-turbo",
        text_to_video=True,
        image_to_video=True,
        modes=("std", "pro"),
        durations=(5, 10),
        resolution={"std": "720p", "pro": "1080p"},
        end_frame=(("pro", 5), ("pro", 10)),
        price={"silent": {"std": 0.3, "pro": 0.5}},
        new_name="kling-2.5-turbo",
    ),
    VideoModel(
        name="kling-v2-6",
        text_to_video=True,
        image_to_video=True,
        modes=("std", "pro"),
        durations=(5, 10),
        resolution={"std": "720p", "pro": "1080p"},
        end_frame=(("pro", 5), ("pro", 10)),
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
        text_to_video=True,
        image_to_video=True,
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
        text_to_video=True,
        image_to_video=True,
        modes=("std", "pro"),
        durations=tuple(range(3, 11)),
        resolution={"std": "720p", "pro": "1080p"},
        price={"silent": {"std": 0.6, "pro": 0.8}, "video_input": {"std": 0.9, "pro": 1.2}},
        new_name="kling-o1",
    ),
    VideoModel(
        name="kling-v3-omni",
        text_to_video=True,
        image_to_video=True,
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
    NewVideoModel(
        name="kling-2.6",
        text_to_video=True,
        image_to_video=False,
        resolutions=("720p", "1080p"),
        durations=(5, 10),
        audio=("native", "off"),
        native_audio_resolutions=("1080p",),
        prompt_max=PROMPT_MAX,
        price_row="kling-v2-6",
    ),
    NewVideoModel(
        name="kling-3.0",
        text_to_video=True,
        image_to_video=True,
        resolutions=("720p", "1080p", "4k"),
        durations=tuple(range(3, 16)),
        audio=("native", "off"),
        multi_shot=True,
        prompt_max=PROMPT_MAX_V3_NEW,
        price_row="kling-v3",
    ),
    NewVideoModel(
        name="kling-3.0-turbo",
        text_to_video=True,
        image_to_video=True,
        resolutions=("720p", "1080p"),
        durations=tuple(range(3, 16)),
        audio=("native",),  # always native audio
        last_frame=False,
        prompt_max=PROMPT_MAX_V3_NEW,
        price_row="kling-3.0-turbo",
    ),
    NewVideoModel(
        name="kling-2.5-turbo",
        text_to_video=True,
        image_to_video=False,
        resolutions=("720p", "1080p"),
        durations=(5, 10),
        audio=("off",),
        prompt_max=PROMPT_MAX,
        price_row="kling-v2-5-turbo",
    ),
)
# Per-second prices for rows that exist only on the new routes (units/s by resolution).
NEW_ONLY_PRICES: dict[str, dict[str, dict[str, float]]] = {
    "kling-3.0-turbo": {"audio": {"720p": 0.8, "1080p": 1.0}},
}

# --- image models (§2.7, §2.8, §6.2, §7.2) -----------------------------------------------------------
IMAGE_MODELS: tuple[ImageModel, ...] = (
    ImageModel(
        name="kling-v1",
        text_to_image=True,
        image_to_image=True,
        aspect_ratios=IMAGE_ASPECT_RATIOS[:7],
        resolutions=("1k",),
        price_t2i=1,
        price_i2i=1,
    ),
    ImageModel(
        name="kling-v1-5",
        text_to_image=True,
        image_to_image=True,
        aspect_ratios=IMAGE_ASPECT_RATIOS,
        resolutions=("1k",),
        image_reference=True,
        price_t2i=4,
        price_i2i=8,
    ),
    ImageModel(
        name="kling-v2",
        text_to_image=True,
        image_to_image=True,
        aspect_ratios=IMAGE_ASPECT_RATIOS,
        resolutions=("1k", "2k"),
        multi_image=True,
        price_t2i=4,
        price_i2i=8,
        price_multi=16,
    ),
    ImageModel(
        name="kling-v2-new",
        text_to_image=False,
        image_to_image=True,
        aspect_ratios=IMAGE_ASPECT_RATIOS,
        resolutions=("1k",),
        price_t2i=8,
        price_i2i=8,
    ),
    ImageModel(
        name="kling-v2-1",
        text_to_image=True,
        image_to_image=True,
        aspect_ratios=IMAGE_ASPECT_RATIOS,
        resolutions=("1k", "2k"),
        image_reference=True,
        fidelity=True,
        multi_image=True,
        price_t2i=4,
        price_i2i=8,
        price_multi=16,
    ),
    ImageModel(
        name="kling-v3",
        text_to_image=True,
        image_to_image=True,
        aspect_ratios=IMAGE_ASPECT_RATIOS,
        resolutions=("1k", "2k"),
        elements=True,
        price_t2i=8,
        price_i2i=8,
    ),
)
OMNI_IMAGE_MODELS: tuple[ImageModel, ...] = (
    ImageModel(
        name="kling-image-o1",
        text_to_image=True,
        image_to_image=True,
        aspect_ratios=(*IMAGE_ASPECT_RATIOS, "auto"),
        resolutions=("1k", "2k"),
        elements=True,
        price_t2i=8,
        price_i2i=8,
    ),
    ImageModel(
        name="kling-v3-omni",
        text_to_image=True,
        image_to_image=True,
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
