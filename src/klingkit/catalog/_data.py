"""The facts about the Kling API, as data.

Everything here comes from ``shared/reference/kling-api.md`` (section numbers in the comments).
Validation, cost estimates, the CLI's choices and help, and the sandbox all read these tables;
adding a model is an edit here and nowhere else.
"""

from __future__ import annotations

from ._types import (
    Endpoint,
    ImageModel,
    NewVideoModel,
    VideoModel,
)

# --- regions (§1.1) -------------------------------------------------------------------------------
REGIONS: dict[str, str] = {
    "global": "https://api-singapore.klingai.com",
    "cn": "https://api-beijing.klingai.com",
    "legacy": "https://api.klingai.com",
}
DEFAULT_REGION = "global"

# --- money (§7.2) ----------------------------------------------------------------------------------
# List price of one resource-pack unit, in US dollars, per pack type.
USD_PER_UNIT: dict[str, float] = {"video": 0.14, "image": 0.0035, "tryon": 0.07, "audio": 0.14}

# --- limits (§2.0, §7.4) -------------------------------------------------------------------------
PROMPT_MAX = 2500
NEGATIVE_PROMPT_MAX = 2500
PROMPT_MAX_V3_NEW = 3072  # new-standard kling-3.0 text-to-video
MULTI_PROMPT_ITEM_MAX = 512
MULTI_SHOT_MAX = 6
IMAGE_MAX_BYTES = 10 * 1024 * 1024
IMAGE_MAX_BYTES_NEW = 50 * 1024 * 1024  # new-standard image-to-video
IMAGE_MIN_SIDE = 300
IMAGE_ASPECT_MIN = 1 / 2.5
IMAGE_ASPECT_MAX = 2.5
IMAGE_FORMATS = ("jpeg", "png")  # Pillow's format names, lower-cased
TRYON_SOLUTION_FORMATS = ("jpeg", "png", "webp")
TRYON_SOLUTION_LONG_SIDE_MAX = 2048
AUDIO_MAX_BYTES = 5 * 1024 * 1024
AUDIO_FORMATS = ("mp3", "wav", "m4a", "aac")
VIDEO_INPUT_MAX_BYTES = 100 * 1024 * 1024
N_MIN, N_MAX = 1, 9
CFG_MIN, CFG_MAX = 0.0, 1.0
CAMERA_AXES = ("horizontal", "vertical", "pan", "tilt", "roll", "zoom")
CAMERA_AXIS_MIN, CAMERA_AXIS_MAX = -10.0, 10.0
CAMERA_TYPES = ("simple", "down_back", "forward_up", "right_turn_forward", "left_turn_forward")
DYNAMIC_MASKS_MAX = 6
TRAJECTORY_POINTS_MIN, TRAJECTORY_POINTS_MAX = 2, 77
ELEMENT_LIST_MAX = 3
VOICE_LIST_MAX = 2
MULTI_IMAGE_VIDEO_MAX = 4
SUBJECT_IMAGES_MIN, SUBJECT_IMAGES_MAX = 1, 4
EXPAND_RATIO_MIN, EXPAND_RATIO_MAX = 0.0, 2.0
EXPAND_AREA_MAX = 3.0  # the new image area may be at most 3x the original
TEXT_TO_AUDIO_PROMPT_MAX = 200
TEXT_TO_AUDIO_DURATION = (3.0, 10.0)
VIDEO_TO_AUDIO_PROMPT_MAX = 200
VIDEO_TO_AUDIO_DURATION = (3.0, 20.0)
TTS_TEXT_MAX = 1000
LIPSYNC_TEXT_MAX = 120
VOICE_SPEED = (0.8, 2.0)
VOICE_LANGUAGES = ("zh", "en")
SOUND_VOLUME = (0.0, 2.0)
PAGE_NUM = (1, 1000)
PAGE_SIZE = (1, 500)
TASKS_QUERY_IDS_MAX = 20  # GET /tasks?task_ids=... (§2.13)
TASKS_LIST_LIMIT = (1, 500)
BILLING_LIMIT = (1, 500)
RETENTION_DAYS = 30  # §7.3: outputs are cleared after 30 days

