"""The facts about the Kling API, as data.

Everything here comes from ``shared/reference/kling-api.md`` (section numbers in the comments).
Validation, cost estimates, the CLI's choices and help, and the sandbox all read these tables;
adding a model is an edit here and nowhere else.
"""

from __future__ import annotations

from . import _tryon
from ._types import Endpoint

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
VOICE_SPEED_DEFAULT = 1.0  # lip-sync and TTS speak at 1.0 when voice_speed is left out (§2.5, §2.12; H)
VOICE_LANGUAGES = ("zh", "en")
SOUND_VOLUME = (0.0, 2.0)
PAGE_NUM = (1, 1000)
PAGE_SIZE = (1, 500)
TASKS_QUERY_IDS_MAX = 20  # GET /tasks?task_ids=... (§2.13)
TASKS_LIST_LIMIT = (1, 500)
BILLING_LIMIT = (1, 500)
RETENTION_DAYS = 30  # §7.3: outputs are cleared after 30 days

VIDEO_ASPECT_RATIOS = ("16:9", "9:16", "1:1")
DEFAULT_ASPECT_RATIO = (
    "16:9"  # what the legacy and 2026 video and image routes use when aspect_ratio is absent
)
DEFAULT_IMAGE_RESOLUTION = "1k"  # the image routes' resolution when none is given
IMAGE_ASPECT_RATIOS: tuple[str, ...] = ("16:9", "9:16", "1:1", "4:3", "3:4", "3:2", "2:3", "21:9")
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
# Input lengths in seconds (§2.5, §7.4): the classic lip-sync's video_url, identify-face's video_url and
# the advanced lip-sync's sound_file.
LIPSYNC_VIDEO_SECONDS = (2.0, 10.0)
IDENTIFY_FACE_VIDEO_SECONDS = (2.0, 60.0)
LIPSYNC_SOUND_SECONDS = (2.0, 60.0)
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
TRYON_SOLUTION_SETTINGS = tuple(_tryon.SETTINGS)  # Try-On 3.0's options live in ._tryon (data)

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


# The model tables and the name lists live in their own modules; re-exported so the catalog reads one
# namespace (they import the limits above, so they come last).
from ._models import (  # noqa: E402
    FLAT_PRICES,
    IMAGE_MODELS,
    LIPSYNC_BLOCK_SECONDS,
    MULTI_IMAGE_TO_IMAGE_MODELS,
    MULTI_IMAGE_TO_VIDEO_MODELS,
    NEW_ONLY_PRICES,
    NEW_VIDEO_MODELS,
    OMNI_IMAGE_MODELS,
    OMNI_VIDEO_MODELS,
    TRYON_MODELS,
    UNKNOWN_MODEL_PRICES,
    VIDEO_MODELS,
)
from ._names import (  # noqa: E402
    CAMERA_PRESETS,
    DUAL_IMAGE_EFFECTS,
    LEGACY_DUAL_EFFECTS,
    SINGLE_IMAGE_EFFECTS,
    VOICES,
)

