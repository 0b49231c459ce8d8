"""The parameters of every create endpoint, typed: one ``TypedDict`` per endpoint.

Field names are the API's own (``model_name``, ``negative_prompt``, ``image_tail``...), so the reference
tables read straight across. Where the API nests (``input`` on lip-sync and effects, ``settings`` and
``options`` on the 2026 routes) the parameters are flat and the request builder nests them.

Media fields take a :data:`MediaInput`: a path to a local file, ``bytes``, an ``http(s)`` URL (passed
through), a ``PIL.Image.Image`` or a base64 string; local data is sent as raw base64 (no ``data:`` prefix).

The ``Literal`` enums mirror the catalog (``klingkit.catalog``); a test keeps them in step. Model names
are plain ``str`` on purpose: the catalog knows which exist, and a model newer than this library passes
with a warning instead of a type error.

Units: ``duration`` in seconds; ``sound_*_time`` in milliseconds; ratios and volumes are plain factors.
"""

import os
from typing import TYPE_CHECKING, Literal, TypeAlias, Union

from typing_extensions import Required, TypedDict

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

__all__ = [
    "AdvancedLipSyncParams",
    "AspectRatio",
    "CameraConfig",
    "CameraControl",
    "CameraType",
    "DynamicMask",
    "EffectsParams",
    "ElementRef",
    "ExpandParams",
    "FaceChoice",
    "IdentifyFaceParams",
    "ImageAspectRatio",
    "ImageGenerationParams",
    "ImageToVideoParams",
    "LipSyncParams",
    "MediaInput",
    "Mode",
    "MultiImageToImageParams",
    "MultiImageToVideoParams",
    "MultiPromptItem",
    "OmniImageListItem",
    "OmniImageParams",
    "OmniVideoImage",
    "OmniVideoParams",
    "OmniVideoRef",
    "TextToAudioParams",
    "TextToVideoParams",
    "TrajectoryPoint",
    "TryOnParams",
    "TtsParams",
    "VideoExtendParams",
    "VideoToAudioParams",
    "VoiceRef",
    "WatermarkInfo",
]

MediaInput: TypeAlias = Union[str, bytes, "os.PathLike[str]", "PILImage"]
"""A path, raw bytes, an http(s) URL, a PIL image or a base64 string."""

Mode = Literal["std", "pro", "4k", "standard", "professional"]
"""Quality mode: ``std`` (720p), ``pro`` (1080p), ``4k`` (kling-v3); the long spellings are aliases."""
AspectRatio = Literal["16:9", "9:16", "1:1"]
ImageAspectRatio = Literal["16:9", "9:16", "1:1", "4:3", "3:4", "3:2", "2:3", "21:9"]
OmniImageAspectRatio = Literal["16:9", "9:16", "1:1", "4:3", "3:4", "3:2", "2:3", "21:9", "auto"]
Sound = Literal["on", "off"]
NewAudio = Literal["native", "off"]
Resolution = Literal["720p", "1080p", "4k"]
ImageResolution = Literal["1k", "2k", "4k"]
CameraType = Literal["simple", "down_back", "forward_up", "right_turn_forward", "left_turn_forward"]
ShotType = Literal["customize", "intelligence"]
ImageReference = Literal["subject", "face"]
VoiceLanguage = Literal["zh", "en"]
LipSyncMode = Literal["text2video", "audio2video"]
LipSyncAudioType = Literal["file", "url"]
Duration = int | float | str
"""Seconds; legacy routes send it as a string (``"5"``), 2026 routes as an integer."""
BoolLike = bool | Literal["true", "false"]
"""A boolean; the strings ``"true"``/``"false"`` (as in the official multi-shot sample) are accepted."""


class WatermarkInfo(TypedDict):
    """``{"enabled": true}`` also produces a watermarked copy (``watermark_url``)."""

    enabled: bool