VIDEO_ASPECT_RATIOS = ("16:9", "9:16", "1:1")
IMAGE_ASPECT_RATIOS = ("16:9", "9:16", "1:1", "4:3", "3:4", "3:2", "2:3", "21:9")
VIDEO_MODES = ("std", "pro", "4k")
MODE_ALIASES = {"standard": "std", "professional": "pro", "std": "std", "pro": "pro", "4k": "4k"}
MODE_RESOLUTION = {"std": "720p", "pro": "1080p", "4k": "4k"}
RESOLUTION_HEIGHT = {"720p": 720, "1080p": 1080, "4k": 2160}

# --- request enums and defaults (§2.1-§2.15) ----------------------------------------------------------
# What the service uses when a field is left out (model_name empty => kling-v1, §2.0).
DEFAULT_MODELS: dict[str, str] = {
    "text2video": "kling-v1",
    "image2video": "kling-v1",
    "multi-image2video": "kling-v1-6",
    "images/generations": "kling-v1",
    "multi-image2image": "kling-v2-1",
    "omni-image": "kling-image-o1",
    "omni-video": "kling-video-o1",
    "kolors-virtual-try-on": "kolors-virtual-try-on-v1",
}
DEFAULT_MODES: dict[str, str] = {"omni-video": "pro"}  # everything else defaults to std
DEFAULT_VIDEO_DURATION = 5
SOUND_VALUES = ("on", "off")
NEW_AUDIO_VALUES = ("native", "off")  # 2026 routes: settings.audio
SHOT_TYPES = ("customize", "intelligence")
IMAGE_REFERENCES = ("subject", "face")
IMAGE_RESOLUTIONS = ("1k", "2k", "4k")
LIPSYNC_MODES = ("text2video", "audio2video")
LIPSYNC_AUDIO_TYPES = ("file", "url")
LIPSYNC_MIN_AUDIO_MS = 2000  # advanced lip-sync: cropped audio at least 2 s
ADVANCED_LIPSYNC_FACES = 1  # advanced lip-sync: face_choose holds one face ("currently 1 face", §2.5b)
TEXT_TO_AUDIO_DECIMALS = 1  # text-to-audio duration: "3.0-10.0 (1 decimal)" (§2.11)
OMNI_IMAGE_RESULT_TYPES = ("single", "series")
OMNI_SERIES_AMOUNT = (2, 9)  # or "auto"
OMNI_IMAGE_LIST_TYPES = ("first_frame", "end_frame")
OMNI_VIDEO_REFER_TYPES = ("base", "feature")
OMNI_KEEP_SOUND = ("yes", "no")
OMNI_SHORT_DURATIONS = (5, 10)  # kling-video-o1 text-to-video and first-frame-only
OMNI_SHORT_DURATION_MODELS = ("kling-video-o1",)  # the models OMNI_SHORT_DURATIONS applies to
OMNI_VIDEO_LIST_MAX = 1  # §7.4: one reference video
OMNI_REFERENCE_VIDEO_SECONDS = (3.0, 10.0)  # §7.4: omni reference videos are 3-10 s
# 2026 /omni-video/{model} (§2.15 convention; the omni page itself is not in the reference, conf M):
# typed contents[] items, settings{resolution, duration, aspect_ratio, audio}, options{...}.
OMNI_NEW_CONTENT_TYPES = ("prompt", "first_frame", "last_frame", "element", "video")
OMNI_NEW_PROMPT_MAX = PROMPT_MAX  # guessed: the legacy omni limit (kling-3.0's 3072 is not documented here)
OMNI_NEW_DEFAULT_RESOLUTION = "720p"  # guessed: the 2026 routes' documented default (§2.15)
IMAGE_ELEMENTS_MAX = 10  # images/generations: elements + images together (2026)
VIDEO_FORMATS = ("mp4", "mov")
TRYON_SOLUTION_SETTINGS = ("keep_face", "keep_pose", "keep_background")

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
    "effect_single": 2.0,
    "effect_dual": 3.5,
}

# --- effects (§2.6) ----------------------------------------------------------------------------------
DUAL_IMAGE_EFFECTS = (
    "pet_skateboard",
    "daily_ootd",
    "toss_run",
    "switch_to_silk",
    "studio_look",
    "french_elegance",
    "finger_swipe",
    "smooth_transition",
    "snow_night_kiss",
    "eternal_kiss",
    "cheers_2026",
    "kiss_pro",
    "fight_pro",
    "hug_pro",
    "heart_gesture_pro",
)
# The 2025 two-person scenes with model_name/mode/duration inside ``input`` (retired 2026-01-30).
LEGACY_DUAL_EFFECTS = ("hug", "kiss", "heart_gesture", "fight")
# A sample of single-image scenes; the service has ~190 and adds more, so unknown names pass.
SINGLE_IMAGE_EFFECTS = (
    "color_mixing",
    "pet_lion",
    "pet_chef",
    "bullet_time",
    "firework",
    "snowglobe",
    "magic_cloak",
    "balloon_parade",
    "anime_figure",
    "instant_film",
    "day_to_night",
    "dollar_rain",
    "squish",
    "expansion",
    "fairy_wing",
    "angel_wing",
)

