"""The parameters of the video endpoints (legacy, 2026 and omni), lip-sync and effects: one
``TypedDict`` per endpoint (conventions in :mod:`klingkit._params`)."""

from typing import Literal

from typing_extensions import Required, TypedDict

from ._params_common import (
    AspectRatio,
    BoolLike,
    CameraControl,
    Duration,
    DynamicMask,
    ElementRef,
    LipSyncAudioType,
    LipSyncMode,
    MediaInput,
    Mode,
    MultiPromptItem,
    NewAudio,
    Resolution,
    ShotType,
    Sound,
    VoiceLanguage,
    VoiceRef,
    _Common,
)


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
    """Prompt adherence; which models take it, and its range, are the catalog's (``klingkit models``)."""
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