class CameraConfig(TypedDict, total=False):
    """Camera movement for ``type="simple"``: exactly one axis non-zero, each in [-10, 10]."""

    horizontal: float
    vertical: float
    pan: float
    tilt: float
    roll: float
    zoom: float


class CameraControl(TypedDict, total=False):
    """``type`` plus, only for ``simple``, a :class:`CameraConfig`."""

    type: Required[CameraType]
    config: CameraConfig | None


class MultiPromptItem(TypedDict, total=False):
    """One shot of a multi-shot video: ``duration`` seconds (>= 1), ``prompt`` <= 512 characters.

    ``index`` (1-based) is filled in from the position when left out.
    """

    index: int
    prompt: Required[str]
    duration: Required[Duration]


class ElementRef(TypedDict):
    """A reference to a saved element (subject), by id."""

    element_id: int | str


class VoiceRef(TypedDict):
    """A voice for voice control; the prompt refers to it as ``<<<voice_1>>>``."""

    voice_id: str


class TrajectoryPoint(TypedDict):
    """A motion-brush point in pixels, origin at the bottom-left of the image."""

    x: int
    y: int


class DynamicMask(TypedDict):
    """A motion-brush region (``mask`` image) and its path (2-77 points for 5 s)."""

    mask: MediaInput
    trajectories: list[TrajectoryPoint]


class _Common(TypedDict, total=False):
    model: str
    """Short for ``model_name`` (on the endpoints that take a model)."""
    callback_url: str
    """Where the service POSTs status changes."""
    external_task_id: str
    """Your own unique id for the task; klingkit generates one when absent."""
    watermark_info: WatermarkInfo
    """``{"enabled": True}`` also produces a watermarked copy."""


class _VideoCommon(_Common, total=False):
    model_name: str
    """Legacy ``kling-v1`` ... ``kling-v3``; a 2026 name (``kling-3.0``, ``kling-2.6``, ``kling-3.0-turbo``)
    routes to the model-in-path API."""
    prompt: str
    """At most 2500 characters (3072 for kling-3.0 on the 2026 route)."""
    negative_prompt: str
    """At most 2500 characters."""
    mode: Mode
    duration: Duration
    """Seconds: 5 or 10 on most models, 3-15 on kling-v3."""
    cfg_scale: float
    """Prompt adherence 0..1 (kling-v1.x only)."""
    sound: Sound | bool
    """``on`` (or True) generates native audio (kling-v2-6 pro, kling-v3)."""
    camera_control: CameraControl
    multi_shot: BoolLike
    """kling-v3 only: split the video into shots (``shot_type``, ``multi_prompt``)."""
    shot_type: ShotType
    multi_prompt: list[MultiPromptItem]
    """1-6 shots whose durations add up to ``duration``."""
    voice_list: list[VoiceRef]
    """At most 2 voices; needs ``sound="on"``; excludes ``element_list``."""
    element_list: list[ElementRef]
    """At most 3 elements (kling-v3)."""
    resolution: Resolution
    """2026 routes only (``settings.resolution``); on legacy routes use ``mode``."""
    audio: NewAudio
    """2026 routes only (``settings.audio``); on legacy routes use ``sound``."""


class TextToVideoParams(_VideoCommon, total=False):
    """``POST /v1/videos/text2video`` or, for a 2026 model name, ``POST /text-to-video/{model}``."""

    aspect_ratio: AspectRatio


class ImageToVideoParams(_VideoCommon, total=False):
    """``POST /v1/videos/image2video`` or, for a 2026 model name, ``POST /image-to-video/{model}``.

    ``image`` (first frame) and ``image_tail`` (last frame), the motion brush (``static_mask``,
    ``dynamic_masks``) and ``camera_control`` are three mutually exclusive choices.
    """

    image: MediaInput
    image_tail: MediaInput
    static_mask: MediaInput
    dynamic_masks: list[DynamicMask]
    """At most 6."""