__all__ = [
    "ACCOUNT_COSTS_PATH",
    "ADVANCED_LIPSYNC_FACES",
    "AUDIO_FORMATS",
    "AUDIO_MAX_BYTES",
    "BILLING_BALANCE_PATH",
    "BILLING_LIMIT",
    "BILLING_PACKAGE_PATH",
    "CAMERA_AXES",
    "CAMERA_PRESETS",
    "CAMERA_TYPES",
    "DEFAULT_ASPECT_RATIO",
    "DEFAULT_IMAGE_RESOLUTION",
    "DEFAULT_MODELS",
    "DEFAULT_MODES",
    "DEFAULT_REGION",
    "DEFAULT_VIDEO_DURATION",
    "DUAL_IMAGE_EFFECTS",
    "DYNAMIC_MASKS_MAX",
    "ELEMENT_LIST_MAX",
    "ENDPOINTS",
    "ERROR_CODES",
    "EXPAND_AREA_MAX",
    "FLAT_PRICES",
    "IDENTIFY_FACE_VIDEO_SECONDS",
    "IMAGE_ASPECT_MAX",
    "IMAGE_ASPECT_MIN",
    "IMAGE_ASPECT_RATIOS",
    "IMAGE_ELEMENTS_MAX",
    "IMAGE_FORMATS",
    "IMAGE_MAX_BYTES",
    "IMAGE_MAX_BYTES_NEW",
    "IMAGE_MIN_SIDE",
    "IMAGE_MODELS",
    "IMAGE_REFERENCES",
    "IMAGE_RESOLUTIONS",
    "LEGACY_DUAL_EFFECTS",
    "LIPSYNC_AUDIO_TYPES",
    "LIPSYNC_BLOCK_SECONDS",
    "LIPSYNC_MIN_AUDIO_MS",
    "LIPSYNC_MODES",
    "LIPSYNC_SOUND_SECONDS",
    "LIPSYNC_TEXT_MAX",
    "LIPSYNC_VIDEO_SECONDS",
    "MODE_ALIASES",
    "MODE_RESOLUTION",
    "MULTI_IMAGE_TO_IMAGE_MODELS",
    "MULTI_IMAGE_TO_VIDEO_MODELS",
    "MULTI_IMAGE_VIDEO_MAX",
    "MULTI_PROMPT_ITEM_MAX",
    "MULTI_SHOT_MAX",
    "NEGATIVE_PROMPT_MAX",
    "NEW_AUDIO_VALUES",
    "NEW_ONLY_PRICES",
    "NEW_TASKS_PATH",
    "NEW_VIDEO_MODELS",
    "OMNI_IMAGE_LIST_TYPES",
    "OMNI_IMAGE_MODELS",
    "OMNI_IMAGE_RESULT_TYPES",
    "OMNI_KEEP_SOUND",
    "OMNI_NEW_CONTENT_TYPES",
    "OMNI_NEW_DEFAULT_RESOLUTION",
    "OMNI_NEW_PROMPT_MAX",
    "OMNI_REFERENCE_VIDEO_SECONDS",
    "OMNI_SERIES_AMOUNT",
    "OMNI_SHORT_DURATIONS",
    "OMNI_SHORT_DURATION_MODELS",
    "OMNI_VIDEO_LIST_MAX",
    "OMNI_VIDEO_MODELS",
    "OMNI_VIDEO_REFER_TYPES",
    "PAGE_NUM",
    "PAGE_SIZE",
    "PROMPT_MAX",
    "PROMPT_MAX_V3_NEW",
    "REGIONS",
    "RESOLUTION_HEIGHT",
    "RETENTION_DAYS",
    "RISK_CONTROL_MESSAGE",
    "SHOT_TYPES",
    "SINGLE_IMAGE_EFFECTS",
    "SOLUTIONS_PATH",
    "SOUND_VALUES",
    "SOUND_VOLUME",
    "TASKS_LIST_LIMIT",
    "TASKS_QUERY_IDS_MAX",
    "TEXT_TO_AUDIO_DECIMALS",
    "TEXT_TO_AUDIO_DURATION",
    "TEXT_TO_AUDIO_PROMPT_MAX",
    "TRYON_MODELS",
    "TRYON_SOLUTION_FORMATS",
    "TRYON_SOLUTION_LONG_SIDE_MAX",
    "TRYON_SOLUTION_SETTINGS",
    "TTS_TEXT_MAX",
    "UNKNOWN_MODEL_PRICES",
    "USD_PER_UNIT",
    "VIDEO_ASPECT_RATIOS",
    "VIDEO_FORMATS",
    "VIDEO_INPUT_MAX_BYTES",
    "VIDEO_MODELS",
    "VIDEO_MODES",
    "VIDEO_TO_AUDIO_DURATION",
    "VIDEO_TO_AUDIO_PROMPT_MAX",
    "VOICES",
    "VOICE_LANGUAGES",
    "VOICE_LIST_MAX",
    "VOICE_SPEED",
    "VOICE_SPEED_DEFAULT",
]