# --- lip-sync voices (§2.5) ----------------------------------------------------------------------------
VOICES: dict[str, tuple[str, ...]] = {
    "en": (
        "genshin_vindi2",
        "zhinen_xuesheng",
        "AOT",
        "ai_shatang",
        "genshin_klee2",
        "genshin_kirara",
        "ai_kaiya",
        "oversea_male1",
        "ai_chenjiahao_712",
        "girlfriend_4_speech02",
        "chat1_female_new-3",
        "chat_0407_5-1",
        "cartoon-boy-07",
        "uk_boy1",
        "cartoon-girl-01",
        "PeppaPig_platform",
        "ai_huangzhong_712",
        "ai_huangyaoshi_712",
        "ai_laoguowang_712",
        "chengshu_jiejie",
        "you_pingjing",
        "calm_story1",
        "uk_man2",
        "laopopo_speech02",
        "heainainai_speech02",
        "reader_en_m-v1",
        "commercial_lady_en_f-v1",
    ),
    "zh": (
        "genshin_vindi2",
        "zhinen_xuesheng",
        "tiyuxi_xuedi",
        "ai_shatang",
        "genshin_klee2",
        "genshin_kirara",
        "ai_kaiya",
        "tiexin_nanyou",
        "ai_chenjiahao_712",
        "girlfriend_1_speech02",
        "chat1_female_new-3",
        "girlfriend_2_speech02",
        "cartoon-boy-07",
        "cartoon-girl-01",
        "ai_huangyaoshi_712",
        "you_pingjing",
        "ai_laoguowang_712",
        "chengshu_jiejie",
        "zhuxi_speech02",
        "uk_oldman3",
        "laopopo_speech02",
        "heainainai_speech02",
        "dongbeilaotie_speech02",
        "chongqingxiaohuo_speech02",
        "chuanmeizi_speech02",
        "chaoshandashu_speech02",
        "ai_taiwan_man2_speech02",
        "xianzhanggui_speech02",
        "tianjinjiejie_speech02",
        "diyinnansang_DB_CN_M_04-v2",
        "yizhipiannan-v1",
        "guanxiaofang-v2",
        "tianmeixuemei-v1",
        "daopianyansang-v1",
        "mengwa-v1",
    ),
}

# --- camera presets (ours, for people; each one is a configuration the API accepts) ------------------
# ``simple`` takes exactly one non-zero axis (§2.1), so a move that a person describes with two axes is
# mapped to its dominant one. Positive horizontal = camera moves right; positive vertical = camera moves up;
# positive zoom = camera pushes in.
CAMERA_PRESETS: dict[str, dict[str, object]] = {
    "zoom_in": {"type": "simple", "config": {"zoom": 5}},
    "zoom_out": {"type": "simple", "config": {"zoom": -5}},
    "pan_left": {"type": "simple", "config": {"horizontal": -5}},
    "pan_right": {"type": "simple", "config": {"horizontal": 5}},
    "tilt_up": {"type": "simple", "config": {"vertical": 5}},
    "tilt_down": {"type": "simple", "config": {"vertical": -5}},
    "roll_left": {"type": "simple", "config": {"roll": -5}},
    "roll_right": {"type": "simple", "config": {"roll": 5}},
    "swivel_left": {"type": "simple", "config": {"pan": -5}},
    "swivel_right": {"type": "simple", "config": {"pan": 5}},
    "dolly_forward": {"type": "simple", "config": {"zoom": 3}},
    "dolly_back": {"type": "simple", "config": {"zoom": -3}},
    "dramatic_push": {"type": "simple", "config": {"zoom": 8}},
    "epic_reveal": {"type": "simple", "config": {"zoom": -7}},
    "crane_up": {"type": "simple", "config": {"vertical": 6}},
    "crane_down": {"type": "simple", "config": {"vertical": -6}},
    "orbit_right": {"type": "simple", "config": {"horizontal": 6}},
    "orbit_left": {"type": "simple", "config": {"horizontal": -6}},
    "orbit_subject": {"type": "simple", "config": {"horizontal": 7}},
    "down_back": {"type": "down_back"},
    "forward_up": {"type": "forward_up"},
    "right_turn_forward": {"type": "right_turn_forward"},
    "left_turn_forward": {"type": "left_turn_forward"},
}