class MultiImageToVideoParams(_Common, total=False):
    """``POST /v1/videos/multi-image2video`` (kling-v1-6): 1-4 reference images."""

    model_name: str
    image_list: Required[list[MediaInput]]
    """1-4 images (``{"image": ...}`` dicts are accepted too)."""
    prompt: Required[str]
    negative_prompt: str
    mode: Mode
    duration: Duration
    aspect_ratio: AspectRatio


class VideoExtendParams(_Common, total=False):
    """``POST /v1/videos/video-extend``: adds 4-5 s to a Kling video (model and mode are inherited)."""

    video_id: Required[str]
    prompt: str
    negative_prompt: str
    cfg_scale: float


class LipSyncParams(_Common, total=False):
    """``POST /v1/videos/lip-sync`` (classic): the fields go into the body's ``input`` object.

    ``mode="text2video"`` speaks ``text`` (<= 120 characters) with ``voice_id``; ``audio2video`` uses
    ``audio_file`` (a local file or base64) or ``audio_url``.
    """

    video_id: str
    video_url: MediaInput
    mode: Required[LipSyncMode]
    text: str
    voice_id: str
    voice_language: VoiceLanguage
    voice_speed: float
    """0.8..2.0."""
    audio_type: LipSyncAudioType
    """Inferred from ``audio_file``/``audio_url`` when left out."""
    audio_file: MediaInput
    audio_url: str


class IdentifyFaceParams(TypedDict, total=False):
    """``POST /v1/videos/identify-face`` (answers at once): ``video_id`` XOR ``video_url``."""

    video_id: str
    video_url: MediaInput


class FaceChoice(TypedDict, total=False):
    """One face to drive in advanced lip-sync; times in milliseconds, volumes 0..2."""

    face_id: Required[str]
    audio_id: str
    sound_file: MediaInput
    sound_start_time: Required[int]
    sound_end_time: Required[int]
    sound_insert_time: Required[int]
    sound_volume: float
    original_audio_volume: float


class AdvancedLipSyncParams(_Common, total=False):
    """``POST /v1/videos/advanced-lip-sync``: a ``session_id`` from identify-face and the faces to drive."""

    session_id: Required[str]
    face_choose: Required[list[FaceChoice]]


class EffectsParams(_Common, total=False):
    """``POST /v1/videos/effects``: the media fields go into the body's ``input`` object.

    Single-image scenes take ``image``; dual-image scenes (``hug_pro``...) take exactly 2 ``images``. The
    2025 shape also had ``duration`` and, for the retired two-person scenes, ``model_name`` and ``mode``.
    """

    effect_scene: Required[str]
    image: MediaInput
    images: list[MediaInput]
    model_name: str
    mode: Mode
    duration: Duration


class OmniVideoImage(TypedDict, total=False):
    """An omni-video image reference; ``type`` marks a first or end frame."""

    image_url: Required[MediaInput]
    type: Literal["first_frame", "end_frame"]


class OmniVideoRef(TypedDict, total=False):
    """An omni-video reference video: ``base`` to edit it, ``feature`` to borrow its look."""

    video_url: Required[str]
    refer_type: Literal["base", "feature"]
    keep_original_sound: Literal["yes", "no"]


class OmniVideoParams(_Common, total=False):
    """``POST /v1/videos/omni-video`` (kling-video-o1, kling-v3-omni) or, for a 2026 model name
    (``kling-3.0-omni``, ``kling-o1``), ``POST /omni-video/{model}``.

    On the 2026 route the same parameters are sent in the 2026 shape (``contents[]`` typed items,
    ``settings{}``, ``options{}``): ``mode`` maps to ``settings.resolution`` and ``sound`` to
    ``settings.audio``; image references need a ``type`` (first/end frame) there.
    """

    model_name: str
    prompt: str
    negative_prompt: str
    image_list: list[OmniVideoImage]
    element_list: list[ElementRef]
    video_list: list[OmniVideoRef]
    mode: Mode
    aspect_ratio: AspectRatio
    duration: Duration
    sound: Sound | bool
    resolution: Resolution
    """2026 route only (``settings.resolution``); on the legacy route use ``mode``."""
    audio: NewAudio
    """2026 route only (``settings.audio``, kling-3.0-omni); on the legacy route use ``sound``."""