# --- routes (§2) ---------------------------------------------------------------------------------------
# feature -> create path, query prefix, route family, resource-pack type, output kind.
ENDPOINTS: dict[str, Endpoint] = {
    e.feature: e
    for e in (
        Endpoint("text2video", "/v1/videos/text2video", "legacy", "video", "video"),
        Endpoint("image2video", "/v1/videos/image2video", "legacy", "video", "video"),
        Endpoint("multi-image2video", "/v1/videos/multi-image2video", "legacy", "video", "video"),
        Endpoint("video-extend", "/v1/videos/video-extend", "legacy", "video", "video"),
        Endpoint("lip-sync", "/v1/videos/lip-sync", "legacy", "video", "video"),
        Endpoint("identify-face", "/v1/videos/identify-face", "legacy", "video", "face", sync=True),
        Endpoint("advanced-lip-sync", "/v1/videos/advanced-lip-sync", "legacy", "video", "video"),
        Endpoint("effects", "/v1/videos/effects", "legacy", "video", "video"),
        Endpoint("omni-video", "/v1/videos/omni-video", "legacy", "video", "video"),
        Endpoint("images/generations", "/v1/images/generations", "legacy", "image", "image"),
        Endpoint("multi-image2image", "/v1/images/multi-image2image", "legacy", "image", "image"),
        Endpoint("editing/expand", "/v1/images/editing/expand", "legacy", "image", "image"),
        Endpoint("omni-image", "/v1/images/omni-image", "legacy", "image", "image"),
        Endpoint("kolors-virtual-try-on", "/v1/images/kolors-virtual-try-on", "legacy", "tryon", "image"),
        Endpoint("text-to-audio", "/v1/audio/text-to-audio", "legacy", "audio", "audio"),
        Endpoint("video-to-audio", "/v1/audio/video-to-audio", "legacy", "audio", "audio"),
        Endpoint("tts", "/v1/audio/tts", "legacy", "audio", "audio", sync=True),
        Endpoint("text-to-video", "/text-to-video", "new", "video", "video", model_in_path=True),
        Endpoint("image-to-video", "/image-to-video", "new", "video", "video", model_in_path=True),
        Endpoint("omni-video-new", "/omni-video", "new", "video", "video", model_in_path=True),
        Endpoint("virtual_try_on", "/solutions/virtual_try_on", "solutions", "tryon", "image"),
    )
}
NEW_TASKS_PATH = "/tasks"
SOLUTIONS_PATH = "/solutions"
ACCOUNT_COSTS_PATH = "/account/costs"
BILLING_PACKAGE_PATH = "/account/billing/package"
BILLING_BALANCE_PATH = "/account/billing/balance"

# --- error codes (§4): code -> (HTTP status, short meaning) ---------------------------------------------
ERROR_CODES: dict[int, tuple[int, str]] = {
    1000: (401, "Authentication failed"),
    1001: (401, "Authorization is empty"),
    1002: (401, "Authorization is invalid"),
    1003: (401, "Authorization is not yet valid"),
    1004: (401, "Authorization has expired"),
    1100: (429, "Account exception"),
    1101: (429, "Account in arrears (postpaid)"),
    1102: (429, "Resource pack depleted or expired"),
    1103: (403, "Unauthorized access to requested resource"),
    1200: (400, "Invalid request parameters"),
    1201: (400, "Invalid parameters"),
    1202: (404, "The requested method is invalid"),
    1203: (404, "The requested resource does not exist"),
    1300: (400, "Trigger strategy of the platform"),
    1301: (400, "Trigger the content security policy"),
    1302: (429, "The API request is too fast"),
    1303: (429, "parallel task over resource pack limit"),
    1304: (429, "Trigger the platform's IP whitelisting policy"),
    5000: (500, "Server internal error"),
    5001: (503, "Server temporarily unavailable"),
    5002: (504, "Server internal timeout"),
}
RISK_CONTROL_MESSAGE = "Failure to pass the risk control system"