class ImageGenerationParams(_Common, total=False):
    """``POST /v1/images/generations``: text-to-image, or image-to-image with ``image``."""

    model_name: str
    prompt: Required[str]
    negative_prompt: str
    """Not with ``image``."""
    image: MediaInput
    image_reference: ImageReference
    image_fidelity: float
    """0..1."""
    human_fidelity: float
    """0..1; only with ``image_reference="subject"``."""
    element_list: list[ElementRef]
    resolution: ImageResolution
    n: int
    """1..9 images."""
    aspect_ratio: ImageAspectRatio


class MultiImageToImageParams(_Common, total=False):
    """``POST /v1/images/multi-image2image``: 1-4 subjects, optional scene and style images."""

    model_name: str
    prompt: str
    negative_prompt: str
    subject_image_list: Required[list[MediaInput]]
    """1-4 images (``{"subject_image": ...}`` dicts are accepted too)."""
    scene_image: MediaInput
    style_image: MediaInput
    n: int
    aspect_ratio: ImageAspectRatio


class ExpandParams(_Common, total=False):
    """``POST /v1/images/editing/expand``: ratios of the original height/width, each 0..2, area <= 3x."""

    image: Required[MediaInput]
    up_expansion_ratio: Required[float]
    down_expansion_ratio: Required[float]
    left_expansion_ratio: Required[float]
    right_expansion_ratio: Required[float]
    prompt: str
    n: int


class TryOnParams(_Common, total=False):
    """Virtual try-on.

    Legacy ``POST /v1/images/kolors-virtual-try-on``: ``human_image`` + ``cloth_image``. The 2026 solution
    ``POST /solutions/virtual_try_on`` (``solution=True``, or ``person_image``/``product_image`` given):
    ``person_image`` + ``product_image`` and the ``keep_*`` switches (default true).
    """

    model_name: str
    human_image: MediaInput
    cloth_image: MediaInput
    solution: bool
    person_image: MediaInput
    product_image: MediaInput
    keep_face: bool
    keep_pose: bool
    keep_background: bool


class OmniImageListItem(TypedDict):
    """An omni-image reference image."""

    image: MediaInput


class OmniImageParams(_Common, total=False):
    """``POST /v1/images/omni-image`` (kling-image-o1, kling-v3-omni)."""

    model_name: str
    prompt: Required[str]
    image_list: list[MediaInput | OmniImageListItem]
    element_list: list[ElementRef]
    resolution: ImageResolution
    result_type: Literal["single", "series"]
    series_amount: int | Literal["auto"]
    """2..9 or ``auto`` (``result_type="series"``)."""
    n: int
    aspect_ratio: OmniImageAspectRatio


class TextToAudioParams(_Common, total=False):
    """``POST /v1/audio/text-to-audio``: ``prompt`` <= 200 characters, ``duration`` 3.0..10.0 s."""

    prompt: Required[str]
    duration: Required[float]


class VideoToAudioParams(_Common, total=False):
    """``POST /v1/audio/video-to-audio``: ``video_id`` XOR ``video_url`` (3-20 s); prompts <= 200."""

    video_id: str
    video_url: MediaInput
    sound_effect_prompt: str
    bgm_prompt: str
    asmr_mode: bool


class TtsParams(TypedDict, total=False):
    """``POST /v1/audio/tts`` (answers at once): ``text`` <= 1000 characters, speed 0.8..2.0."""

    text: Required[str]
    voice_id: Required[str]
    voice_language: VoiceLanguage
    voice_speed: float
    external_task_id: str
    callback_url: str
